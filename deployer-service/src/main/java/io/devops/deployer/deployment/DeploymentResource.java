package io.devops.deployer.deployment;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.DeploymentEvent.Status;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Actor;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/deployments")
@Tag(name = "deployments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DeploymentResource {
    static final String TOTAL_COUNT = "X-Total-Count";

    private final DeploymentBook book;

    DeploymentResource(DeploymentBook book) {
        this.book = book;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Deploy a version of a service", description = "Starts a rollout (201), or with dry_run=true shows the"
            + " Kubernetes objects its first step would apply and changes nothing (200). One rollout per service and"
            + " environment at a time: 409 while another is in flight.")
    @APIResponse(responseCode = "201", description = "Accepted; the rollout runs in the background",
            content = @Content(schema = @Schema(implementation = DeploymentView.class)))
    @APIResponse(responseCode = "200", description = "Dry run", content = @Content(schema = @Schema(implementation = DeploymentBook.DryRun.class)))
    @APIResponse(responseCode = "400", description = "Invalid request", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "A rollout of the service to the environment is in flight", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "No Kubernetes cluster is configured", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> deploy(DeploymentRequest request, @QueryParam("dry_run") String dryRun, @Context SecurityContext security) {
        if (flag("dry_run", dryRun)) {
            return book.dryRun(request, Actor.of(security)).map(preview -> Response.ok(preview).build());
        }
        return book.start(request, Actor.of(security))
                .map(view -> Response.created(URI.create("/deployments/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "The history of deployments", description = "Newest first, each with its steps; the total across pages is in X-Total-Count.")
    @APIResponse(responseCode = "200", description = "A page of deployments", headers = @Header(name = TOTAL_COUNT),
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = DeploymentView.class)))
    public Uni<Response> list(
            @Parameter(description = "A service id") @QueryParam("service_id") String serviceId,
            @Parameter(description = "A service name") @QueryParam("service") String service,
            @QueryParam("environment") String environment,
            @Parameter(description = "pending, in_progress, paused, succeeded, failed, rolling_back or rolled_back") @QueryParam("status") String status,
            @Parameter(description = "Created at or after (RFC 3339)") @QueryParam("from") String from,
            @Parameter(description = "Created before (RFC 3339)") @QueryParam("to") String to,
            @Parameter(description = "At most 1000", schema = @Schema(defaultValue = "100")) @QueryParam("limit") String limit,
            @Parameter(schema = @Schema(defaultValue = "0")) @QueryParam("skip") String skip) {
        var fromTime = QueryParams.timestamp("from", from);
        var toTime = QueryParams.timestamp("to", to);
        QueryParams.range("from", fromTime, "to", toTime);
        DeploymentQuery query = new DeploymentQuery(QueryParams.uuid("service_id", serviceId), blankToNull(service),
                blankToNull(environment), status(status), fromTime, toTime, QueryParams.boundedInt("limit", limit, 100, 1, 1000),
                QueryParams.boundedInt("skip", skip, 0, 0, Integer.MAX_VALUE));
        return book.list(query).map(page -> Response.ok(page.items()).header(TOTAL_COUNT, page.total()).build());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "A deployment, with its steps")
    @APIResponse(responseCode = "404", description = "No such deployment", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<DeploymentView> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("deployment", id));
    }

    @POST
    @Path("/{id}/promote")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "End the current canary step now (full=true: every step), or a rollout's analysis")
    public Uni<DeploymentView> promote(@PathParam("id") String id, @QueryParam("full") String full, @Context SecurityContext security) {
        return book.promote(PathIds.parse("deployment", id), flag("full", full), Actor.of(security));
    }

    @POST
    @Path("/{id}/pause")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Hold a rollout where it is; its gate still rolls it back")
    public Uni<DeploymentView> pause(@PathParam("id") String id, @Context SecurityContext security) {
        return book.pause(PathIds.parse("deployment", id), Actor.of(security));
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Let a held rollout go on")
    public Uni<DeploymentView> resume(@PathParam("id") String id, @Context SecurityContext security) {
        return book.resume(PathIds.parse("deployment", id), Actor.of(security));
    }

    @POST
    @Path("/{id}/abort")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Stop a rollout and put back what ran before it")
    public Uni<DeploymentView> abort(@PathParam("id") String id, @Context SecurityContext security) {
        return book.abort(PathIds.parse("deployment", id), Actor.of(security));
    }

    @POST
    @Path("/{id}/rollback")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Roll a deployment back", description = "One in flight is aborted and rolled back (200); for one that ended,"
            + " the last revision that succeeded before it is deployed again, as a new deployment (201).")
    @APIResponse(responseCode = "409", description = "Nothing to roll back to, or another rollout in flight", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> rollback(@PathParam("id") String id, @Context SecurityContext security) {
        return book.rollback(PathIds.parse("deployment", id), Actor.of(security)).map(result -> result.created()
                ? Response.created(URI.create("/deployments/" + result.deployment().id())).entity(result.deployment()).build()
                : Response.ok(result.deployment()).build());
    }

    private static boolean flag(String name, String raw) {
        if (raw == null || raw.isBlank() || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw ProblemException.badRequest("query parameter '" + name + "' must be true or false; got '" + raw + "'");
    }

    private static Status status(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        for (Status status : Status.values()) {
            if (status.json().equals(raw.strip())) {
                return status;
            }
        }
        throw ProblemException.badRequest("query parameter 'status' must be one of pending, in_progress, paused, succeeded,"
                + " failed, rolling_back, rolled_back; got '" + raw + "'");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
