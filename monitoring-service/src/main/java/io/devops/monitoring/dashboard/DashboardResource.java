package io.devops.monitoring.dashboard;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.HealthStatus;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.dashboard.Dashboard.InfrastructureStats;
import io.devops.monitoring.dashboard.Dashboard.RecentCheck;
import io.devops.monitoring.dashboard.Dashboard.ResponseTimePoint;
import io.devops.monitoring.dashboard.Dashboard.ServiceStats;
import io.devops.monitoring.infrastructure.NodeActivity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** The overview paths of SEED-API.md, computed from what every replica stored. */
@Path("/monitoring")
@Tag(name = "dashboard")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {
    private static final String STATUS_COUNTS = """
            select count(*) as total, count(*) filter (where status = 'healthy') as healthy,
                   count(*) filter (where status = 'degraded') as degraded,
                   count(*) filter (where status = 'unhealthy') as unhealthy,
                   count(*) filter (where status = 'unknown') as unknown
            from monitored_service where ($1::text is null or environment = $1)""";

    private final Pool pool;
    private final NodeActivity nodes;

    DashboardResource(Pool pool, NodeActivity nodes) {
        this.pool = pool;
        this.nodes = nodes;
    }

    @GET
    @Path("/dashboard")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Service counts, the 10 newest checks and the hourly mean response time of the last 24 hours")
    public Uni<Dashboard> dashboard() {
        OffsetDateTime now = Timestamps.now();
        Uni<ServiceStats> stats = pool.preparedQuery(STATUS_COUNTS).execute(Tuple.of((Object) null))
                .map(rows -> serviceStats(rows.iterator().next()));
        Uni<List<RecentCheck>> recent = pool.preparedQuery("""
                select s.name, r.status, r.response_time_ms, r.checked_at
                from check_result r join monitored_service s on s.id = r.service_id
                where r.checked_at >= $1 order by r.checked_at desc limit 10""").execute(Tuple.of(now.minusDays(1)))
                .map(DashboardResource::recentChecks);
        Uni<List<ResponseTimePoint>> trends = pool.preparedQuery("""
                select bucket, sum(response_time_sum_ms)::float8 / nullif(sum(checks), 0) as avg_ms
                from check_hourly where bucket >= $1 group by bucket order by bucket""")
                .execute(Tuple.of(now.minusHours(24))).map(DashboardResource::trends);
        Uni<InfrastructureStats> infrastructure = nodes.counts()
                .map(counts -> new InfrastructureStats(counts.total(), counts.active()));
        return Uni.combine().all().unis(stats, infrastructure, recent, trends).with(Dashboard::new);
    }

    @GET
    @Path("/health-summary")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Services by status, and the unhealthy checks of the last hour")
    public Uni<HealthSummary> summary(@QueryParam("environment") String environment) {
        String env = environment == null || environment.isBlank() ? null : environment;
        OffsetDateTime now = Timestamps.now();
        Uni<Row> counts = pool.preparedQuery(STATUS_COUNTS).execute(Tuple.of(env)).map(rows -> rows.iterator().next());
        Uni<Long> failures = pool.preparedQuery("""
                select count(*) from check_result r where r.checked_at >= $1 and r.status = 'unhealthy'
                and ($2::text is null or exists (select 1 from monitored_service s where s.id = r.service_id and s.environment = $2))""")
                .execute(Tuple.of(now.minusHours(1), env)).map(rows -> rows.iterator().next().getLong(0));
        return Uni.combine().all().unis(counts, failures).with((row, recentFailures) -> {
            ServiceStats stats = serviceStats(row);
            return new HealthSummary(env, stats.total(), stats.healthy(), stats.degraded(), stats.unhealthy(), stats.unknown(),
                    stats.healthPercentage(), recentFailures, now);
        });
    }

    private static ServiceStats serviceStats(Row row) {
        long total = row.getLong("total");
        long healthy = row.getLong("healthy");
        return new ServiceStats(total, healthy, row.getLong("degraded"), row.getLong("unhealthy"), row.getLong("unknown"),
                total == 0 ? 0.0 : Math.round(healthy * 10_000.0 / total) / 100.0);
    }

    private static List<RecentCheck> recentChecks(RowSet<Row> rows) {
        List<RecentCheck> checks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            checks.add(new RecentCheck(row.getString("name"), HealthStatus.fromJson(row.getString("status")),
                    row.getLong("response_time_ms"), row.getOffsetDateTime("checked_at")));
        }
        return checks;
    }

    private static List<ResponseTimePoint> trends(RowSet<Row> rows) {
        List<ResponseTimePoint> points = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Double avg = row.getDouble("avg_ms");
            if (avg != null) {
                points.add(new ResponseTimePoint(row.getOffsetDateTime("bucket"), Math.round(avg * 10) / 10.0));
            }
        }
        return points;
    }
}
