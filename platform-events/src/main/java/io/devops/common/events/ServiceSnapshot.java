package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A registered service as a whole: the body of every event on the compacted {@code registry.services}
 * topic (the latest record per key is the service's state; a delete is a tombstone of type
 * {@link #DEREGISTERED}), and what the registry's REST API returns.
 */
@RegisterForReflection
public record ServiceSnapshot(
        UUID id,
        String name,
        String url,
        String environment,
        String version,
        HealthStatus status,
        List<String> tags,
        Map<String, String> metadata,
        HealthCheckSpec healthCheck,
        Lease lease,
        OffsetDateTime lastSeen,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        long revision) {

    public static final String REGISTERED = "io.devops.registry.service.registered";
    public static final String UPDATED = "io.devops.registry.service.updated";
    public static final String STATUS_CHANGED = "io.devops.registry.service.status_changed";
    public static final String LEASE_EXPIRED = "io.devops.registry.service.lease_expired";
    public static final String LEASE_RENEWED = "io.devops.registry.service.lease_renewed";
    public static final String DEREGISTERED = "io.devops.registry.service.deregistered";

    /** What every {@code registry.services} consumer may rely on in a snapshot (a tombstone has none). */
    public static final EventContract<ServiceSnapshot> CONTRACT = EventContract.of(ServiceSnapshot.class, REGISTERED,
            UPDATED, STATUS_CHANGED, LEASE_EXPIRED, LEASE_RENEWED)
            .requires("id", ServiceSnapshot::id)
            .requires("name", ServiceSnapshot::name)
            .requires("url", ServiceSnapshot::url);

    /** This snapshot with a newer sign of life. */
    public ServiceSnapshot withLastSeen(OffsetDateTime seen) {
        return new ServiceSnapshot(id, name, url, environment, version, status, tags, metadata, healthCheck, lease, seen,
                createdAt, updatedAt, revision);
    }

    /** The heartbeat lease: null expires_at means the service has never sent a heartbeat. */
    @RegisterForReflection
    public record Lease(int ttlSeconds, Integer deregisterAfterSeconds, OffsetDateTime expiresAt, boolean expired) {
    }
}
