package io.devops.monitoring.incident;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.problem.ProblemException;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads incidents; an open incident's failed checks are counted from the stored results. */
@ApplicationScoped
public class IncidentQueries {
    private static final String SELECT = """
            select i.id, i.service_id, i.service_name, i.environment, i.started_at, i.ended_at, i.first_error_reason,
                   i.first_error_message, i.first_status_code,
                   coalesce(i.failed_checks, (select count(*) from check_result r where r.service_id = i.service_id
                       and r.checked_at >= i.started_at and r.status = 'unhealthy')) as failed_checks
            from incident i
            """;
    private static final String FILTER = """
            where ($1::uuid is null or i.service_id = $1)
              and ($2::boolean is null or (i.ended_at is null) = $2)
              and ($3::timestamptz is null or coalesce(i.ended_at, 'infinity') >= $3)
              and ($4::timestamptz is null or i.started_at < $4)
            """;

    private final Pool pool;

    IncidentQueries(Pool pool) {
        this.pool = pool;
    }

    /** A page of incidents, newest first, with the total across pages. */
    public record Page(List<IncidentView> incidents, long total) {
    }

    /**
     * Incidents that overlap {@code [from, to)}; {@code open} null means both states.
     */
    public Uni<Page> find(UUID serviceId, Boolean open, OffsetDateTime from, OffsetDateTime to, int limit, int skip) {
        Uni<List<IncidentView>> page = pool.preparedQuery(SELECT + FILTER + " order by i.started_at desc, i.id limit $5 offset $6")
                .execute(Tuple.from(new Object[] { serviceId, open, from, to, limit, skip })).map(IncidentQueries::views);
        Uni<Long> total = pool.preparedQuery("select count(*) from incident i " + FILTER)
                .execute(Tuple.from(new Object[] { serviceId, open, from, to })).map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(page, total).with(Page::new);
    }

    public Uni<IncidentView> get(UUID id) {
        return pool.preparedQuery(SELECT + " where i.id = $1").execute(Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                throw ProblemException.notFound("no incident with id '" + id + "'");
            }
            return views(rows).get(0);
        });
    }

    /** A service's incidents that started in {@code [since, now]}, oldest first. */
    public Uni<List<IncidentView>> ofService(UUID serviceId, OffsetDateTime since) {
        return pool.preparedQuery(SELECT + " where i.service_id = $1 and i.started_at >= $2 order by i.started_at")
                .execute(Tuple.of(serviceId, since)).map(IncidentQueries::views);
    }

    private static List<IncidentView> views(RowSet<Row> rows) {
        OffsetDateTime now = Timestamps.now();
        List<IncidentView> views = new ArrayList<>(rows.size());
        for (Row row : rows) {
            OffsetDateTime started = row.getOffsetDateTime("started_at");
            OffsetDateTime ended = row.getOffsetDateTime("ended_at");
            views.add(new IncidentView(row.getUUID("id"), row.getUUID("service_id"), row.getString("service_name"),
                    row.getString("environment"), ended == null ? "open" : "closed", started, ended,
                    Math.max(0, Duration.between(started, ended == null ? now : ended).toSeconds()),
                    row.getString("first_error_reason"), row.getString("first_error_message"),
                    row.getInteger("first_status_code"), row.getLong("failed_checks")));
        }
        return views;
    }
}
