package io.devops.monitoring.incident;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An incident as the API shows it. {@code duration_seconds} runs to now while it is open, and
 * {@code failed_checks} counts the failed checks from its start to its end (or to now).
 */
public record IncidentView(UUID id, UUID serviceId, String serviceName, String environment, String state,
        OffsetDateTime startedAt, OffsetDateTime endedAt, long durationSeconds, String firstErrorReason,
        String firstErrorMessage, Integer firstStatusCode, long failedChecks) {
}
