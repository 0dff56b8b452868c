package io.devops.alerting.notify;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.devops.alerting.alert.AlertStatus;
import io.devops.alerting.channel.NotificationMessage;
import io.devops.alerting.routing.RoutingTree;
import io.devops.alerting.silence.SilenceRule;
import io.devops.common.time.Durations;

/**
 * What a flush of a notification group does, decided from what the group last said, with no I/O
 * and no clock of its own: the silences, the inhibition rules with the unresolved alerts that may
 * mute, and {@code now} are given for a whole batch, each group with its members.
 * <ul>
 * <li>A resolved member leaves the group; if the group told it was firing, it is news (resolved).
 * <li>A member muted by an active silence, or inhibited by another unresolved alert, is left out;
 * the group is then looked at again after group_interval, as silences and inhibitions end without
 * touching it.
 * <li>An acknowledged member is somebody's already: neither announced, nor repeated, nor escalated.
 * <li>An open member the group has not told about is news (firing); with a silence that ended over
 * it since the group's last flush, or a pending note, the notification says so (silence_ended).
 * <li>A group still firing with nothing new is told again once repeat_interval has passed since its
 * last notification (repeat).
 * <li>An open member still unacknowledged an escalation step's delay after it started also goes to
 * that step's channels (escalation), each step once.
 * <li>The group is due again at the earliest of its repeat, its members' next escalation steps and,
 * when something is muted, group_interval from now; once every member resolved, it is removed.
 * </ul>
 * group_wait and group_interval before a change are the routing's (when a group becomes due); a
 * flush happens only when it is due.
 */
public final class FlushDecision {
    private final List<SilenceRule> silences;
    private final List<RoutingTree.Inhibition> inhibitions;
    private final List<InhibitingAlert> inhibiting;
    private final OffsetDateTime now;

    /**
     * @param silences    the silences active at {@code now}, and those ended lately (which explain why
     *                    muted alerts are told now)
     * @param inhibitions the routing's inhibition rules
     * @param inhibiting  the unresolved alerts that may be the source of one of the rules
     */
    public FlushDecision(List<SilenceRule> silences, List<RoutingTree.Inhibition> inhibitions, List<InhibitingAlert> inhibiting,
            OffsetDateTime now) {
        this.silences = silences;
        this.inhibitions = inhibitions;
        this.inhibiting = inhibiting;
        this.now = now;
    }

