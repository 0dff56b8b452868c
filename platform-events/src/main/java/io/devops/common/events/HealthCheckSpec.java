package io.devops.common.events;

import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How the monitoring service checks a service: part of the registry's service snapshot, and what
 * clients send at registration. Absent values take the defaults the registry fills in.
 */
@RegisterForReflection
public record HealthCheckSpec(
        CheckType type,
        @Pattern(regexp = "GET|HEAD|POST|PUT|OPTIONS", message = "must be one of GET, HEAD, POST, PUT, OPTIONS") String method,
        @Size(max = 1024) @Pattern(regexp = "/[^\\s]*", message = "must start with / and contain no spaces") String path,
        @Size(max = 20) Map<@NotBlank @Size(max = 128) String, @NotNull @Size(max = 1024) String> headers,
        @Size(max = 20) List<@NotNull @Min(100) @Max(599) Integer> expectedStatus,
        @Min(5) @Max(3600) Integer intervalSeconds,
        @Min(1) @Max(120) Integer timeoutSeconds,
        @Min(1) @Max(20) Integer failureThreshold,
        @Min(1) @Max(20) Integer successThreshold,
        @Min(1) @Max(600_000) Integer degradedResponseTimeMs,
        @Valid BodyCondition bodyCondition,
        @Min(0) @Max(365) Integer tlsExpiryDays,
        Boolean tlsVerify) {

    public static final String DEFAULT_PATH = "/health";
    public static final int DEFAULT_INTERVAL_SECONDS = 30;
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 2;
    public static final int DEFAULT_TLS_EXPIRY_DAYS = 14;

    /** This spec with every absent value taken from {@code base}. */
    public HealthCheckSpec withDefaultsFrom(HealthCheckSpec base) {
        return new HealthCheckSpec(
                type != null ? type : base.type,
                method != null ? method : base.method,
                path != null ? path : base.path,
                headers != null ? headers : base.headers,
                expectedStatus != null ? expectedStatus : base.expectedStatus,
                intervalSeconds != null ? intervalSeconds : base.intervalSeconds,
                timeoutSeconds != null ? timeoutSeconds : base.timeoutSeconds,
                failureThreshold != null ? failureThreshold : base.failureThreshold,
                successThreshold != null ? successThreshold : base.successThreshold,
                degradedResponseTimeMs != null ? degradedResponseTimeMs : base.degradedResponseTimeMs,
                bodyCondition != null ? bodyCondition : base.bodyCondition,
                tlsExpiryDays != null ? tlsExpiryDays : base.tlsExpiryDays,
                tlsVerify != null ? tlsVerify : base.tlsVerify);
    }

    /**
     * The platform's defaults: GET {@code /health}, any 2xx, every 30 s with a 10 s timeout, 3 failures / 2 successes,
     * certificates verified and {@code degraded} when they expire within 14 days.
     */
    public static HealthCheckSpec defaults() {
        return new HealthCheckSpec(CheckType.HTTP, "GET", DEFAULT_PATH, Map.of(), List.of(), DEFAULT_INTERVAL_SECONDS,
                DEFAULT_TIMEOUT_SECONDS, DEFAULT_FAILURE_THRESHOLD, DEFAULT_SUCCESS_THRESHOLD, null, null,
                DEFAULT_TLS_EXPIRY_DAYS, true);
    }

    @AssertTrue(message = "timeout_seconds must not exceed interval_seconds")
    boolean isTimeoutWithinInterval() {
        return timeoutSeconds == null || intervalSeconds == null || timeoutSeconds <= intervalSeconds;
    }

    @RegisterForReflection
    public enum CheckType {
        HTTP, TCP;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A condition on a field of a JSON response body, for example {@code status == "UP"}. */
    @RegisterForReflection
    public record BodyCondition(
            @NotBlank @Size(max = 256) @Pattern(regexp = "[A-Za-z0-9_\\-]+(\\.[A-Za-z0-9_\\-]+|\\[[0-9]+\\])*",
                    message = "must be a dotted path into the JSON body, for example status or checks[0].state") String path,
            @NotNull Operator operator,
            @Size(max = 1024) String value) {
        @RegisterForReflection
        public enum Operator {
            EQUALS, NOT_EQUALS, CONTAINS, EXISTS;

            @com.fasterxml.jackson.annotation.JsonValue
            public String json() {
                return name().toLowerCase(java.util.Locale.ROOT);
            }
        }
    }
}
