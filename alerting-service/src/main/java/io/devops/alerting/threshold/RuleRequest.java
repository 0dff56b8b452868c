package io.devops.alerting.threshold;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A threshold rule as written. */
public record RuleRequest(
        @NotBlank(message = "is required")
        @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_.-]{0,99}", message = "must be a name such as HighCpu (letters, digits, '_', '.', '-')")
        @Schema(description = "The rule's name, which is the alert's alertname and title", example = "HighCpu")
        String name,
        @NotBlank(message = "is required")
        @Schema(example = "system_cpu_usage_percent")
        String metric,
        @Size(max = 20, message = "at most 20 matchers")
        @Schema(description = "Matchers on the sample's labels and node_id, such as cpu=\"total\"")
        List<@NotNull(message = "a matcher cannot be null") String> matchers,
        @NotNull(message = "is required")
        @Pattern(regexp = ">|>=|<|<=|==|!=", message = "must be one of >, >=, <, <=, ==, !=")
        String comparison,
        @NotNull(message = "is required")
        Double threshold,
        @Schema(description = "How long the condition must hold before the alert fires", example = "5m", defaultValue = "0s")
        @JsonProperty("for") String forDuration,
        @Pattern(regexp = "info|warning|critical", message = "must be info, warning or critical")
        @Schema(defaultValue = "warning")
        String severity,
        @Schema(description = "One alert per node (true, the default) or one for the whole fleet")
        Boolean perNode,
        @Size(max = 10, message = "at most 10 labels")
        @Schema(description = "Sample labels that also split alerts, such as mountpoint")
        List<@NotNull(message = "a label name cannot be null") String> groupBy,
        @Size(max = 20, message = "at most 20 labels") Map<String, String> labels,
        @Size(max = 20, message = "at most 20 annotations")
        @Schema(description = "summary becomes the alert's message")
        Map<String, String> annotations,
        @Schema(defaultValue = "true") Boolean enabled) {
}
