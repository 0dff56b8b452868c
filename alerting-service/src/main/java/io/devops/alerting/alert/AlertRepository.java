package io.devops.alerting.alert;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.devops.common.paging.NativePages;
import io.devops.common.paging.Page;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

/**
 * Reads of the alert table through Hibernate Reactive; changes go through {@link AlertWriter}. The
 * list filter on labels uses jsonb containment (served by a GIN index), which HQL cannot say, so
 * the list is a native query.
 */
@ApplicationScoped
public class AlertRepository implements PanacheRepositoryBase<Alert, UUID> {
    private final String table;
    private final String schema;

    AlertRepository(PlatformSettings settings) {
        this.schema = settings.schema();
        this.table = schema + ".alert";
    }

    public Uni<List<AlertHistoryEntry>> history(UUID alertId) {
        return AlertHistoryEntry.<AlertHistoryEntry>find("alertId = ?1 order by id", alertId).list();
    }

    /** The notifications about an alert with their deliveries, oldest first, as one JSON array. */
    public Uni<String> notifications(UUID alertId) {
        return getSession().flatMap(session -> session.createNativeQuery("select cast(coalesce(json_agg(json_build_object("
                + "'id', n.id, 'kind', n.kind, 'status', n.status, 'created_at', n.created_at, 'deliveries', (select"
                + " coalesce(json_agg(json_build_object('channel', d.channel_name, 'status', d.status, 'attempts', d.attempts,"
                + " 'last_error', d.last_error, 'delivered_at', d.delivered_at, 'next_attempt_at', d.next_attempt_at)"
                + " order by d.channel_name), '[]') from " + schema + ".delivery d where d.notification_id = n.id))"
                + " order by n.created_at, n.id), '[]') as text) from " + schema + ".notification n join " + schema
                + ".notification_alert na on na.notification_id = n.id where na.alert_id = :id", String.class)
                .setParameter("id", alertId).getSingleResult());
    }

    public Uni<Page<Alert>> search(AlertQuery query, String labelsJson) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new HashMap<>();
        if (query.status() != null) {
            where.append(" and status = :status");
            params.put("status", query.status());
        }
        if (query.severity() != null) {
            where.append(" and severity = :severity");
            params.put("severity", query.severity());
        }
        if (query.serviceName() != null) {
            where.append(" and service_name = :service");
            params.put("service", query.serviceName());
        }
        if (!query.labels().isEmpty()) {
            where.append(" and labels @> cast(cast(:labels as text) as jsonb)");
            params.put("labels", labelsJson);
        }
        if (query.from() != null) {
            where.append(" and created_at >= :from");
            params.put("from", query.from());
        }
        if (query.to() != null) {
            where.append(" and created_at < :to");
            params.put("to", query.to());
        }
        return getSession().flatMap(session -> NativePages.page(session, Alert.class,
                "select " + AlertWriter.COLUMNS + " from " + table + where + " order by created_at desc, id",
                "select count(*) from " + table + where, params, query.limit(), query.skip()));
    }
}
