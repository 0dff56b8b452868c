package io.devops.registry.health;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import io.devops.common.events.HealthStatus;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.devops.registry.service.ServiceBook;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /services/{id}/health}: the service's recent checks, newest first, read from the
 * monitoring service, which owns them. A service monitoring has not seen yet has none; monitoring
 * being away or too slow is a 503, never a wait without end.
 */
@Path("/services/{id}/health")
@Tag(name = "services")
@Produces(MediaType.APPLICATION_JSON)
public class HealthHistoryResource {
    private static final Logger LOG = Logger.getLogger(HealthHistoryResource.class);

    private final ServiceBook book;
    private final MonitoringClient monitoring;

    HealthHistoryResource(ServiceBook book, @RestClient MonitoringClient monitoring) {
        this.book = book;
        this.monitoring = monitoring;
    }

    /** One health check result, as SEED-API.md has it, with the reason monitoring gave it. */
    public record HealthCheckResult(long id, UUID serviceId, HealthStatus status, String reason, Long responseTimeMs,
            Integer statusCode, String errorMessage, OffsetDateTime checkedAt) {
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Recent health checks of a service, newest first")
    @APIResponse(responseCode = "503", description = "The monitoring service is unavailable", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<List<HealthCheckResult>> history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        int max = QueryParams.boundedInt("limit", limit, 50, 1, 500);
        UUID serviceId = PathIds.parse("service", id);
        return book.get(serviceId)
                .chain(service -> monitoring.recentChecks(serviceId, max))
                .onFailure(HealthHistoryResource::notMonitoredYet).recoverWithItem(List.of())
                .onFailure(failure -> !(failure instanceof ProblemException)).transform(failure -> {
                    LOG.warnf("monitoring-service did not answer for the health of %s: %s", serviceId, failure.toString());
                    return ProblemException.unavailable("the monitoring service, which keeps health checks, is unavailable; retry shortly");
                });
    }

    private static boolean notMonitoredYet(Throwable failure) {
        return failure instanceof WebApplicationException web && web.getResponse().getStatus() == 404;
    }
}
