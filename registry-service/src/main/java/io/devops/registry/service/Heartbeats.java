package io.devops.registry.service;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * What the service resource needs of the heartbeat feature. This package owns it and
 * {@code heartbeat} implements it, so {@code heartbeat} depends on {@code service} and never the
 * reverse.
 */
public interface Heartbeats {

    /** The newest heartbeat of the service not yet written to its row, so reads can show it before the flush. */
    Optional<OffsetDateTime> pendingBeat(UUID serviceId);

    /** The service was deregistered: its heartbeats are no longer answered from memory. */
    void deregistered(UUID serviceId);
}
