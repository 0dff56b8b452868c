package io.devops.registry.heartbeat;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.registry.service.Heartbeats;

/** The heartbeats as the service resource sees them: the buffered beats and the known-services cache. */
@ApplicationScoped
class CatalogHeartbeats implements Heartbeats {
    private final HeartbeatBuffer buffer;
    private final KnownServices known;

    CatalogHeartbeats(HeartbeatBuffer buffer, KnownServices known) {
        this.buffer = buffer;
        this.known = known;
    }

    @Override
    public Optional<OffsetDateTime> pendingBeat(UUID serviceId) {
        return buffer.pendingBeat(serviceId);
    }

    @Override
    public void deregistered(UUID serviceId) {
        known.forget(serviceId);
    }
}
