package io.devops.alerting.notify;

import static io.devops.alerting.JsonColumns.LABELS;
import static io.devops.alerting.JsonColumns.STRINGS;
import static io.devops.common.time.Timestamps.now;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.AlertingSettings;
import io.devops.alerting.alert.AlertBook;
import io.devops.alerting.notify.NotificationMessage.AlertSummary;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.alerting.routing.RoutingBook;
import io.devops.alerting.routing.RoutingTree;
import io.devops.common.PlatformSettings;
import io.devops.common.time.Durations;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Flushes the notification groups that are due, a batch per transaction, rows locked with
 * {@code skip locked} so that replicas share the work and never flush one group twice. A flush
 * decides from what the group last said: alerts that began firing or resolved since are news;
 * a group still firing unacknowledged is told again after repeat_interval; silenced and inhibited
 * alerts are left out; an alert still open after an escalation step's delay also goes to that
 * step's channels. The notification and a delivery per channel are written in the same
 * transaction; the {@link DeliveryWorker} sends them.
 */
@ApplicationScoped
public class GroupFlusher {
    private static final int BATCH = 500;

    private final Pool pool;
    private final JsonColumns json;
    private final RoutingBook routing;
    private final AlertLinks links;
    private final DeliveryWorker deliveries;
    private final MeterRegistry meters;
    private final String schema;
    private final Periodic ticker;

    GroupFlusher(Pool pool, JsonColumns json, RoutingBook routing, AlertLinks links, DeliveryWorker deliveries,
            MeterRegistry meters, PlatformSettings settings, Vertx vertx, AlertingSettings alerting) {
        this.pool = pool;
        this.json = json;
        this.routing = routing;
        this.links = links;
        this.deliveries = deliveries;
        this.meters = meters;
        this.schema = settings.schema();
        this.ticker = new Periodic(vertx, alerting.notifications().pollInterval(), "flushing notification groups",
                Logger.getLogger(GroupFlusher.class), this::flushDue);
    }

    void start(@Observes StartupEvent started) {
        ticker.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        ticker.stop();
    }

    /** Flushes the due groups now: an alert change was just committed. */
    public void wake() {
        ticker.run();
    }

    Uni<Void> flushDue() {
        return flushBatch().chain(flushed -> flushed == BATCH ? flushDue() : Uni.createFrom().voidItem());
    }

    private record Group(UUID id, Map<String, String> labels, RoutingTree.Settings settings, OffsetDateTime lastFlushAt,
            OffsetDateTime lastNotifiedAt, String pendingNote) {
    }

    private record Member(UUID groupId, String notifiedStatus, int escalationLevel, UUID alertId, String fingerprint,
            String title, String message, String severity, String serviceName, String status, String source,
            Map<String, String> labels, Map<String, String> annotations, OffsetDateTime startsAt, OffsetDateTime endsAt,
            String acknowledgedBy) {

        Map<String, String> routingLabels() {
            return RoutingTree.routingLabels(labels, severity, source);
        }
    }

    private record Silence(UUID id, List<LabelMatcher> matchers, String comment, String createdBy, OffsetDateTime endsAt) {

        boolean activeAt(OffsetDateTime now) {
            return endsAt.isAfter(now);
        }

        /** The notice for alerts it muted that still fire. */
        String endedNote() {
            return "Silence " + id + " (\"" + comment + "\"" + (createdBy == null ? "" : ", by " + createdBy) + ") ended at "
                    + endsAt + "; these alerts still fire.";
        }
    }

    private record Source(String fingerprint, Map<String, String> labels) {
    }

    /** Everything a batch writes, applied at its end. */
    private static final class Plan {
        final List<Tuple> notifications = new ArrayList<>();
        final List<Tuple> notified = new ArrayList<>();
        final List<Tuple> deliveries = new ArrayList<>();
        final List<Tuple> memberUpdates = new ArrayList<>();
        final List<Tuple> memberRemovals = new ArrayList<>();
        final List<Tuple> groupUpdates = new ArrayList<>();
        final List<Tuple> groupRemovals = new ArrayList<>();
    }

