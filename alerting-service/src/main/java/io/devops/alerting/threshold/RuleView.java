package io.devops.alerting.threshold;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

public record RuleView(UUID id, String name, String metric, List<String> matchers, String comparison, double threshold,
        @JsonProperty("for") String forDuration, String severity, boolean perNode, List<String> groupBy, Map<String, String> labels,
        Map<String, String> annotations, boolean enabled, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
}
