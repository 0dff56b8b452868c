package io.devops.alerting.channel;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.security.Actor;
import io.devops.common.problem.PathIds;
import io.devops.common.problem.Problem;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/channels")
@Tag(name = "channels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ChannelResource {
    private final ChannelBook book;

    ChannelResource(ChannelBook book) {
        this.book = book;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a channel", description = "Slack, Discord, email (SMTP), a signed JSON webhook or PagerDuty. Secrets are write-only.")
    @APIResponse(responseCode = "201", description = "The channel", content = @Content(schema = @Schema(implementation = ChannelView.class)))
    @APIResponse(responseCode = "400", description = "Invalid channel", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> create(ChannelRequest request) {
        return book.create(request).map(view -> Response.created(URI.create("/channels/" + view.id())).entity(view).build());
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "List channels", description = "By name; secrets only by name.")
    public Uni<List<ChannelView>> list() {
        return book.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Get a channel")
    @APIResponse(responseCode = "404", description = "No such channel", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ChannelView> get(@PathParam("id") String id) {
        return book.get(PathIds.parse("channel", id));
    }

    @PUT
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Change a channel", description = "A secret left out keeps its value; a secret set to null is removed. A channel the routing uses cannot be renamed.")
    @APIResponse(responseCode = "400", description = "Invalid channel", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such channel", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The name is taken, or the routing uses the old name", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ChannelView> update(@PathParam("id") String id, ChannelRequest request) {
        return book.update(PathIds.parse("channel", id), request);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Delete a channel", description = "Refused while the routing sends to it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such channel", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The routing uses it", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> delete(@PathParam("id") String id) {
        return book.delete(PathIds.parse("channel", id)).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/test")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Send a test message", description = "Sent at once, without retries; whether it arrived is the answer, and it is recorded as a notification.")
    @APIResponse(responseCode = "200", description = "What the test did", content = @Content(schema = @Schema(implementation = ChannelTestResult.class)))
    @APIResponse(responseCode = "404", description = "No such channel", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<ChannelTestResult> test(@PathParam("id") String id, @Context SecurityContext security) {
        return book.test(PathIds.parse("channel", id),
                Actor.of(security));
    }
}
