package io.devops.monitoring.diagnosis;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.HealthCheckSpec;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.devops.monitoring.diagnosis.DiagnosisInput.DeploymentFacts;
import io.devops.monitoring.diagnosis.DiagnosisInput.HourlyResponseTime;
import io.devops.monitoring.diagnosis.DiagnosisInput.IncidentFacts;
import io.devops.monitoring.incident.IncidentQueries;
import io.devops.monitoring.incident.IncidentView;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code GET /monitoring/incidents/{id}/diagnosis}: the rule-based diagnosis of the service's recent incidents. */
@Path("/monitoring/incidents/{id}/diagnosis")
@Tag(name = "incidents")
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosisResource {
    private final IncidentQueries incidents;
    private final DiagnosisEngine engine;
    private final Pool pool;
    private final MonitoringSettings settings;

    DiagnosisResource(IncidentQueries incidents, DiagnosisEngine engine, Pool pool, MonitoringSettings settings) {
        this.incidents = incidents;
        this.engine = engine;
        this.pool = pool;
        this.settings = settings;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Patterns in the service's recent incidents, each with evidence, a confidence and a recommendation")
    @APIResponse(responseCode = "404", description = "No such incident", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @WithSpan
    public Uni<Diagnosis> diagnose(@PathParam("id") String id) {
        return incidents.get(PathIds.parse("incident", id)).chain(this::inputs).map(engine::diagnose);
    }

    private Uni<DiagnosisInput> inputs(IncidentView incident) {
        OffsetDateTime now = Timestamps.now();
        OffsetDateTime since = now.minus(settings.diagnosis().lookback());
        UUID serviceId = incident.serviceId();
        Uni<List<IncidentFacts>> recent = incidents.ofService(serviceId, since)
                .map(list -> list.stream().map(DiagnosisResource::facts).toList());
        Uni<List<HourlyResponseTime>> hourly = pool.preparedQuery("""
                select bucket, checks, response_time_sum_ms, unhealthy from check_hourly
                where service_id = $1 and bucket >= $2 order by bucket""").execute(Tuple.of(serviceId, since)).map(rows -> {
                    List<HourlyResponseTime> hours = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        long checks = row.getLong("checks");
                        hours.add(new HourlyResponseTime(row.getOffsetDateTime("bucket"), checks,
                                checks == 0 ? 0 : row.getLong("response_time_sum_ms") / (double) checks, row.getLong("unhealthy")));
                    }
                    return hours;
                });
        Uni<List<DeploymentFacts>> deployments = pool.preparedQuery("""
                select deployment_id, version, previous_version, status, occurred_at from deployment_event
                where service_id = $1 and occurred_at >= $2 order by occurred_at""").execute(Tuple.of(serviceId, since))
                .map(rows -> {
                    List<DeploymentFacts> list = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        list.add(new DeploymentFacts(row.getUUID("deployment_id"), row.getString("version"),
                                row.getString("previous_version"), row.getString("status"), row.getOffsetDateTime("occurred_at")));
                    }
                    return list;
                });
        Uni<Map<String, Long>> reasons = pool.preparedQuery("""
                select reason, count(*) as failures from check_result
                where service_id = $1 and checked_at >= $2 and status = 'unhealthy' group by reason order by failures desc""")
                .execute(Tuple.of(serviceId, since)).map(rows -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    rows.forEach(row -> counts.put(row.getString("reason"), row.getLong("failures")));
                    return counts;
                });
        Uni<Row> certificate = pool.preparedQuery("""
                select tls_expires_at, (health_check ->> 'tls_expiry_days')::int as tls_expiry_days
                from monitored_service where id = $1""").execute(Tuple.of(serviceId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
        return Uni.combine().all().unis(recent, hourly, deployments, reasons, certificate).with((r, h, d, f, c) -> {
            OffsetDateTime expiresAt = c == null ? null : c.getOffsetDateTime("tls_expires_at");
            Integer days = c == null ? null : c.getInteger("tls_expiry_days");
            return new DiagnosisInput(facts(incident), r, h, d, f, expiresAt,
                    days == null ? HealthCheckSpec.DEFAULT_TLS_EXPIRY_DAYS : days, settings.diagnosis().deploymentWindow(),
                    settings.diagnosis().lookback(), now);
        });
    }

    private static IncidentFacts facts(IncidentView view) {
        return new IncidentFacts(view.id(), view.serviceId(), view.startedAt(), view.endedAt(), view.firstErrorReason(),
                view.firstErrorMessage(), (int) view.failedChecks());
    }
}
