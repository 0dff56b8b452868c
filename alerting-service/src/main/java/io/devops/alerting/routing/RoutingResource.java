package io.devops.alerting.routing;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.security.Actor;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/routing")
@Tag(name = "routing")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RoutingResource {
    private final RoutingBook book;

    RoutingResource(RoutingBook book) {
        this.book = book;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "The routing tree and inhibition rules", description = "Version 0 is the default: nothing is sent.")
    public Uni<RoutingBook.RoutingView> get() {
        return book.get();
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the routing tree and inhibition rules",
            description = "Checked whole (matchers, durations, channel names) and refused with every problem listed; applies to alerts that open after it.")
    @APIResponse(responseCode = "400", description = "Invalid routing", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<RoutingBook.RoutingView> replace(RoutingDocument document, @Context SecurityContext security) {
        if (document == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        return book.replace(document, Actor.of(security));
    }
}
