package io.devops.registry.watch;

import java.time.Duration;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.events.EventCodec;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Multi;

@Path("/services/watch")
@Tag(name = "services")
public class ServiceWatchResource {
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final ServiceChanges changes;
    private final EventCodec codec;

    ServiceWatchResource(ServiceChanges changes, EventCodec codec) {
        this.changes = changes;
        this.codec = codec;
    }

    @GET
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stream catalog changes as server-sent events",
            description = "Each event is named after its CloudEvent type (registered, updated, status_changed, lease_expired, "
                    + "lease_renewed, deregistered) and carries the service's snapshot; a comment every 15 s keeps idle "
                    + "connections open. Optional filter: environment.")
    public Multi<OutboundSseEvent> watch(@QueryParam("environment") String environment, @Context Sse sse) {
        Multi<OutboundSseEvent> events = changes.stream()
                .filter(change -> environment == null || change.service() == null
                        || environment.equals(change.service().environment()))
                .map(change -> sse.newEventBuilder()
                        .id(change.eventId())
                        .name(change.type().substring(change.type().lastIndexOf('.') + 1))
                        .mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(codec.encode(change))
                        .build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(events, keepAlive);
    }
}
