package io.devops.monitoring.history;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.events.HealthStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads stored checks, newest first; every query bounds {@code checked_at}, so only the partitions in range are read. */
@ApplicationScoped
public class CheckHistory {
    private static final String COLUMNS = "id, service_id, status, reason, response_time_ms, status_code, message, checked_at";

    private final Pool pool;

    CheckHistory(Pool pool) {
        this.pool = pool;
    }

    /** A service's checks in {@code [from, to)}, optionally of one status. */
    public Uni<List<CheckRecord>> of(UUID serviceId, OffsetDateTime from, OffsetDateTime to, HealthStatus status, int limit,
            int skip) {
        return pool.preparedQuery("select " + COLUMNS + """
                 from check_result where service_id = $1 and checked_at >= $2 and checked_at < $3
                and ($4::text is null or status = $4) order by checked_at desc, id desc limit $5 offset $6""")
                .execute(Tuple.from(new Object[] { serviceId, from, to, status == null ? null : status.json(), limit, skip }))
                .map(CheckHistory::records);
    }

    /** The newest checks of all services, for the dashboard. */
    public Uni<List<CheckRecord>> newest(OffsetDateTime since, int limit) {
        return pool.preparedQuery("select " + COLUMNS + " from check_result where checked_at >= $1 order by checked_at desc limit $2")
                .execute(Tuple.of(since, limit)).map(CheckHistory::records);
    }

    private static List<CheckRecord> records(RowSet<Row> rows) {
        List<CheckRecord> records = new ArrayList<>(rows.size());
        for (Row row : rows) {
            records.add(new CheckRecord(row.getLong("id"), row.getUUID("service_id"), HealthStatus.fromJson(row.getString("status")),
                    row.getString("reason"), row.getLong("response_time_ms"), row.getInteger("status_code"),
                    row.getString("message"), row.getOffsetDateTime("checked_at")));
        }
        return records;
    }
}
