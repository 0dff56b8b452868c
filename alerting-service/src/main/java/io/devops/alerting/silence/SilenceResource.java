package io.devops.alerting.silence;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.security.Actor;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.problem.QueryParams;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/silences")
@Tag(name = "silences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SilenceResource {
    private final SilenceBook book;

    SilenceResource(SilenceBook book) {
        this.book = book;
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Silence alerts", description = "Alerts matching every matcher are not notified between starts_at and ends_at; when it ends, those still firing are announced.")
    @APIResponse(responseCode = "201", description = "The silence", content = @Content(schema = @Schema(implementation = SilenceView.class)))
    @APIResponse(responseCode = "400", description = "Invalid silence", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(SilenceRequest request, @Context SecurityContext security) {
        return book.create(request, Actor.of(security))
                .map(view -> Response.created(URI.create("/silences/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "List silences", description = "At most 1000, the latest ending first.")
    public Uni<List<SilenceView>> list(@Parameter(description = "pending, active or expired") @QueryParam("state") String state) {
        return book.list(QueryParams.oneOf("state", state, List.of(SilenceBook.PENDING, SilenceBook.ACTIVE, SilenceBook.EXPIRED)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Get a silence")
    @APIResponse(responseCode = "404", description = "No such silence", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SilenceView> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("silence", id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "End a silence now")
    @APIResponse(responseCode = "404", description = "No such silence", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "It has ended", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<SilenceView> expire(@PathParam("id") String id) {
        return book.expire(PathIds.parse("silence", id));
    }
}
