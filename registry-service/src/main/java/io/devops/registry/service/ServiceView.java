package io.devops.registry.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.ServiceSnapshot;

/** A service as the REST API returns it: the fields of SEED-API.md and the check and lease settings. */
public record ServiceView(
        UUID id,
        String name,
        String url,
        String environment,
        String version,
        HealthStatus status,
        List<String> tags,
        Map<String, String> metadata,
        HealthCheckSpec healthCheck,
        ServiceSnapshot.Lease lease,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime lastSeen,
        long revision) {
}
