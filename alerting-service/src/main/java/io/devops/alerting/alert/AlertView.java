package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** An alert as the API shows it: the fields of SEED-API.md's alert and what the lifecycle adds. */
public record AlertView(
        UUID id,
        String fingerprint,
        String title,
        String message,
        String severity,
        String serviceName,
        String status,
        String source,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, Object> metadata,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt,
        OffsetDateTime lastFiredAt,
        int fireCount,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime acknowledgedAt,
        String acknowledgedBy,
        OffsetDateTime resolvedAt,
        String resolvedBy) {
}
