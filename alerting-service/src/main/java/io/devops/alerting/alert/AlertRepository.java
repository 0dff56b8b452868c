package io.devops.alerting.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.sql.JsonColumns;
import io.devops.common.PlatformSettings;
import io.devops.common.paging.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads of the alert table on the reactive client, through {@link AlertTable}'s mapping; changes go
 * through {@link AlertWriter}. The list filter on labels uses jsonb containment (served by a GIN
 * index).
 */
@ApplicationScoped
public class AlertRepository {
    private final Pool pool;
    private final JsonColumns json;
    private final String schema;
    private final String table;

    AlertRepository(Pool pool, JsonColumns json, PlatformSettings settings) {
        this.pool = pool;
        this.json = json;
        this.schema = settings.schema();
        this.table = schema + "." + AlertTable.NAME;
    }

    /** An alert as the notification path matches it: its identity and what its routing labels are made of. */
    public record AlertLabels(UUID id, String fingerprint, Map<String, String> labels, String severity, String source) {
    }

    /** The alert; null when there is none. */
    public Uni<Alert> findById(UUID id) {
        return pool.preparedQuery("select " + AlertTable.select() + " from " + table + " where id = $1").execute(Tuple.of(id))
                .map(AlertTable::first);
    }

    public Uni<List<AlertDetail.Step>> history(UUID alertId) {
        return pool.preparedQuery(AlertHistory.select(schema + ".alert_history")).execute(Tuple.of(alertId)).map(rows -> {
            List<AlertDetail.Step> steps = new ArrayList<>(rows.size());
            rows.forEach(row -> steps.add(AlertHistory.read(row)));
            return steps;
        });
    }

    /** The notifications about an alert with their deliveries, oldest first, as one JSON array. */
    public Uni<String> notifications(UUID alertId) {
        return pool.preparedQuery("select cast(coalesce(json_agg(json_build_object("
                + "'id', n.id, 'kind', n.kind, 'status', n.status, 'created_at', n.created_at, 'deliveries', (select"
                + " coalesce(json_agg(json_build_object('channel', d.channel_name, 'status', d.status, 'attempts', d.attempts,"
                + " 'last_error', d.last_error, 'delivered_at', d.delivered_at, 'next_attempt_at', d.next_attempt_at)"
                + " order by d.channel_name), '[]') from " + schema + ".delivery d where d.notification_id = n.id))"
                + " order by n.created_at, n.id), '[]') as text) from " + schema + ".notification n join " + schema
                + ".notification_alert na on na.notification_id = n.id where na.alert_id = $1").execute(Tuple.of(alertId))
                .map(rows -> rows.iterator().next().getString(0));
    }

    public Uni<Page<Alert>> search(AlertQuery query) {
        StringBuilder where = new StringBuilder(" where true");
        List<Object> params = new ArrayList<>();
        if (query.status() != null) {
            params.add(query.status());
            where.append(" and status = $").append(params.size());
        }
        if (query.severity() != null) {
            params.add(query.severity());
            where.append(" and severity = $").append(params.size());
        }
        if (query.serviceName() != null) {
            params.add(query.serviceName());
            where.append(" and service_name = $").append(params.size());
        }
        if (!query.labels().isEmpty()) {
            params.add(json.write(query.labels()));
            where.append(" and labels @> $").append(params.size()).append("::text::jsonb");
        }
        if (query.from() != null) {
            params.add(query.from());
            where.append(" and created_at >= $").append(params.size());
        }
        if (query.to() != null) {
            params.add(query.to());
            where.append(" and created_at < $").append(params.size());
        }
        List<Object> paged = new ArrayList<>(params);
        paged.add(query.limit());
        paged.add(query.skip());
        Uni<List<Alert>> items = pool.preparedQuery("select " + AlertTable.select() + " from " + table + where
                + " order by created_at desc, id limit $" + (params.size() + 1) + " offset $" + (params.size() + 2))
                .execute(Tuple.from(paged)).map(AlertTable::all);
        return items.chain(page -> pool.preparedQuery("select count(*) from " + table + where).execute(Tuple.from(params))
                .map(rows -> new Page<>(page, rows.iterator().next().getLong(0))));
    }

    /** The open alerts (neither acknowledged nor resolved), in the caller's transaction. */
    public Uni<List<AlertLabels>> open(SqlClient connection) {
        return labels(connection, "status = $1", List.of(AlertStatus.OPEN));
    }

    /**
     * The unresolved alerts whose routing labels (their labels, their severity, and their source
     * unless a label names one) have all the values of at least one of {@code anyOf}; an empty
     * value stands for a label that is absent or empty. Every unresolved alert when {@code anyOf}
     * is null. In the caller's transaction.
     */
    public Uni<List<AlertLabels>> unresolved(SqlClient connection, List<Map<String, String>> anyOf) {
        List<Object> params = new ArrayList<>(List.of(AlertStatus.RESOLVED));
        if (anyOf == null) {
            return labels(connection, "status <> $1", params);
        }
        List<String> alternatives = new ArrayList<>();
        for (Map<String, String> values : anyOf) {
            List<String> conditions = new ArrayList<>();
            values.forEach((name, value) -> {
                if (name.equals("severity")) {
                    params.add(value);
                    conditions.add("severity = $" + params.size());
                } else if (name.equals("source")) {
                    params.add(value);
                    conditions.add("coalesce(labels->>'source', source) = $" + params.size());
                } else if (value.isEmpty()) {
                    params.add(name);
                    conditions.add("coalesce(labels->>$" + params.size() + ", '') = ''");
                } else {
                    params.add(json.write(Map.of(name, value)));
                    conditions.add("labels @> cast($" + params.size() + "::text as jsonb)");
                }
            });
            alternatives.add("(" + (conditions.isEmpty() ? "true" : String.join(" and ", conditions)) + ")");
        }
        return labels(connection, "status <> $1 and (" + (alternatives.isEmpty() ? "false" : String.join(" or ", alternatives))
                + ")", params);
    }

    private Uni<List<AlertLabels>> labels(SqlClient connection, String where, List<Object> params) {
        return connection.preparedQuery("select id, fingerprint, labels::text, severity, source from " + table + " where " + where)
                .execute(Tuple.from(params)).map(rows -> {
                    List<AlertLabels> alerts = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        alerts.add(new AlertLabels(row.getUUID(0), row.getString(1), json.read(row.getString(2), JsonColumns.LABELS),
                                row.getString(3), row.getString(4)));
                    }
                    return alerts;
                });
    }
}
