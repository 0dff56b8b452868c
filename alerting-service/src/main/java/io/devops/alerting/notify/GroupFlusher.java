package io.devops.alerting.notify;

import static io.devops.common.sql.JsonColumns.LABELS;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.alerting.AlertingSettings;
import io.devops.common.sql.JsonColumns;
import io.devops.alerting.alert.Alert;
import io.devops.alerting.alert.AlertRepository;
import io.devops.alerting.alert.AlertTable;
import io.devops.alerting.alert.AlertsCommitted;
import io.devops.alerting.channel.ChannelTargets;
import io.devops.alerting.channel.NotificationMessage;
import io.devops.alerting.channel.NotificationMessage.AlertSummary;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.alerting.routing.RoutingBook;
import io.devops.alerting.routing.RoutingTree;
import io.devops.alerting.silence.Silences;
import io.devops.common.PlatformSettings;
import io.devops.common.time.Timestamps;
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
 * loads the groups with their members, the silences, the routing's inhibition rules and the alerts
 * that may inhibit; {@link FlushDecision} decides each group's {@link FlushPlan}; the plans are
 * written in the same transaction: the notifications and a delivery per channel, which the
 * {@link DeliveryWorker} sends, the members' marks and the groups' timers.
 */
@ApplicationScoped
public class GroupFlusher {
    private static final int BATCH = 500;

    private final Pool pool;
    private final JsonColumns json;
    private final RoutingBook routing;
    private final AlertRepository alerts;
    private final Silences silences;
    private final ChannelTargets channels;
    private final AlertLinks links;
    private final DeliveryWorker deliveries;
    private final MeterRegistry meters;
    private final InstantSource clock;
    private final String schema;
    private final Periodic ticker;

