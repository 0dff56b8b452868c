package io.devops.alerting.source;

import java.time.OffsetDateTime;
import java.util.Map;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One alert as Prometheus sends it to Alertmanager ({@code postableAlert} of Alertmanager's API v2).
 * Its field names are camelCase, as Prometheus writes them, whatever our own JSON style.
 */
public record PostableAlert(
        @NotEmpty(message = "labels must name the alert")
        @Size(max = 100, message = "at most 100 labels")
        Map<@Pattern(regexp = "[a-zA-Z_][a-zA-Z0-9_]*", message = "label names are letters, digits and _, not starting with a digit") String,
                @NotNull(message = "a label value cannot be null") @Size(max = 4096, message = "label values are at most 4096 characters") String> labels,
        @Size(max = 100, message = "at most 100 annotations")
        Map<String, @Size(max = 65_536, message = "annotation values are at most 65536 characters") String> annotations,
        @JsonProperty("startsAt") OffsetDateTime startsAt,
        @JsonProperty("endsAt") OffsetDateTime endsAt,
        @JsonProperty("generatorURL") @Size(max = 4096, message = "generatorURL is at most 4096 characters") String generatorUrl) {
}
