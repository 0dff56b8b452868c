package io.devops.monitoring.uptime;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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

import io.devops.common.events.HealthStatus;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.uptime.UptimeReport.ServiceUptime;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * {@code GET /monitoring/uptime}: read from the hourly aggregates for windows up to 7 days and from
 * the daily ones beyond, so 90 days of 1,000 services is 90,000 rows, not millions of checks.
 */
@Path("/monitoring/uptime")
@Tag(name = "uptime")
@Produces(MediaType.APPLICATION_JSON)
public class UptimeResource {
    private static final Duration HOURLY_UP_TO = Duration.ofDays(7);

    private final Pool pool;

    UptimeResource(Pool pool) {
        this.pool = pool;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Uptime and mean response time per service over a window, overall uptime and the worst service")
    public Uni<UptimeReport> report(
            @Parameter(description = "1h to 90d, for example 24h, 7d, 30d, 90d", schema = @Schema(defaultValue = "24h")) @QueryParam("window") String window,
            @QueryParam("environment") String environment) {
        Duration length = QueryParams.duration("window", window, Duration.ofHours(24), Duration.ofHours(1), Duration.ofDays(90));
        boolean hourly = length.compareTo(HOURLY_UP_TO) <= 0;
        OffsetDateTime to = Timestamps.now();
        OffsetDateTime from = to.minus(length).truncatedTo(hourly ? ChronoUnit.HOURS : ChronoUnit.DAYS);
        String table = hourly ? "check_hourly" : "check_daily";
        String label = window == null || window.isBlank() ? "24h" : window.trim();
        return pool.preparedQuery("""
                select s.id, s.name, s.environment, s.status,
                       coalesce(sum(a.checks), 0) as checks, coalesce(sum(a.unhealthy), 0) as failed,
                       coalesce(sum(a.response_time_sum_ms), 0) as response_time_sum
                from monitored_service s left join %s a on a.service_id = s.id and a.bucket >= $1
                where ($2::text is null or s.environment = $2)
                group by s.id order by s.name""".formatted(table))
                .execute(Tuple.of(from, environment == null || environment.isBlank() ? null : environment))
                .map(rows -> {
                    List<ServiceUptime> services = new ArrayList<>(rows.size());
                    long checks = 0;
                    long failed = 0;
                    for (Row row : rows) {
                        ServiceUptime uptime = uptime(row);
                        checks += uptime.checks();
                        failed += uptime.failedChecks();
                        services.add(uptime);
                    }
                    ServiceUptime worst = services.stream().filter(s -> s.uptimePercentage() != null)
                            .min(Comparator.comparing(ServiceUptime::uptimePercentage)
                                    .thenComparing(Comparator.comparing(ServiceUptime::failedChecks).reversed()))
                            .orElse(null);
                    return new UptimeReport(label, from, to, checks, checks == 0 ? null : percentage(checks - failed, checks),
                            worst, services);
                });
    }

    private static ServiceUptime uptime(Row row) {
        long checks = row.getLong("checks");
        long failed = row.getLong("failed");
        long responseSum = row.getLong("response_time_sum");
        return new ServiceUptime(row.getUUID("id"), row.getString("name"), row.getString("environment"),
                HealthStatus.fromJson(row.getString("status")), checks, failed,
                checks == 0 ? null : percentage(checks - failed, checks),
                checks == 0 ? null : Math.round(responseSum * 10.0 / checks) / 10.0);
    }

    private static double percentage(long part, long whole) {
        return Math.round(part * 10_000.0 / whole) / 100.0;
    }
}
