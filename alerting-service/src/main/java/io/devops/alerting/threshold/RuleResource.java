package io.devops.alerting.threshold;

import java.net.URI;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/rules")
@Tag(name = "threshold rules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RuleResource {
    private final RuleBook book;

    RuleResource(RuleBook book) {
        this.book = book;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Create a threshold rule", description = "Evaluated on every node's samples from metrics.samples.")
    @APIResponse(responseCode = "201", description = "The rule", content = @Content(schema = @Schema(implementation = RuleView.class)))
    @APIResponse(responseCode = "400", description = "Invalid rule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(RuleRequest request) {
        return book.create(request).map(view -> Response.created(URI.create("/rules/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "List threshold rules", description = "By name.")
    public Uni<List<RuleView>> list() {
        return book.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Get a threshold rule")
    @APIResponse(responseCode = "404", description = "No such rule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RuleView> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("rule", id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Replace a threshold rule", description = "Its series start afresh; alerts it raised stay until their series are judged again.")
    @APIResponse(responseCode = "400", description = "Invalid rule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such rule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RuleView> update(@PathParam("id") String id, RuleRequest request) {
        return book.update(PathIds.parse("rule", id), request);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Delete a threshold rule", description = "Alerts it raised stay for someone to resolve.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such rule", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("id") String id) {
        return book.delete(PathIds.parse("rule", id)).map(ignored -> Response.noContent().build());
    }
}
