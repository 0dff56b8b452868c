package io.devops.registry.service;

import java.time.OffsetDateTime;

import io.devops.common.events.HealthStatus;

/**
 * The status clients see. A lapsed lease means nobody knows ({@code unknown}), whatever the checks
 * said; otherwise the monitoring service's word counts; a held lease with no check yet counts as
 * {@code healthy}, as a heartbeat does in Eureka or a passing TTL check in Consul.
 * {@link ServiceRepository#STATUS_SQL} states the same rule in SQL to find rows that need it applied.
 */
public final class StatusRule {
    private StatusRule() {
    }

    public static HealthStatus effective(OffsetDateTime leaseExpiresAt, HealthStatus reported, OffsetDateTime now) {
        if (leaseExpiresAt != null && leaseExpiresAt.isBefore(now)) {
            return HealthStatus.UNKNOWN;
        }
        if (reported != HealthStatus.UNKNOWN) {
            return reported;
        }
        return leaseExpiresAt != null ? HealthStatus.HEALTHY : HealthStatus.UNKNOWN;
    }
}
