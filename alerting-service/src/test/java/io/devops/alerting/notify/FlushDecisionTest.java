package io.devops.alerting.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.devops.alerting.alert.AlertStatus;
import io.devops.alerting.routing.InhibitRule;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.alerting.routing.RouteSpec;
import io.devops.alerting.routing.RoutingDocument;
import io.devops.alerting.routing.RoutingTree;
import io.devops.alerting.silence.SilenceRule;

/**
 * The flush decision, table-driven in the manner of Alertmanager's {@code notify} tests: one row
 * per rule of grouping, group_wait and group_interval, repeat, silences and their endings,
 * inhibition, escalation, acknowledgement and resolution. Each row gives a group, its members and
 * the batch's silences and inhibiting alerts, and the plan it expects written out as
 * {@link #describe}: notices as {@code kind/status firing=[..] resolved=[..] to=[..] note=..},
 * then the members marked, those dropped, and the timers as offsets from now (or the group's
 * removal).
 */
class FlushDecisionTest {
    private static final OffsetDateTime NOW = OffsetDateTime.of(2025, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final Duration GROUP_INTERVAL = Duration.ofMinutes(5);
    private static final Duration REPEAT = Duration.ofHours(4);
    private static final RoutingTree.Settings ROUTE = settings(List.of("ops"), List.of());
    private static final RoutingTree.Settings ESCALATING = settings(List.of("ops"),
            List.of(new RoutingTree.Escalation(Duration.ofMinutes(15).toMillis(), List.of("pager")),
                    new RoutingTree.Escalation(Duration.ofMinutes(30).toMillis(), List.of("manager"))));
    /** A critical alert mutes the warnings of its service. */
    private static final List<RoutingTree.Inhibition> INHIBITIONS = RoutingTree.compile(new RoutingDocument(
            new RouteSpec(null, List.of(), null, null, null, null, null, null, null),
            List.of(new InhibitRule(List.of("severity=\"critical\""), List.of("severity=\"warning\""), List.of("service")))),
            null).inhibitions();

    record Row(String rule, NotificationGroup group, List<GroupMember> members, List<SilenceRule> silences,
            List<InhibitingAlert> inhibiting, String expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                // grouping and group_wait: a group's first flush (its wait over) tells all it gathered, in one notification
                new Row("grouping: the alerts gathered during group_wait go out together",
                        group(null, null), List.of(open("a", null, ago(40)), open("b", null, ago(10))), List.of(), List.of(),
                        "firing/firing firing=[a, b] resolved=[] to=[ops] note=null | marks a=firing/0 b=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                new Row("group_interval: a new alert in a notified group is told with those still firing",
                        group(ago(10), ago(10)), List.of(open("a", "firing", ago(60)), open("b", null, ago(1))), List.of(),
                        List.of(),
                        "firing/firing firing=[a, b] resolved=[] to=[ops] note=null | marks b=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                new Row("group_interval: nothing new, nothing due: only the repeat is waited for",
                        group(ago(10), ago(10)), List.of(open("a", "firing", ago(60))), List.of(), List.of(),
                        "- | marks - | dropped - | next +PT3H50M notified -PT10M"),
                // repeat
                new Row("repeat: a group still firing is told again after repeat_interval",
                        group(ago(240), ago(240)), List.of(open("a", "firing", ago(300))), List.of(), List.of(),
                        "repeat/firing firing=[a] resolved=[] to=[ops] note=null | marks - | dropped - | next +PT4H notified +PT0S"),
                new Row("repeat: a news notification restarts the repeat",
                        group(ago(300), ago(300)), List.of(open("a", "firing", ago(400)), open("b", null, ago(1))), List.of(),
                        List.of(),
                        "firing/firing firing=[a, b] resolved=[] to=[ops] note=null | marks b=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                // silences
                new Row("silence: a silenced alert is not told; the group looks again after group_interval",
                        group(null, null), List.of(open("a", null, ago(1))), List.of(silence("alertname=\"a\"", 60)), List.of(),
                        "- | marks - | dropped - | next +PT5M notified none"),
                new Row("silence: one that does not match mutes nothing",
                        group(null, null), List.of(open("a", null, ago(1))), List.of(silence("alertname=\"b\"", 60)), List.of(),
                        "firing/firing firing=[a] resolved=[] to=[ops] note=null | marks a=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                new Row("silence ended: an alert held back is told, saying which silence ended",
                        group(ago(2), null), List.of(open("a", null, ago(30))), List.of(silence("alertname=\"a\"", -1)), List.of(),
                        "silence_ended/firing firing=[a] resolved=[] to=[ops] note=Silence " + id("silence") + " (\"maintenance\","
                                + " by alice) ended at 2025-03-01T11:59Z; these alerts still fire. | marks a=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                new Row("silence ended: the note a silence's end left on the group is said",
                        new NotificationGroup(id("group"), Map.of("alertname", "a"), ROUTE, ago(2), null, "the note"),
                        List.of(open("a", null, ago(30))), List.of(), List.of(),
                        "silence_ended/firing firing=[a] resolved=[] to=[ops] note=the note | marks a=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                new Row("silence ended: an alert that began after the group's last flush is plain news",
                        group(ago(2), null), List.of(open("a", null, ago(1))), List.of(silence("alertname=\"a\"", -1)), List.of(),
                        "firing/firing firing=[a] resolved=[] to=[ops] note=null | marks a=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                // inhibition
                new Row("inhibition: a critical alert mutes the warnings of its service",
                        group(null, null), List.of(warning("a", "checkout")), List.of(),
                        List.of(source("outage", "critical", "checkout")),
                        "- | marks - | dropped - | next +PT5M notified none"),
                new Row("inhibition: only where the equal labels agree",
                        group(null, null), List.of(warning("a", "checkout")), List.of(),
                        List.of(source("outage", "critical", "payments")),
                        "firing/firing firing=[a] resolved=[] to=[ops] note=null | marks a=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                new Row("inhibition: an alert never mutes itself",
                        group(null, null), List.of(warning("a", "checkout")), List.of(),
                        List.of(new InhibitingAlert("a", Map.of("alertname", "a", "severity", "critical", "service", "checkout"))),
                        "firing/firing firing=[a] resolved=[] to=[ops] note=null | marks a=firing/0"
                                + " | dropped - | next +PT4H notified +PT0S"),
                // escalation
                new Row("escalation: unacknowledged past a step's delay, the alert goes to that step's channels",
                        escalating(ago(10)), List.of(open("a", "firing", ago(20))), List.of(), List.of(),
                        "escalation/firing firing=[a] resolved=[] to=[pager] note=not acknowledged within 15m (escalation step 1)"
                                + " | marks a=firing/1 | dropped - | next +PT10M notified -PT10M"),
                new Row("escalation: steps passed at once are one notification, to the last",
                        escalating(ago(10)), List.of(open("a", "firing", ago(45))), List.of(), List.of(),
                        "escalation/firing firing=[a] resolved=[] to=[manager] note=not acknowledged within 30m (escalation step 2)"
                                + " | marks a=firing/2 | dropped - | next +PT3H50M notified -PT10M"),
                new Row("escalation: each step once",
                        escalating(ago(10)), List.of(open("a", "firing", 1, ago(20))), List.of(), List.of(),
                        "- | marks - | dropped - | next +PT10M notified -PT10M"),
                new Row("escalation: a new alert past a step is told and escalated in the same flush",
                        escalating(null), List.of(open("a", null, ago(20))), List.of(), List.of(),
                        "firing/firing firing=[a] resolved=[] to=[ops] note=null"
                                + " ; escalation/firing firing=[a] resolved=[] to=[pager] note=not acknowledged within 15m (escalation step 1)"
                                + " | marks a=firing/0 a=firing/1 | dropped - | next +PT10M notified +PT0S"),
                // acknowledgement
                new Row("acknowledgement: an acknowledged alert is not repeated",
                        group(ago(240), ago(240)), List.of(acknowledged("a", "firing", ago(300))), List.of(), List.of(),
                        "- | marks - | dropped - | next none notified -PT4H"),
                new Row("acknowledgement: an alert acknowledged before it was told is not announced",
                        group(null, null), List.of(acknowledged("a", null, ago(1))), List.of(), List.of(),
                        "- | marks - | dropped - | next none notified none"),
                new Row("acknowledgement: an acknowledged alert is not escalated",
                        escalating(ago(10)), List.of(acknowledged("a", "firing", ago(45))), List.of(), List.of(),
                        "- | marks - | dropped - | next none notified -PT10M"),
                new Row("acknowledgement: the repeat goes on for the others, without the acknowledged one",
                        group(ago(240), ago(240)), List.of(open("a", "firing", ago(300)), acknowledged("b", "firing", ago(300))),
                        List.of(), List.of(),
                        "repeat/firing firing=[a] resolved=[] to=[ops] note=null | marks - | dropped - | next +PT4H notified +PT0S"),
                new Row("acknowledgement: an acknowledged alert that resolves is told resolved",
                        group(ago(10), ago(10)), List.of(resolved("a", "firing"), acknowledged("b", "firing", ago(60))),
                        List.of(), List.of(),
                        "resolved/resolved firing=[] resolved=[a] to=[ops] note=null | marks - | dropped a"
                                + " | next none notified +PT0S"),
                // resolution
                new Row("resolution: a told alert that resolved is told with those still firing",
                        group(ago(10), ago(10)), List.of(resolved("a", "firing"), open("b", "firing", ago(60))), List.of(),
                        List.of(),
                        "firing/firing firing=[b] resolved=[a] to=[ops] note=null | marks - | dropped a"
                                + " | next +PT4H notified +PT0S"),
                new Row("resolution: the last alert resolved, the group says so and goes",
                        group(ago(10), ago(10)), List.of(resolved("a", "firing"), resolved("b", "firing")), List.of(), List.of(),
                        "resolved/resolved firing=[] resolved=[a, b] to=[ops] note=null | marks - | dropped a b"
                                + " | group removed notified +PT0S"),
                new Row("resolution: an alert never told is not told resolved",
                        group(null, null), List.of(resolved("a", null)), List.of(), List.of(),
                        "- | marks - | dropped a | group removed notified none"),
                new Row("channels: a route with no channel sends nothing but keeps its timers",
                        new NotificationGroup(id("group"), Map.of(), settings(List.of(), List.of()), null, null, null),
                        List.of(open("a", null, ago(1))), List.of(), List.of(),
                        "- | marks a=firing/0 | dropped - | next +PT4H notified +PT0S"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decides(Row row) {
        FlushDecision decision = new FlushDecision(row.silences(), INHIBITIONS, row.inhibiting(), NOW);

        FlushPlan plan = decision.decide(row.group(), row.members());

        assertThat(describe(plan)).isEqualTo(row.expected());
        assertThat(plan.groupId()).isEqualTo(row.group().id());
    }

    /** The plan in a line, members by name, times as offsets from now. */
    static String describe(FlushPlan plan) {
        String notices = plan.notices().isEmpty() ? "-" : plan.notices().stream().map(notice -> notice.kind().json() + "/"
                + notice.status() + " firing=" + names(notice.firing()) + " resolved=" + names(notice.resolved()) + " to="
                + notice.channels() + " note=" + notice.note()).collect(Collectors.joining(" ; "));
        String marks = plan.marks().isEmpty() ? "-" : plan.marks().stream()
                .map(mark -> name(mark.alertId()) + "=" + mark.notifiedStatus() + "/" + mark.escalationLevel())
                .collect(Collectors.joining(" "));
        String dropped = plan.removedMembers().isEmpty() ? "-"
                : plan.removedMembers().stream().map(FlushDecisionTest::name).collect(Collectors.joining(" "));
        String timers = plan.groupRemoved() ? "group removed" : "next " + offset(plan.nextFlushAt());
        return notices + " | marks " + marks + " | dropped " + dropped + " | " + timers + " notified " + offset(plan.lastNotifiedAt());
    }

    private static String names(List<GroupMember> members) {
        return members.stream().map(GroupMember::fingerprint).toList().toString();
    }

    private static final List<String> NAMES = List.of("a", "b");

    private static String name(UUID id) {
        return NAMES.stream().filter(name -> id(name).equals(id)).findFirst().orElse(id.toString());
    }

    private static String offset(OffsetDateTime at) {
        if (at == null) {
            return "none";
        }
        Duration offset = Duration.between(NOW, at);
        return offset.isNegative() ? "-" + offset.negated() : "+" + offset;
    }

    private static OffsetDateTime ago(int minutes) {
        return NOW.minusMinutes(minutes);
    }

    private static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    private static RoutingTree.Settings settings(List<String> channels, List<RoutingTree.Escalation> escalations) {
        return new RoutingTree.Settings(channels, Duration.ofSeconds(30).toMillis(), GROUP_INTERVAL.toMillis(), REPEAT.toMillis(),
                escalations);
    }

    private static NotificationGroup group(OffsetDateTime lastFlushAt, OffsetDateTime lastNotifiedAt) {
        return new NotificationGroup(id("group"), Map.of("alertname", "a"), ROUTE, lastFlushAt, lastNotifiedAt, null);
    }

    private static NotificationGroup escalating(OffsetDateTime lastNotifiedAt) {
        return new NotificationGroup(id("group"), Map.of(), ESCALATING, lastNotifiedAt, lastNotifiedAt, null);
    }

    private static GroupMember member(String name, String status, String severity, String service, String notified, int level,
            OffsetDateTime startsAt) {
        Map<String, String> labels = new TreeMap<>(Map.of("alertname", name));
        if (service != null) {
            labels.put("service", service);
        }
        return new GroupMember(id(name), name, "Alert " + name, null, severity, service, status, "manual", labels, Map.of(),
                startsAt, null, AlertStatus.ACKNOWLEDGED.equals(status) ? "bob" : null, notified, level);
    }

    private static GroupMember open(String name, String notified, OffsetDateTime startsAt) {
        return open(name, notified, 0, startsAt);
    }

    private static GroupMember open(String name, String notified, int level, OffsetDateTime startsAt) {
        return member(name, AlertStatus.OPEN, "critical", null, notified, level, startsAt);
    }

    private static GroupMember warning(String name, String service) {
        return member(name, AlertStatus.OPEN, "warning", service, null, 0, ago(1));
    }

    private static GroupMember acknowledged(String name, String notified, OffsetDateTime startsAt) {
        return member(name, AlertStatus.ACKNOWLEDGED, "critical", null, notified, 0, startsAt);
    }

    private static GroupMember resolved(String name, String notified) {
        return member(name, AlertStatus.RESOLVED, "critical", null, notified, 0, ago(60));
    }

    /** A silence by alice; active for {@code minutes} more, or ended {@code -minutes} ago. */
    private static SilenceRule silence(String matcher, int minutes) {
        return new SilenceRule(id("silence"), List.of(LabelMatcher.parse(matcher)), "maintenance", "alice", NOW.plusMinutes(minutes));
    }

    private static InhibitingAlert source(String name, String severity, String service) {
        return new InhibitingAlert(name, Map.of("alertname", name, "severity", severity, "service", service, "source", "manual"));
    }
}