    GroupFlusher(Pool pool, JsonColumns json, RoutingBook routing, AlertRepository alerts, Silences silences,
            ChannelTargets channels, AlertLinks links, DeliveryWorker deliveries, MeterRegistry meters, PlatformSettings settings,
            Vertx vertx, AlertingSettings alerting, InstantSource clock) {
        this.pool = pool;
        this.json = json;
        this.routing = routing;
        this.alerts = alerts;
        this.silences = silences;
        this.channels = channels;
        this.links = links;
        this.deliveries = deliveries;
        this.meters = meters;
        this.clock = clock;
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
    void committed(@Observes AlertsCommitted committed) {
        ticker.run();
    }

    /** What a batch flushed: how many groups, and how many deliveries it wrote. */
    record Flushed(int groups, int deliveries) {
    }

    Uni<Void> flushDue() {
        return flushBatch().chain(flushed -> flushed.groups() == BATCH ? flushDue() : Uni.createFrom().voidItem());
    }

    Uni<Flushed> flushBatch() {
        OffsetDateTime now = Timestamps.now(clock);
        Timer.Sample timing = Timer.start(meters);
        return pool.withTransaction(connection -> connection.preparedQuery("select id, group_labels::text, route::text,"
                + " last_flush_at, last_notified_at, pending_note from " + schema + ".notification_group"
                + " where next_flush_at <= $1 order by next_flush_at limit $2 for update skip locked")
                .execute(Tuple.of(now, BATCH)).chain(rows -> {
                    List<NotificationGroup> groups = new ArrayList<>();
                    for (Row row : rows) {
                        groups.add(new NotificationGroup(row.getUUID(0), json.read(row.getString(1), LABELS),
                                json.read(row.getString(2), RoutingTree.Settings.class), row.getOffsetDateTime(3),
                                row.getOffsetDateTime(4), row.getString(5)));
                    }
                    if (groups.isEmpty()) {
                        return Uni.createFrom().item(new Flushed(0, 0));
                    }
                    return flush(connection, groups, now);
                }))
                .invoke(flushed -> {
                    if (flushed.groups() > 0) {
                        timing.stop(meters.timer("alerting.flush"));
                        meters.summary("alerting.flush.groups").record(flushed.groups());
                    }
                    if (flushed.deliveries() > 0) {
                        deliveries.wake();
                    }
                });
    }

    /** Loads what the groups' decisions need, decides, and writes the plans. */
    private Uni<Flushed> flush(SqlConnection connection, List<NotificationGroup> groups, OffsetDateTime now) {
        Uni<Map<UUID, List<GroupMember>>> members = members(connection, groups);
        return Uni.combine().all().unis(members, silences.recent(connection, now), routing.tree(connection),
                channels.idsByName(connection)).asTuple().chain(loaded -> {
                    RoutingTree tree = loaded.getItem3();
                    return inhibiting(connection, tree).chain(inhibiting -> {
                        FlushDecision decision = new FlushDecision(loaded.getItem2(), tree.inhibitions(), inhibiting, now);
                        List<FlushPlan> plans = new ArrayList<>(groups.size());
                        for (NotificationGroup group : groups) {
                            plans.add(decision.decide(group, loaded.getItem1().getOrDefault(group.id(), List.of())));
                        }
                        return write(connection, groups, plans, loaded.getItem4(), now);
                    });
                });
    }

    private Uni<Map<UUID, List<GroupMember>>> members(SqlConnection connection, List<NotificationGroup> groups) {
        UUID[] ids = groups.stream().map(NotificationGroup::id).toArray(UUID[]::new);
        return connection.preparedQuery("select m.group_id, m.notified_status, m.escalation_level, " + AlertTable.select("a")
                + " from unnest($1::uuid[]) as g(id)"
                // Looked up group by group through the indexes whatever the statistics say (lateral, and
                // "offset 0" keeps the planner from flattening it): a hash join would read the whole alert
                // table on every flush.
                + " cross join lateral (select * from " + schema + ".group_alert m where m.group_id = g.id offset 0) m"
                + " cross join lateral (select * from " + schema + "." + AlertTable.NAME + " a where a.id = m.alert_id offset 0) a")
                .execute(Tuple.of(ids)).map(rows -> {
                    Map<UUID, List<GroupMember>> byGroup = new HashMap<>();
                    for (Row row : rows) {
                        Alert alert = AlertTable.read(row);
                        byGroup.computeIfAbsent(row.getUUID("group_id"), id -> new ArrayList<>()).add(GroupMember.of(alert,
                                json.read(alert.labels, LABELS), json.read(alert.annotations, LABELS),
                                row.getString("notified_status"), row.getInteger("escalation_level")));
                    }
                    return byGroup;
                });
    }

    /**
     * The unresolved alerts that may mute others: those matching some inhibition rule's source. The
     * rules' equality matchers are asked of the database (most rules have one, such as
     * {@code severity="critical"}), so a flush does not read every open alert; the rules are applied
     * in full to what comes back.
     */
    private Uni<List<InhibitingAlert>> inhibiting(SqlConnection connection, RoutingTree tree) {
        if (tree.inhibitions().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Map<String, String>> anyOf = new ArrayList<>();
        for (RoutingTree.Inhibition rule : tree.inhibitions()) {
            Map<String, String> equal = new LinkedHashMap<>();
            for (LabelMatcher matcher : rule.source()) {
                if (matcher.operator() == LabelMatcher.Operator.EQUAL) {
                    equal.put(matcher.name(), matcher.value());
                }
            }
            if (equal.isEmpty()) {
                // a rule any alert may be the source of: every unresolved alert is a candidate
                anyOf = null;
                break;
            }
            anyOf.add(equal);
        }
        return alerts.unresolved(connection, anyOf).map(found -> found.stream().map(alert -> new InhibitingAlert(
                alert.fingerprint(), RoutingTree.routingLabels(alert.labels(), alert.severity(), alert.source()))).toList());
    }

    /** Writes the plans, a statement per kind of change for the whole batch. */
    private Uni<Flushed> write(SqlConnection connection, List<NotificationGroup> groups, List<FlushPlan> plans,
            Map<String, UUID> channelIds, OffsetDateTime now) {
        List<Tuple> notifications = new ArrayList<>();
        List<Tuple> notified = new ArrayList<>();
        List<Tuple> deliveryRows = new ArrayList<>();
        List<Tuple> marks = new ArrayList<>();
        List<Tuple> removedMembers = new ArrayList<>();
        List<Tuple> removedGroups = new ArrayList<>();
        List<Tuple> timers = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            NotificationGroup group = groups.get(i);
            FlushPlan plan = plans.get(i);
            for (FlushPlan.Notice notice : plan.notices()) {
                UUID id = UUID.randomUUID();
                NotificationMessage message = new NotificationMessage(NotificationMessage.VERSION, id, notice.kind().json(),
                        notice.status(), group.id().toString(), group.labels(), notice.firing().stream().map(this::summary).toList(),
                        notice.resolved().stream().map(this::summary).toList(), notice.note(), now);
                notifications.add(Tuple.of(id, group.id(), notice.kind().json(), notice.status(), json.write(message), now));
                notice.firing().forEach(member -> notified.add(Tuple.of(id, member.alertId())));
                notice.resolved().forEach(member -> notified.add(Tuple.of(id, member.alertId())));
                for (String name : notice.channels()) {
                    UUID channel = channelIds.get(name);
                    deliveryRows.add(Tuple.tuple(Arrays.asList(UUID.randomUUID(), id, channel, name,
                            channel == null ? "failed" : "pending", now,
                            channel == null ? "there is no channel named '" + name + "'" : "")));
                }
                meters.counter("alerting.notifications", "kind", notice.kind().json()).increment();
            }
            plan.marks().forEach(mark -> marks.add(Tuple.of(plan.groupId(), mark.alertId(), mark.notifiedStatus(),
                    mark.escalationLevel())));
            plan.removedMembers().forEach(alertId -> removedMembers.add(Tuple.of(plan.groupId(), alertId)));
            if (plan.groupRemoved()) {
                removedGroups.add(Tuple.of(plan.groupId()));
            } else {
                timers.add(Tuple.of(plan.groupId(), plan.nextFlushAt(), now, plan.lastNotifiedAt()));
            }
        }
        String s = schema;
        return batch(connection, "insert into " + s + ".notification (id, group_id, kind, status, payload, created_at)"
                + " values ($1, $2, $3, $4, cast($5::text as jsonb), $6)", notifications)
                .chain(() -> batch(connection, "insert into " + s + ".notification_alert (notification_id, alert_id)"
                        + " values ($1, $2) on conflict do nothing", notified))
                .chain(() -> batch(connection, "insert into " + s + ".delivery (id, notification_id, channel_id, channel_name,"
                        + " status, attempts, next_attempt_at, last_error, created_at, updated_at)"
                        + " values ($1, $2, $3, $4, $5, 0, case when $5 = 'pending' then $6::timestamptz end, nullif($7, ''), $6::timestamptz, $6::timestamptz)",
                        deliveryRows))
                .chain(() -> batch(connection, "update " + s + ".group_alert set notified_status = $3, escalation_level = $4"
                        + " where group_id = $1 and alert_id = $2", marks))
                .chain(() -> batch(connection, "delete from " + s + ".group_alert where group_id = $1 and alert_id = $2",
                        removedMembers))
                .chain(() -> batch(connection, "delete from " + s + ".notification_group where id = $1", removedGroups))
                .chain(() -> batch(connection, "update " + s + ".notification_group set next_flush_at = $2, last_flush_at = $3,"
                        + " last_notified_at = $4, pending_note = null where id = $1", timers))
                .replaceWith(new Flushed(groups.size(), deliveryRows.size()));
    }

    private AlertSummary summary(GroupMember member) {
        return new AlertSummary(member.alertId(), member.title(), member.message(), member.severity(), member.serviceName(),
                member.status(), member.labels(), member.annotations(), member.startsAt(), member.endsAt(),
                member.acknowledgedBy(), links.of(member.alertId(), member.labels()));
    }

    private static Uni<Void> batch(SqlConnection connection, String sql, List<Tuple> tuples) {
        return tuples.isEmpty() ? Uni.createFrom().voidItem()
                : connection.preparedQuery(sql).executeBatch(tuples).replaceWithVoid();
    }
}
