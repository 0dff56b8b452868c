package io.devops.alerting.alert;

import java.util.List;

import io.devops.common.sql.RowMapping;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The one mapping of the alert table (a {@link RowMapping}): the writer's insert and update, every
 * select of whole alerts (the writer's, the repository's, the notification groups' members) and
 * the row reader derive from it, so a new column is added here and nowhere else.
 */
public final class AlertTable {
    /** The table, without its schema. */
    public static final String NAME = "alert";

    private static final RowMapping<Alert> MAPPING = RowMapping.of(Alert::new)
            .column("id", a -> a.id, (a, row, i) -> a.id = row.getUUID(i))
            .column("fingerprint", a -> a.fingerprint, (a, row, i) -> a.fingerprint = row.getString(i))
            .column("title", a -> a.title, (a, row, i) -> a.title = row.getString(i))
            .column("message", a -> a.message, (a, row, i) -> a.message = row.getString(i))
            .column("severity", a -> a.severity, (a, row, i) -> a.severity = row.getString(i))
            .column("service_name", a -> a.serviceName, (a, row, i) -> a.serviceName = row.getString(i))
            .column("status", a -> a.status, (a, row, i) -> a.status = row.getString(i))
            .column("source", a -> a.source, (a, row, i) -> a.source = row.getString(i))
            .json("labels", a -> a.labels, (a, row, i) -> a.labels = row.getString(i))
            .json("annotations", a -> a.annotations, (a, row, i) -> a.annotations = row.getString(i))
            .json("metadata", a -> a.metadata, (a, row, i) -> a.metadata = row.getString(i))
            .column("starts_at", a -> a.startsAt, (a, row, i) -> a.startsAt = row.getOffsetDateTime(i))
            .column("ends_at", a -> a.endsAt, (a, row, i) -> a.endsAt = row.getOffsetDateTime(i))
            .column("last_fired_at", a -> a.lastFiredAt, (a, row, i) -> a.lastFiredAt = row.getOffsetDateTime(i))
            .column("fire_count", a -> a.fireCount, (a, row, i) -> a.fireCount = row.getInteger(i))
            .column("created_at", a -> a.createdAt, (a, row, i) -> a.createdAt = row.getOffsetDateTime(i))
            .column("updated_at", a -> a.updatedAt, (a, row, i) -> a.updatedAt = row.getOffsetDateTime(i))
            .column("acknowledged_at", a -> a.acknowledgedAt, (a, row, i) -> a.acknowledgedAt = row.getOffsetDateTime(i))
            .column("acknowledged_by", a -> a.acknowledgedBy, (a, row, i) -> a.acknowledgedBy = row.getString(i))
            .column("resolved_at", a -> a.resolvedAt, (a, row, i) -> a.resolvedAt = row.getOffsetDateTime(i))
            .column("resolved_by", a -> a.resolvedBy, (a, row, i) -> a.resolvedBy = row.getString(i));

    private static final String SELECT = MAPPING.select();

    private AlertTable() {
    }

    /** The select list of a whole alert, each column under its own name and in order, as {@link #read} takes it. */
    public static String select() {
        return SELECT;
    }

    /**
     * The select list of a whole alert from the table aliased {@code alias} in a join; no column
     * before it may be named {@code id}.
     */
    public static String select(String alias) {
        return MAPPING.select(alias);
    }

    /** A row selected with {@link #select}: its columns are read by position from the first, {@code id}. */
    public static Alert read(Row row) {
        return MAPPING.read(row, row.getColumnIndex("id"));
    }

    /** The first row of a plain {@link #select()}, or null when there is none. */
    static Alert first(RowSet<Row> rows) {
        return MAPPING.first(rows);
    }

    /** Every row of a plain {@link #select()}. */
    static List<Alert> all(RowSet<Row> rows) {
        return MAPPING.all(rows);
    }

    /** Inserts a row bound with {@link #tuple}. */
    static String insert(String table) {
        return MAPPING.insert(table);
    }

    /** Updates every column but the id (bound as $1) of a row bound with {@link #tuple}. */
    static String update(String table) {
        return MAPPING.update(table);
    }

    /** The alert's values in column order. */
    static Tuple tuple(Alert alert) {
        return MAPPING.tuple(alert);
    }
}
