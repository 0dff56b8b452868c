package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a {@code monitoring.health} event: a service's checked status changed. */
@RegisterForReflection
public record HealthTransition(
        UUID serviceId,
        String serviceName,
        HealthStatus previousStatus,
        HealthStatus status,
        String reason,
        String message,
        Integer statusCode,
        Long responseTimeMs,
        OffsetDateTime checkedAt) {

    public static final String TYPE = "io.devops.monitoring.health.transition";

    /** What every {@code monitoring.health} consumer may rely on. */
    public static final EventContract<HealthTransition> CONTRACT = EventContract.of(HealthTransition.class, TYPE)
            .requires("service_id", HealthTransition::serviceId)
            .requires("status", HealthTransition::status);
}
