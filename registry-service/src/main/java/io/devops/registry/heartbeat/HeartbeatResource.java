package io.devops.registry.heartbeat;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.devops.common.problem.PathIds;
import io.devops.common.problem.ProblemException;
import io.devops.common.security.Roles;
import io.smallrye.mutiny.Uni;

@Path("/services/{id}/heartbeat")
@Tag(name = "heartbeats")
@Produces(MediaType.APPLICATION_JSON)
public class HeartbeatResource {
    private final HeartbeatBuffer buffer;
    private final KnownServices known;

    HeartbeatResource(HeartbeatBuffer buffer, KnownServices known) {
        this.buffer = buffer;
        this.known = known;
    }

    /** The answer to a heartbeat; {@code message} is what earlier clients expect. */
    public record HeartbeatAck(String message, UUID serviceId, OffsetDateTime receivedAt) {
    }

    @POST
    @RolesAllowed({ Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "Renew the service's lease", description = "Costs no database write: heartbeats are coalesced "
            + "and written once a second. A service that stops sending them is marked unknown when its lease lapses.")
    public Uni<HeartbeatAck> heartbeat(@PathParam("id") String rawId) {
        UUID id = PathIds.parse("service", rawId);
        if (known.knownNow(id)) {
            return Uni.createFrom().item(ack(id));
        }
        return known.lookUp(id).map(exists -> {
            if (!exists) {
                throw ProblemException.notFound("no service with id " + id);
            }
            return ack(id);
        });
    }

    private HeartbeatAck ack(UUID id) {
        return new HeartbeatAck("Heartbeat received", id, buffer.record(id));
    }
}
