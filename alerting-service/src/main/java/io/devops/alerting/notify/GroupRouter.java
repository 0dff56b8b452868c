package io.devops.alerting.notify;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.routing.RoutingBook;
import io.devops.alerting.routing.RoutingTree;
import io.devops.common.PlatformSettings;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Puts alerts into notification groups, inside the transaction that changes the alert: an alert
 * that opens joins a group on every route it takes (forming the group, due after its group_wait,
 * or making an existing one due after its group_interval); an alert that resolves makes its groups
 * due. The {@link GroupFlusher} does the rest, so nothing here waits on a channel.
 */
@ApplicationScoped
public class GroupRouter {
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

    /** An alert opened: it joins a group on each route it takes. */
    public Uni<Void> opened(UUID alertId, Map<String, String> labels, String severity, String source, OffsetDateTime now) {
        return routing.row().chain(stored -> {
            RoutingTree tree = stored == null ? routing.tree(0, null) : routing.tree(stored.version(), stored.document());
            Map<String, String> routingLabels = RoutingTree.routingLabels(labels, severity, source);
            return Multi.createFrom().iterable(tree.routesFor(routingLabels))
                    .onItem().transformToUniAndConcatenate(route -> join(alertId, route, route.groupLabels(routingLabels), now))
                    .collect().last().replaceWithVoid();
        });
    }

    /** An alert resolved: each of its groups becomes due to tell so, no sooner than its group_interval allows. */
    public Uni<Void> resolved(UUID alertId, OffsetDateTime now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("update " + groups + " g set next_flush_at = "
                + due("g") + " from " + members + " m where m.group_id = g.id and m.alert_id = :alert")
                .setParameter("alert", alertId).setParameter("now", now).executeUpdate()).replaceWithVoid();
    }

    private Uni<Void> join(UUID alertId, RoutingTree.Route route, Map<String, String> groupLabels, OffsetDateTime now) {
        String key = json.write(groupLabels);
        String sql = "with joined as (insert into " + groups + " as g (id, route_path, group_key, group_labels, route, created_at, next_flush_at)"
                + " values (:id, :path, :key, cast(cast(:key as text) as jsonb), cast(cast(:route as text) as jsonb), :now,"
                + " cast(:now as timestamptz) + cast(:wait as bigint) * interval '1 millisecond')"
                + " on conflict (route_path, group_key) do update set route = excluded.route, next_flush_at = " + due("g")
                + " returning id)"
                + " insert into " + members + " (group_id, alert_id) select id, :alert from joined on conflict do nothing";
        return Panache.getSession().chain(session -> session.createNativeQuery(sql)
                .setParameter("id", UUID.randomUUID()).setParameter("path", route.path()).setParameter("key", key)
                .setParameter("route", json.write(route.settings())).setParameter("now", now)
                .setParameter("wait", route.settings().groupWaitMs()).setParameter("alert", alertId).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * When a changed group is due: a group still in its group_wait keeps that time; otherwise now,
     * but no sooner than group_interval after its last notification, and never later than it was.
     */
    private static String due(String group) {
        return "case when " + group + ".last_flush_at is null then " + group + ".next_flush_at"
                + " else least(coalesce(" + group + ".next_flush_at, 'infinity'), greatest(cast(:now as timestamptz), coalesce("
                + group + ".last_notified_at + cast(" + group + ".route->>'group_interval_ms' as bigint) * interval '1 millisecond',"
                + " cast(:now as timestamptz)))) end";
    }
}
