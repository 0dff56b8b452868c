package io.devops.monitoring.metrics;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.devops.common.events.EventCodec;
import io.devops.common.problem.ProblemException;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code GET /monitoring/metrics}: samples newest first, as SEED-API.md has them; with {@code step},
 * series aggregated per step (avg, min, max, last) for charts, read from the raw samples for steps
 * under a minute, the minute rollups under an hour, the hour rollups beyond.
 */
@Path("/monitoring/metrics")
@Tag(name = "metrics")
@Produces(MediaType.APPLICATION_JSON)
public class MetricsResource {
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final Pool pool;
    private final EventCodec codec;

    MetricsResource(Pool pool, EventCodec codec) {
        this.pool = pool;
        this.codec = codec;
    }

    /** One sample; {@code id} is its series and time. */
    public record Metric(String id, String name, double value, Map<String, String> labels, String nodeId,
            OffsetDateTime timestamp) {
    }

    /** One series, aggregated per step. */
    public record Series(String name, String nodeId, Map<String, String> labels, List<Point> points) {
    }

    public record Point(OffsetDateTime timestamp, double avg, double min, double max, double last, long samples) {
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Metric samples, newest first; with step, series aggregated per step")
    public Uni<List<?>> metrics(@QueryParam("name") String name,
            @Parameter(description = "The node's id") @QueryParam("node") String node,
            @Parameter(description = "key=value; repeat for several, all must match") @QueryParam("label") List<String> label,
            @Parameter(description = "1 to 168, when from is not given", schema = @Schema(defaultValue = "24")) @QueryParam("hours") String hours,
            @Parameter(description = "RFC 3339") @QueryParam("from") String from,
            @Parameter(description = "RFC 3339; default now") @QueryParam("to") String to,
            @Parameter(description = "10s to 7d, for example 1m, 1h; returns series per step") @QueryParam("step") String step,
            @Parameter(description = "1 to 10000", schema = @Schema(defaultValue = "1000")) @QueryParam("limit") String limit) {
        int lookback = QueryParams.boundedInt("hours", hours, 24, 1, 168);
        OffsetDateTime end = QueryParams.timestamp("to", to);
        end = end == null ? Timestamps.now() : end;
        OffsetDateTime start = QueryParams.timestamp("from", from);
        start = start == null ? end.minusHours(lookback) : start;
        QueryParams.range("from", start, "to", end);
        int max = QueryParams.boundedInt("limit", limit, 1000, 1, 10_000);
        String labels = codec.encode(QueryParams.pairs("label", label));
        Duration stepLength = QueryParams.duration("step", step, null, Duration.ofSeconds(10), Duration.ofDays(7));
        if (stepLength == null) {
            return raw(name, node, labels, start, end, max);
        }
        if (name == null || name.isBlank()) {
            throw ProblemException.badRequest("query parameter 'name' is required with 'step'");
        }
        return aggregated(name, node, labels, start, end, stepLength, max);
    }

    private Uni<List<?>> raw(String name, String node, String labels, OffsetDateTime from, OffsetDateTime to, int limit) {
        return pool.preparedQuery("""
                select s.id, s.name, s.node_id, s.labels::text as labels, m.ts, m.value
                from metric_sample m join metric_series s on s.id = m.series_id
                where m.ts >= $1 and m.ts < $2 and ($3::text is null or s.name = $3) and ($4::text is null or s.node_id = $4)
                  and s.labels @> $5::text::jsonb
                order by m.ts desc, s.id limit $6""")
                .execute(Tuple.from(new Object[] { from, to, blankToNull(name), blankToNull(node), labels, limit }))
                .map(rows -> {
                    List<Metric> metrics = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        OffsetDateTime ts = row.getOffsetDateTime("ts");
                        metrics.add(new Metric(row.getLong("id") + "-" + ts.toInstant().toEpochMilli(), row.getString("name"),
                                row.getDouble("value"), parse(row.getString("labels")), row.getString("node_id"), ts));
                    }
                    return metrics;
                });
    }

    private Uni<List<?>> aggregated(String name, String node, String labels, OffsetDateTime from, OffsetDateTime to,
            Duration step, int limit) {
        String source;
        if (step.compareTo(Duration.ofMinutes(1)) < 0) {
            source = "select series_id, ts as bucket, 1 as samples, value as sum, value as min, value as max, value as last "
                    + "from metric_sample";
        } else if (step.compareTo(Duration.ofHours(1)) < 0) {
            source = "select series_id, bucket, samples, sum, min, max, last from metric_rollup_1m";
        } else {
            source = "select series_id, bucket, samples, sum, min, max, last from metric_rollup_1h";
        }
        return pool.preparedQuery("""
                with series as (
                    select id, name, node_id, labels from metric_series
                    where name = $1 and ($2::text is null or node_id = $2) and labels @> $3::text::jsonb
                    order by id limit 200
                ), data as (%s)
                select s.id, s.name, s.node_id, s.labels::text as labels,
                       date_bin($6::text::interval, d.bucket, timestamptz '2000-01-01') as step_start,
                       sum(d.sum) / sum(d.samples) as avg, min(d.min) as min, max(d.max) as max,
                       (array_agg(d.last order by d.bucket desc))[1] as last, sum(d.samples) as samples
                from series s join data d on d.series_id = s.id
                where d.bucket >= $4 and d.bucket < $5
                group by s.id, s.name, s.node_id, s.labels, step_start
                order by s.id, step_start
                limit $7""".formatted(source))
                .execute(Tuple.from(new Object[] { name, blankToNull(node), labels, from, to,
                        step.toSeconds() + " seconds", limit }))
                .map(rows -> {
                    Map<Long, Series> series = new LinkedHashMap<>();
                    for (Row row : rows) {
                        Series s = series.computeIfAbsent(row.getLong("id"), id -> new Series(row.getString("name"),
                                row.getString("node_id"), parse(row.getString("labels")), new ArrayList<>()));
                        s.points().add(new Point(row.getOffsetDateTime("step_start"), round(row.getDouble("avg")),
                                row.getDouble("min"), row.getDouble("max"), row.getDouble("last"), row.getLong("samples")));
                    }
                    return new ArrayList<>(series.values());
                });
    }


    private Map<String, String> parse(String labels) {
        try {
            return codec.mapper().readValue(labels, LABELS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not JSON", e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
