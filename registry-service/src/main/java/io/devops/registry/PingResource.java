package io.devops.registry;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

/**
 * A constant answer that touches nothing: a load balancer's cheapest probe, and the benchmark's
 * measure of what the HTTP stack alone can do on a machine.
 */
@Path("/ping")
@Tag(name = "ping")
public class PingResource {
    public record Pong(String message) {
    }

    private static final Pong PONG = new Pong("pong");

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Answer at once, touching nothing")
    public Uni<Pong> ping() {
        return Uni.createFrom().item(PONG);
    }
}
