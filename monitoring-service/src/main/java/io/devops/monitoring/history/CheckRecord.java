package io.devops.monitoring.history;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.devops.common.events.HealthStatus;

/**
 * One stored check, in the shape SEED-API.md gives health checks ({@code error_message} is the
 * failure's message), plus its reason.
 */
public record CheckRecord(long id, UUID serviceId, HealthStatus status, String reason, Long responseTimeMs, Integer statusCode,
        String errorMessage, OffsetDateTime checkedAt) {
}
