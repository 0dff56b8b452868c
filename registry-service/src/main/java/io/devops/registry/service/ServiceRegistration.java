package io.devops.registry.service;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.devops.common.events.HealthCheckSpec;

/** The body of {@code POST /services}. */
public record ServiceRegistration(
        @NotBlank @Size(max = 63) @Pattern(regexp = Constraints.DNS_LABEL, message = Constraints.DNS_LABEL_MESSAGE) String name,
        @NotBlank @Size(max = 2048) @HttpUrl String url,
        @Size(max = 63) @Pattern(regexp = Constraints.DNS_LABEL, message = Constraints.DNS_LABEL_MESSAGE) String environment,
        @Size(max = 128) @Pattern(regexp = Constraints.VERSION, message = Constraints.VERSION_MESSAGE) String version,
        @Size(max = Constraints.MAX_TAGS) List<@NotBlank @Size(max = 63) @Pattern(regexp = Constraints.TAG, message = Constraints.TAG_MESSAGE) String> tags,
        @Size(max = Constraints.MAX_METADATA) Map<@NotBlank @Size(max = 63) @Pattern(regexp = Constraints.TAG, message = Constraints.TAG_MESSAGE) String,
                @NotNull @Size(max = 1024) String> metadata,
        @Valid HealthCheckSpec healthCheck,
        @Min(5) @Max(86_400) Integer leaseTtlSeconds,
        @Min(60) @Max(2_592_000) Integer deregisterAfterSeconds) {
}