    Uni<Integer> flushBatch() {
        OffsetDateTime now = now();
        Timer.Sample timing = Timer.start(meters);
        return pool.withTransaction(connection -> connection.preparedQuery("select id, group_labels::text, route::text,"
                + " last_flush_at, last_notified_at, pending_note from " + schema + ".notification_group"
                + " where next_flush_at <= $1 order by next_flush_at limit $2 for update skip locked")
                .execute(Tuple.of(now, BATCH)).chain(rows -> {
                    List<Group> groups = new ArrayList<>();
                    for (Row row : rows) {
                        groups.add(new Group(row.getUUID(0), json.read(row.getString(1), LABELS),
                                json.read(row.getString(2), RoutingTree.Settings.class), row.getOffsetDateTime(3),
                                row.getOffsetDateTime(4), row.getString(5)));
                    }
                    if (groups.isEmpty()) {
                        return Uni.createFrom().item(new int[] { 0, 0 });
                    }
                    return flush(connection, groups, now).map(sent -> new int[] { groups.size(), sent });
                }))
                .invoke(result -> {
                    if (result[0] > 0) {
                        timing.stop(meters.timer("alerting.flush"));
                        meters.summary("alerting.flush.groups").record(result[0]);
                    }
                    if (result[1] > 0) {
                        deliveries.wake();
                    }
                })
                .map(result -> result[0]);
    }

    private Uni<Integer> flush(SqlConnection connection, List<Group> groups, OffsetDateTime now) {
        UUID[] ids = groups.stream().map(Group::id).toArray(UUID[]::new);
        Uni<Map<UUID, List<Member>>> members = connection.preparedQuery("select m.group_id, m.notified_status, m.escalation_level,"
                + " a.id, a.fingerprint, a.title, a.message, a.severity, a.service_name, a.status, a.source, a.labels::text,"
                + " a.annotations::text, a.starts_at, a.ends_at, a.acknowledged_by from unnest($1::uuid[]) as g(id)"
                // Looked up group by group through the indexes whatever the statistics say (lateral, and
                // "offset 0" keeps the planner from flattening it): a hash join would read the whole alert
                // table on every flush.
                + " cross join lateral (select * from " + schema + ".group_alert m where m.group_id = g.id offset 0) m"
                + " cross join lateral (select * from " + schema + ".alert a where a.id = m.alert_id offset 0) a").execute(Tuple.of(ids))
                .map(rows -> {
                    Map<UUID, List<Member>> byGroup = new HashMap<>();
                    for (Row row : rows) {
                        byGroup.computeIfAbsent(row.getUUID(0), id -> new ArrayList<>()).add(new Member(row.getUUID(0),
                                row.getString(1), row.getInteger(2), row.getUUID(3), row.getString(4), row.getString(5),
                                row.getString(6), row.getString(7), row.getString(8), row.getString(9), row.getString(10),
                                json.read(row.getString(11), LABELS), json.read(row.getString(12), LABELS), row.getOffsetDateTime(13),
                                row.getOffsetDateTime(14), row.getString(15)));
                    }
                    return byGroup;
                });
        // Active silences mute; those ended in the last day explain why muted alerts are told now.
        Uni<List<Silence>> silences = connection.preparedQuery("select id, matchers::text, comment, created_by, ends_at from "
                + schema + ".silence where starts_at <= $1 and ends_at > $1 - interval '1 day'").execute(Tuple.of(now)).map(rows -> {
                    List<Silence> recent = new ArrayList<>();
                    for (Row row : rows) {
                        recent.add(new Silence(row.getUUID(0), json.read(row.getString(1), STRINGS).stream().map(LabelMatcher::parse).toList(), row.getString(2), row.getString(3),
                                row.getOffsetDateTime(4)));
                    }
                    return recent;
                });
        Uni<RoutingTree> tree = routing.tree(connection);
        Uni<Map<String, UUID>> channels = connection.preparedQuery("select name, id from " + schema + ".channel").execute()
                .map(rows -> {
                    Map<String, UUID> byName = new HashMap<>();
                    rows.forEach(row -> byName.put(row.getString(0), row.getUUID(1)));
                    return byName;
                });
        return Uni.combine().all().unis(members, silences, tree, channels).asTuple().chain(loaded -> {
            RoutingTree routingTree = loaded.getItem3();
            return inhibitionSources(connection, routingTree).chain(unresolved -> {
                Plan plan = new Plan();
                for (Group group : groups) {
                    decide(group, loaded.getItem1().getOrDefault(group.id(), List.of()), loaded.getItem2(), routingTree,
                            unresolved, loaded.getItem4(), now, plan);
                }
                return apply(connection, plan).replaceWith(plan.deliveries.size());
            });
        });
    }

