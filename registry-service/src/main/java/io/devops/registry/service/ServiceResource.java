package io.devops.registry.service;

import java.net.URI;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.HealthStatus;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/services")
@Tag(name = "services")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ServiceResource {
    static final String TOTAL_COUNT = "X-Total-Count";

    private final ServiceBook book;
    private final Heartbeats heartbeats;

    ServiceResource(ServiceBook book, Heartbeats heartbeats) {
        this.book = book;
        this.heartbeats = heartbeats;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Register a service")
    @APIResponse(responseCode = "201", description = "Registered", content = @Content(schema = @Schema(implementation = ServiceSnapshot.class)))
    @APIResponse(responseCode = "400", description = "Invalid registration", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A service of that name exists", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> register(ServiceRegistration registration) {
        return book.register(registration)
                .map(view -> Response.created(URI.create("/services/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "List services", description = "Ordered by registration time; the total across pages is in X-Total-Count.")
    @APIResponse(responseCode = "200", description = "A page of services", headers = @Header(name = TOTAL_COUNT),
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = ServiceSnapshot.class)))
    public Uni<Response> list(
            @QueryParam("environment") String environment,
            @Parameter(description = "healthy, degraded, unhealthy or unknown") @QueryParam("status") String status,
            @Parameter(description = "The former name of status") @QueryParam("status_filter") String statusFilter,
            @Parameter(description = "Comma-separated; a service must carry all of them") @QueryParam("tags") String tags,
            @Parameter(description = "key=value; repeat for several, all must match") @QueryParam("metadata") List<String> metadata,
            @Parameter(description = "At most 1000", schema = @Schema(defaultValue = "100")) @QueryParam("limit") String limit,
            @Parameter(schema = @Schema(defaultValue = "0")) @QueryParam("skip") String skip) {
        ServiceQuery query = new ServiceQuery(blankToNull(environment), status(status != null ? status : statusFilter),
                tags(tags), QueryParams.pairs("metadata", metadata),
                QueryParams.boundedInt("limit", limit, 100, 0, 1000),
                QueryParams.boundedInt("skip", skip, 0, 0, Integer.MAX_VALUE));
        return book.list(query).map(page -> Response.ok(page.items().stream().map(this::withPendingBeat).toList())
                .header(TOTAL_COUNT, page.total()).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Get a service")
    @APIResponse(responseCode = "404", description = "No such service", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ServiceSnapshot> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("service", id)).map(this::withPendingBeat);
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Change a service", description = "Only the fields sent change.")
    public Uni<ServiceSnapshot> update(@PathParam("id") String id, ServiceUpdate update) {
        return book.update(PathIds.parse("service", id), update);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Deregister a service")
    @APIResponse(responseCode = "204", description = "Deregistered")
    public Uni<Response> deregister(@PathParam("id") String id) {
        var serviceId = PathIds.parse("service", id);
        return book.deregister(serviceId).invoke(() -> heartbeats.deregistered(serviceId))
                .map(ignored -> Response.noContent().build());
    }

    /** A heartbeat not yet written is still the service's latest sign of life. */
    private ServiceSnapshot withPendingBeat(ServiceSnapshot view) {
        return heartbeats.pendingBeat(view.id())
                .filter(beat -> view.lastSeen() == null || beat.isAfter(view.lastSeen()))
                .map(view::withLastSeen)
                .orElse(view);
    }

    private static HealthStatus status(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return HealthStatus.fromJson(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("query parameter 'status' must be one of healthy, degraded, unhealthy, unknown; got '"
                    + raw + "'");
        }
    }

    private static List<String> tags(String raw) {
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        return Arrays.stream(raw.split(",")).map(String::trim).filter(t -> !t.isEmpty()).distinct().toList();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
