package io.devops.monitoring.maintenance;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Maintenance windows: checks go on, but no change to unhealthy is published while one is open. */
@Path("/monitoring/maintenance-windows")
@Tag(name = "maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MaintenanceWindowResource {
    private final MaintenanceBook book;
    private final SecurityIdentity identity;

    MaintenanceWindowResource(MaintenanceBook book, SecurityIdentity identity) {
        this.book = book;
        this.identity = identity;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Open a maintenance window for a service, once or on a schedule")
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = MaintenanceWindowView.class)))
    @APIResponse(responseCode = "400", description = "Invalid window", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "The service is not monitored", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(MaintenanceWindowRequest request) {
        return book.create(request, identity.getPrincipal().getName()).map(view -> Response
                .created(URI.create("/monitoring/maintenance-windows/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Maintenance windows, newest first")
    public Uni<List<MaintenanceWindowView>> list(@QueryParam("service_id") String serviceId) {
        return book.list(QueryParams.uuid("service_id", serviceId));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "One maintenance window")
    public Uni<MaintenanceWindowView> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("maintenance window", id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "End and remove a maintenance window")
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Response> delete(@PathParam("id") String id) {
        return book.delete(PathIds.parse("maintenance window", id)).map(ignored -> Response.noContent().build());
    }
}
