package io.devops.monitoring.history;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.HealthStatus;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.devops.monitoring.catalog.ServiceDirectory;
import io.devops.monitoring.catalog.ServiceDirectory.MonitoredService;
import io.smallrye.mutiny.Uni;

/** A service's current status and its stored checks. */
@Path("/monitoring/services/{id}")
@Tag(name = "checks")
@Produces(MediaType.APPLICATION_JSON)
public class CheckHistoryResource {
    private static final List<String> STATUSES = List.of("healthy", "degraded", "unhealthy");

    private final ServiceDirectory directory;
    private final CheckHistory history;
    private final MonitoringSettings settings;

    CheckHistoryResource(ServiceDirectory directory, CheckHistory history, MonitoringSettings settings) {
        this.directory = directory;
        this.history = history;
        this.settings = settings;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "A monitored service's checked status")
    @APIResponse(responseCode = "404", description = "Not monitored", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<MonitoredService> service(@PathParam("id") String id) {
        return directory.get(PathIds.parse("service", id));
    }

    @GET
    @Path("/health")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Recent checks of a service, newest first", description = "What the registry's GET /services/{id}/health returns.")
    public Uni<List<CheckRecord>> recent(@PathParam("id") String id,
            @Parameter(description = "1 to 500", schema = @Schema(defaultValue = "50")) @QueryParam("limit") String limit) {
        UUID serviceId = PathIds.parse("service", id);
        int max = QueryParams.boundedInt("limit", limit, 50, 1, 500);
        OffsetDateTime now = Timestamps.now();
        return directory.get(serviceId)
                .chain(service -> history.of(serviceId, now.minus(settings.history().retention()), now.plusMinutes(1), null, max, 0));
    }

    @GET
    @Path("/checks")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "A service's checks in a time range, newest first")
    @APIResponse(responseCode = "400", description = "Invalid range or paging", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<CheckRecord>> checks(@PathParam("id") String id,
            @Parameter(description = "RFC 3339; default: 24 hours before to") @QueryParam("from") String from,
            @Parameter(description = "RFC 3339; default: now") @QueryParam("to") String to,
            @Parameter(description = "healthy, degraded or unhealthy") @QueryParam("status") String status,
            @Parameter(description = "1 to 1000", schema = @Schema(defaultValue = "100")) @QueryParam("limit") String limit,
            @Parameter(description = "0 to 100000", schema = @Schema(defaultValue = "0")) @QueryParam("skip") String skip) {
        UUID serviceId = PathIds.parse("service", id);
        OffsetDateTime end = QueryParams.timestamp("to", to);
        OffsetDateTime start = QueryParams.timestamp("from", from);
        end = end == null ? Timestamps.now().plusMinutes(1) : end;
        start = start == null ? end.minusHours(24) : start;
        QueryParams.range("from", start, "to", end);
        String onlyStatus = QueryParams.oneOf("status", status, STATUSES);
        int max = QueryParams.boundedInt("limit", limit, 100, 1, 1000);
        int offset = QueryParams.boundedInt("skip", skip, 0, 0, 100_000);
        OffsetDateTime rangeStart = start;
        OffsetDateTime rangeEnd = end;
        return directory.get(serviceId).chain(service -> history.of(serviceId, rangeStart, rangeEnd,
                onlyStatus == null ? null : HealthStatus.fromJson(onlyStatus), max, offset));
    }
}