    private void decide(Group group, List<Member> members, List<Silence> silences, RoutingTree tree, List<Source> unresolved,
            Map<String, UUID> channels, OffsetDateTime now, Plan plan) {
        RoutingTree.Settings settings = group.settings();
        List<Member> firing = new ArrayList<>();
        List<Member> fresh = new ArrayList<>();
        List<Member> newlyResolved = new ArrayList<>();
        int muted = 0;
        int removed = 0;
        for (Member member : members) {
            if (AlertBook.RESOLVED.equals(member.status())) {
                if (NotificationMessage.FIRING.equals(member.notifiedStatus())) {
                    newlyResolved.add(member);
                }
                plan.memberRemovals.add(Tuple.of(group.id(), member.alertId()));
                removed++;
                continue;
            }
            Map<String, String> labels = member.routingLabels();
            if (silenced(labels, silences, now) || inhibited(member, labels, tree, unresolved)) {
                muted++;
                continue;
            }
            // An acknowledged alert is somebody's already: it is neither announced nor repeated.
            if (AlertBook.OPEN.equals(member.status())) {
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
            String ended = fresh.isEmpty() ? null
                    : group.pendingNote() != null ? group.pendingNote() : silenceEnded(group, fresh, silences, now);
            String kind = ended != null ? "silence_ended" : !fresh.isEmpty() || !newlyResolved.isEmpty() ? status : "repeat";
            notify(group, kind, status, firing, newlyResolved, ended, settings.channels(), channels, now, plan);
            lastNotified = now;
            for (Member member : fresh) {
                plan.memberUpdates.add(Tuple.of(group.id(), member.alertId(), NotificationMessage.FIRING, member.escalationLevel()));
            }
        }
        List<RoutingTree.Escalation> steps = settings.escalations();
        Map<Integer, List<Member>> escalated = new HashMap<>();
        for (Member member : firing) {
            int level = member.escalationLevel();
            int reached = level;
            while (reached < steps.size()
                    && !now.isBefore(member.startsAt().plus(steps.get(reached).afterMs(), ChronoUnit.MILLIS))) {
                reached++;
            }
            if (reached > level) {
                escalated.computeIfAbsent(reached - 1, step -> new ArrayList<>()).add(member);
                plan.memberUpdates.add(Tuple.of(group.id(), member.alertId(), NotificationMessage.FIRING, reached));
            }
        }
        escalated.forEach((step, alerts) -> notify(group, "escalation", NotificationMessage.FIRING, alerts, List.of(),
                "not acknowledged within " + Durations.format(Duration.ofMillis(steps.get(step).afterMs()))
                        + " (escalation step " + (step + 1) + ")",
                steps.get(step).channels(), channels, now, plan));
        if (members.size() == removed) {
            plan.groupRemovals.add(Tuple.of(group.id()));
            return;
        }
        OffsetDateTime next = null;
        if (!firing.isEmpty()) {
            next = lastNotified.plus(settings.repeatIntervalMs(), ChronoUnit.MILLIS);
        }
        for (Member member : firing) {
            int level = Math.max(member.escalationLevel(), escalated.entrySet().stream()
                    .filter(entry -> entry.getValue().contains(member)).mapToInt(entry -> entry.getKey() + 1).max().orElse(0));
            if (level < steps.size()) {
                next = earliest(next, member.startsAt().plus(steps.get(level).afterMs(), ChronoUnit.MILLIS));
            }
        }
        if (muted > 0) {
            // Silences and inhibitions end without touching the group: look again after group_interval.
            next = earliest(next, now.plus(settings.groupIntervalMs(), ChronoUnit.MILLIS));
        }
        plan.groupUpdates.add(Tuple.of(group.id(), next, now, lastNotified));
    }

    private void notify(Group group, String kind, String status, List<Member> firing, List<Member> resolved, String note,
            List<String> channelNames, Map<String, UUID> channels, OffsetDateTime now, Plan plan) {
        if (channelNames.isEmpty()) {
            return;
        }
        UUID id = UUID.randomUUID();
        NotificationMessage message = new NotificationMessage(NotificationMessage.VERSION, id, kind, status,
                group.id().toString(), group.labels(), firing.stream().map(this::summary).toList(),
                resolved.stream().map(this::summary).toList(), note, now);
        plan.notifications.add(Tuple.of(id, group.id(), kind, status, json.write(message), now));
        firing.forEach(member -> plan.notified.add(Tuple.of(id, member.alertId())));
        resolved.forEach(member -> plan.notified.add(Tuple.of(id, member.alertId())));
        for (String name : channelNames) {
            UUID channel = channels.get(name);
            plan.deliveries.add(Tuple.tuple(Arrays.asList(UUID.randomUUID(), id, channel, name,
                    channel == null ? "failed" : "pending", now, channel == null ? "there is no channel named '" + name + "'" : "")));
        }
        meters.counter("alerting.notifications", "kind", kind).increment();
    }

    private AlertSummary summary(Member member) {
        return new AlertSummary(member.alertId(), member.title(), member.message(), member.severity(), member.serviceName(),
                member.status(), member.labels(), member.annotations(), member.startsAt(), member.endsAt(),
                member.acknowledgedBy(), links.of(member.alertId(), member.labels()));
    }

    /**
     * The unresolved alerts that may mute others: those matching some inhibition rule's source. The
     * rules' equality matchers are asked of the database (most rules have one, such as
     * {@code severity="critical"}), so a flush does not read every open alert; the rules are applied
     * in full to what comes back.
     */
    private Uni<List<Source>> inhibitionSources(SqlConnection connection, RoutingTree tree) {
        if (tree.inhibitions().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Object> params = new ArrayList<>(List.of(AlertBook.RESOLVED));
        List<String> rules = new ArrayList<>();
        for (RoutingTree.Inhibition rule : tree.inhibitions()) {
            List<String> conditions = new ArrayList<>();
            for (LabelMatcher matcher : rule.source()) {
                if (matcher.operator() != LabelMatcher.Operator.EQUAL) {
                    continue;
                }
                if (matcher.name().equals("severity")) {
                    params.add(matcher.value());
                    conditions.add("severity = $" + params.size());
                } else if (matcher.name().equals("source")) {
                    params.add(matcher.value());
                    conditions.add("coalesce(labels->>'source', source) = $" + params.size());
                } else if (matcher.value().isEmpty()) {
                    params.add(matcher.name());
                    conditions.add("coalesce(labels->>$" + params.size() + ", '') = ''");
                } else {
                    params.add(json.write(Map.of(matcher.name(), matcher.value())));
                    conditions.add("labels @> cast($" + params.size() + "::text as jsonb)");
                }
            }
            if (conditions.isEmpty()) {
                // a rule any alert may be the source of: every unresolved alert is a candidate
                rules = null;
                break;
            }
            rules.add("(" + String.join(" and ", conditions) + ")");
        }
        String where = rules == null ? "status <> $1" : "status <> $1 and (" + String.join(" or ", rules) + ")";
        return connection.preparedQuery("select fingerprint, labels::text, severity, source from " + schema + ".alert where "
                + where).execute(Tuple.from(rules == null ? List.of(AlertBook.RESOLVED) : params)).map(rows -> {
                    List<Source> unresolved = new ArrayList<>();
                    for (Row row : rows) {
                        unresolved.add(new Source(row.getString(0), RoutingTree.routingLabels(
                                json.read(row.getString(1), LABELS), row.getString(2), row.getString(3))));
                    }
                    return unresolved;
                });
    }

    private static boolean silenced(Map<String, String> labels, List<Silence> silences, OffsetDateTime now) {
        return silences.stream().anyMatch(silence -> silence.activeAt(now) && LabelMatcher.all(silence.matchers(), labels));
    }

    /** The notice of a silence that ended over an alert held back at an earlier flush of its group, if there is one. */
    private static String silenceEnded(Group group, List<Member> fresh, List<Silence> silences, OffsetDateTime now) {
        if (group.lastFlushAt() == null) {
            return null;
        }
        for (Member member : fresh) {
            if (!member.startsAt().isBefore(group.lastFlushAt())) {
                continue;
            }
            for (Silence silence : silences) {
                if (!silence.activeAt(now) && !silence.endsAt().isBefore(member.startsAt())
                        && LabelMatcher.all(silence.matchers(), member.routingLabels())) {
                    return silence.endedNote();
                }
            }
        }
        return null;
    }

    private static boolean inhibited(Member member, Map<String, String> labels, RoutingTree tree, List<Source> unresolved) {
        for (RoutingTree.Inhibition rule : tree.inhibitions()) {
            for (Source source : unresolved) {
                // An alert never mutes itself, even where it matches both sides of a rule.
                if (!source.fingerprint().equals(member.fingerprint()) && rule.mutes(source.labels(), labels)) {
                    return true;
                }
            }
        }
        return false;
    }

    private Uni<Void> apply(SqlConnection connection, Plan plan) {
        String s = schema;
        return batch(connection, "insert into " + s + ".notification (id, group_id, kind, status, payload, created_at)"
                + " values ($1, $2, $3, $4, cast($5::text as jsonb), $6)", plan.notifications)
                .chain(() -> batch(connection, "insert into " + s + ".notification_alert (notification_id, alert_id)"
                        + " values ($1, $2) on conflict do nothing", plan.notified))
                .chain(() -> batch(connection, "insert into " + s + ".delivery (id, notification_id, channel_id, channel_name,"
                        + " status, attempts, next_attempt_at, last_error, created_at, updated_at)"
                        + " values ($1, $2, $3, $4, $5, 0, case when $5 = 'pending' then $6::timestamptz end, nullif($7, ''), $6::timestamptz, $6::timestamptz)",
                        plan.deliveries))
                .chain(() -> batch(connection, "update " + s + ".group_alert set notified_status = $3, escalation_level = $4"
                        + " where group_id = $1 and alert_id = $2", plan.memberUpdates))
                .chain(() -> batch(connection, "delete from " + s + ".group_alert where group_id = $1 and alert_id = $2",
                        plan.memberRemovals))
                .chain(() -> batch(connection, "delete from " + s + ".notification_group where id = $1", plan.groupRemovals))
                .chain(() -> batch(connection, "update " + s + ".notification_group set next_flush_at = $2, last_flush_at = $3,"
                        + " last_notified_at = $4, pending_note = null where id = $1", plan.groupUpdates));
    }

    private static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> tuples) {
        return tuples.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
    }

    private static OffsetDateTime earliest(OffsetDateTime a, OffsetDateTime b) {
        return a == null || b.isBefore(a) ? b : a;
    }

}