    public FlushPlan decide(NotificationGroup group, List<GroupMember> members) {
        RoutingTree.Settings settings = group.settings();
        List<GroupMember> firing = new ArrayList<>();
        List<GroupMember> fresh = new ArrayList<>();
        List<GroupMember> newlyResolved = new ArrayList<>();
        List<UUID> removed = new ArrayList<>();
        List<FlushPlan.Notice> notices = new ArrayList<>();
        List<FlushPlan.Mark> marks = new ArrayList<>();
        int muted = 0;
        for (GroupMember member : members) {
            if (AlertStatus.RESOLVED.equals(member.status())) {
                if (NotificationMessage.FIRING.equals(member.notifiedStatus())) {
                    newlyResolved.add(member);
                }
                removed.add(member.alertId());
                continue;
            }
            Map<String, String> labels = member.routingLabels();
            if (silenced(labels) || inhibited(member, labels)) {
                muted++;
                continue;
            }
            if (AlertStatus.OPEN.equals(member.status())) {
                firing.add(member);
                if (member.notifiedStatus() == null) {
                    fresh.add(member);
                }
            }
        }
        boolean repeatDue = group.lastNotifiedAt() != null && !firing.isEmpty() && fresh.size() < firing.size()
                && !now.isBefore(group.lastNotifiedAt().plus(settings.repeatIntervalMs(), ChronoUnit.MILLIS));
        OffsetDateTime lastNotified = group.lastNotifiedAt();
        if (!fresh.isEmpty() || !newlyResolved.isEmpty() || repeatDue) {
            String status = firing.isEmpty() ? NotificationMessage.RESOLVED : NotificationMessage.FIRING;
            String ended = fresh.isEmpty() ? null : group.pendingNote() != null ? group.pendingNote() : silenceEnded(group, fresh);
            FlushPlan.Kind kind = ended != null ? FlushPlan.Kind.SILENCE_ENDED
                    : fresh.isEmpty() && newlyResolved.isEmpty() ? FlushPlan.Kind.REPEAT
                    : firing.isEmpty() ? FlushPlan.Kind.RESOLVED : FlushPlan.Kind.FIRING;
            notice(notices, kind, status, firing, newlyResolved, ended, settings.channels());
            lastNotified = now;
            for (GroupMember member : fresh) {
                marks.add(new FlushPlan.Mark(member.alertId(), NotificationMessage.FIRING, member.escalationLevel()));
            }
        }
        List<RoutingTree.Escalation> steps = settings.escalations();
        Map<Integer, List<GroupMember>> escalated = new TreeMap<>();
        Map<UUID, Integer> reachedLevels = new HashMap<>();
        for (GroupMember member : firing) {
            int level = member.escalationLevel();
            int reached = level;
            while (reached < steps.size() && !now.isBefore(member.startsAt().plus(steps.get(reached).afterMs(), ChronoUnit.MILLIS))) {
                reached++;
            }
            if (reached > level) {
                escalated.computeIfAbsent(reached - 1, step -> new ArrayList<>()).add(member);
                reachedLevels.put(member.alertId(), reached);
                marks.add(new FlushPlan.Mark(member.alertId(), NotificationMessage.FIRING, reached));
            }
        }
        escalated.forEach((step, alerts) -> notice(notices, FlushPlan.Kind.ESCALATION, NotificationMessage.FIRING, alerts,
                List.of(), "not acknowledged within " + Durations.format(Duration.ofMillis(steps.get(step).afterMs()))
                        + " (escalation step " + (step + 1) + ")",
                steps.get(step).channels()));
        if (members.size() == removed.size()) {
            return new FlushPlan(group.id(), notices, marks, removed, true, null, lastNotified);
        }
        OffsetDateTime next = null;
        if (!firing.isEmpty()) {
            next = lastNotified.plus(settings.repeatIntervalMs(), ChronoUnit.MILLIS);
        }
        for (GroupMember member : firing) {
            int level = reachedLevels.getOrDefault(member.alertId(), member.escalationLevel());
            if (level < steps.size()) {
                next = earliest(next, member.startsAt().plus(steps.get(level).afterMs(), ChronoUnit.MILLIS));
            }
        }
        if (muted > 0) {
            next = earliest(next, now.plus(settings.groupIntervalMs(), ChronoUnit.MILLIS));
        }
        return new FlushPlan(group.id(), notices, marks, removed, false, next, lastNotified);
    }

    /** A notification, unless it would go nowhere. */
    private static void notice(List<FlushPlan.Notice> notices, FlushPlan.Kind kind, String status, List<GroupMember> firing,
            List<GroupMember> resolved, String note, List<String> channels) {
        if (!channels.isEmpty()) {
            notices.add(new FlushPlan.Notice(kind, status, List.copyOf(firing), List.copyOf(resolved), note, channels));
        }
    }

    private boolean silenced(Map<String, String> labels) {
        return silences.stream().anyMatch(silence -> silence.activeAt(now) && silence.matches(labels));
    }

    private boolean inhibited(GroupMember member, Map<String, String> labels) {
        for (RoutingTree.Inhibition rule : inhibitions) {
            for (InhibitingAlert source : inhibiting) {
                // An alert never mutes itself, even where it matches both sides of a rule.
                if (!source.fingerprint().equals(member.fingerprint()) && rule.mutes(source.routingLabels(), labels)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The notice of a silence that ended over an alert held back at an earlier flush of its group, if there is one. */
    private String silenceEnded(NotificationGroup group, List<GroupMember> fresh) {
        if (group.lastFlushAt() == null) {
            return null;
        }
        for (GroupMember member : fresh) {
            if (!member.startsAt().isBefore(group.lastFlushAt())) {
                continue;
            }
            for (SilenceRule silence : silences) {
                if (!silence.activeAt(now) && !silence.endsAt().isBefore(member.startsAt()) && silence.matches(member.routingLabels())) {
                    return silence.endedNote();
                }
            }
        }
        return null;
    }

    private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
