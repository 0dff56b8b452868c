package io.devops.monitoring.diagnosis;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A diagnosis: the patterns found, most likely first, each with its evidence, a confidence
 * between 0 and 1 and a plain recommendation; {@code summary} and {@code recommendation} are the
 * top finding's, or say that nothing stood out.
 */
public record Diagnosis(UUID incidentId, UUID serviceId, OffsetDateTime analyzedAt, Duration lookback, List<Finding> findings,
        String summary, String recommendation) {

    public record Finding(String kind, String summary, Map<String, Object> evidence, double confidence,
            String recommendation) {
    }
}
