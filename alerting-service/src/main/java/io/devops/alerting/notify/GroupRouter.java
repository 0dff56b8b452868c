package io.devops.alerting.notify;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.sql.JsonColumns;
import io.devops.alerting.alert.AlertChangeListener;
import io.devops.alerting.alert.AlertChanges;
import io.devops.alerting.routing.RoutingBook;
import io.devops.alerting.routing.RoutingTree;
import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Puts alerts into notification groups, inside the transaction that changes the alerts (it follows
 * them as an {@link AlertChangeListener}): an alert that opens joins a group on every route it
 * takes (forming the group, due after its group_wait, or making an existing one due after its
 * group_interval); an alert that resolves makes its groups due. The {@link GroupFlusher} does the
 * rest, so nothing here waits on a channel. A whole batch of alerts costs two statements.
 */
@ApplicationScoped
public class GroupRouter implements AlertChangeListener {
    private final RoutingBook routing;
    private final JsonColumns json;
    private final String groups;
    private final String members;

    GroupRouter(RoutingBook routing, JsonColumns json, PlatformSettings settings) {
        this.routing = routing;
        this.json = json;
        this.groups = settings.schema() + ".notification_group";
        this.members = settings.schema() + ".group_alert";
    }

    private record Group(String path, String key, String route, long waitMs) {
    }

    @Override
    public Uni<Void> written(SqlConnection connection, AlertChanges changes) {
        return opened(connection, changes.opened(), changes.at()).chain(() -> resolved(connection, changes.resolved(), changes.at()));
    }

    /** Alerts opened: each joins a group on each route it takes. */
    private Uni<Void> opened(SqlConnection connection, List<AlertChanges.Opened> openings, OffsetDateTime now) {
        if (openings.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return routing.tree(connection).chain(tree -> {
            // Sorted and distinct: an upsert may touch a row once, and groups are locked in one order.
            Map<String, Group> joined = new TreeMap<>();
            List<String> paths = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            List<UUID> alerts = new ArrayList<>();
            for (AlertChanges.Opened opening : openings) {
                Map<String, String> routingLabels = RoutingTree.routingLabels(opening.labels(), opening.severity(),
                        opening.source());
                for (RoutingTree.Route route : tree.routesFor(routingLabels)) {
                    String key = json.write(route.groupLabels(routingLabels));
                    joined.putIfAbsent(route.path() + "\n" + key, new Group(route.path(), key,
                            json.write(route.settings()), route.settings().groupWaitMs()));
                    paths.add(route.path());
                    keys.add(key);
                    alerts.add(opening.alertId());
                }
            }
            if (joined.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Collection<Group> distinct = joined.values();
            String sql = "with joined as (insert into " + groups + " as g (id, route_path, group_key, group_labels, route,"
                    + " created_at, next_flush_at)"
                    + " select gen_random_uuid(), i.path, i.key, i.key::jsonb, i.route::jsonb, $5::timestamptz, $5::timestamptz + i.wait * interval '1 millisecond'"
                    + " from unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) with ordinality as i(path, key, route, wait, n)"
                    + " order by i.n"
                    + " on conflict (route_path, group_key) do update set route = excluded.route, next_flush_at = " + due("g", "$5")
                    + " returning id, route_path, group_key)"
                    + " insert into " + members + " (group_id, alert_id) select j.id, m.alert from joined j"
                    + " join unnest($6::text[], $7::text[], $8::uuid[]) as m(path, key, alert)"
                    + " on m.path = j.route_path and m.key = j.group_key on conflict do nothing";
            return connection.preparedQuery(sql).execute(Tuple.from(List.of(
                    distinct.stream().map(Group::path).toArray(String[]::new),
                    distinct.stream().map(Group::key).toArray(String[]::new),
                    distinct.stream().map(Group::route).toArray(String[]::new),
                    distinct.stream().map(Group::waitMs).toArray(Long[]::new), now,
                    paths.toArray(String[]::new), keys.toArray(String[]::new), alerts.toArray(UUID[]::new))))
                    .replaceWithVoid();
        });
    }

    /** Alerts resolved: each of their groups becomes due to tell so, no sooner than its group_interval allows. */
    private Uni<Void> resolved(SqlConnection connection, Collection<UUID> alertIds, OffsetDateTime now) {
        if (alertIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("update " + groups + " g set next_flush_at = " + due("g", "$2")
                // index lookups whatever the statistics say: alert by alert (lateral, unflattened), then group by id
                + " where g.id = any(array(select m.group_id from unnest($1::uuid[]) as r(id) cross join lateral"
                + " (select group_id from " + members + " m where m.alert_id = r.id offset 0) m))")
                .execute(Tuple.of(alertIds.toArray(UUID[]::new), now)).replaceWithVoid();
    }

    /**
     * When a changed group is due: a group still in its group_wait keeps that time; otherwise now,
     * but no sooner than group_interval after its last notification, and never later than it was.
     */
    private static String due(String group, String now) {
        return "case when " + group + ".last_flush_at is null then " + group + ".next_flush_at"
                + " else least(coalesce(" + group + ".next_flush_at, 'infinity'), greatest(" + now + "::timestamptz, coalesce("
                + group + ".last_notified_at + cast(" + group + ".route->>'group_interval_ms' as bigint) * interval '1 millisecond',"
                + " " + now + "::timestamptz))) end";
    }
}
