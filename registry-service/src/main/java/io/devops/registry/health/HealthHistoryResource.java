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
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.HealthStatus;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.devops.registry.service.ServiceCatalog;
import io.devops.registry.service.ServiceIds;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /services/{id}/health}: the service's recent checks, newest first. The monitoring
 * service owns that history; until it is deployed the list is empty, in the final shape.
 */
@Path("/services/{id}/health")
@Tag(name = "services")
@Produces(MediaType.APPLICATION_JSON)
public class HealthHistoryResource {
    private final ServiceCatalog catalog;

    HealthHistoryResource(ServiceCatalog catalog) {
        this.catalog = catalog;
    }

    /** One health check result, as SEED-API.md has it. */
    public record HealthCheckResult(UUID id, UUID serviceId, HealthStatus status, Long responseTimeMs, Integer statusCode,
            String errorMessage, OffsetDateTime checkedAt) {
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Recent health checks of a service, newest first")
    public Uni<List<HealthCheckResult>> history(@PathParam("id") String id, @QueryParam("limit") String limit) {
        QueryParams.boundedInt("limit", limit, 50, 1, 500);
        return catalog.get(ServiceIds.parse(id)).map(service -> List.of());
    }
}
