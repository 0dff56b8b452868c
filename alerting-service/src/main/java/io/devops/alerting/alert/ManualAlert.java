package io.devops.alerting.alert;

import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /alerts}: an alert raised by hand or by a script. */
public record ManualAlert(
        @NotBlank(message = "title is required") @Size(max = 200, message = "title is at most 200 characters") String title,
        @Size(max = 10_000, message = "message is at most 10000 characters") String message,
        @NotNull(message = "severity is required")
        @Pattern(regexp = "info|warning|critical", message = "severity must be info, warning or critical") String severity,
        @Size(max = 200, message = "service_name is at most 200 characters") String serviceName,
        @Size(max = 50, message = "at most 50 labels")
        Map<@Pattern(regexp = "[a-zA-Z_][a-zA-Z0-9_]{0,99}", message = "label names are letters, digits and _, not starting with a digit") String,
                @NotNull(message = "a label value cannot be null") @Size(max = 1000, message = "label values are at most 1000 characters") String> labels,
        @Size(max = 50, message = "at most 50 metadata fields") Map<String, Object> metadata) {
}
