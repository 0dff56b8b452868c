package io.devops.monitoring.probe;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

import io.devops.common.events.HealthStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** Why a check came out as it did; kept with every result and carried by transitions. */
@RegisterForReflection
public enum CheckReason {
    /** The target answered as expected, in time. */
    OK(HealthStatus.HEALTHY),
    /** Answered as expected, but slower than {@code degraded_response_time_ms}. */
    SLOW_RESPONSE(HealthStatus.DEGRADED),
    /** Answered as expected, but its certificate expires within {@code tls_expiry_days}. */
    CERTIFICATE_EXPIRING(HealthStatus.DEGRADED),
    TIMEOUT(HealthStatus.UNHEALTHY),
    CONNECTION_REFUSED(HealthStatus.UNHEALTHY),
    /** Reset, closed early or unreachable network. */
    CONNECTION_ERROR(HealthStatus.UNHEALTHY),
    DNS_FAILURE(HealthStatus.UNHEALTHY),
    TLS_ERROR(HealthStatus.UNHEALTHY),
    UNEXPECTED_STATUS(HealthStatus.UNHEALTHY),
    CONDITION_FAILED(HealthStatus.UNHEALTHY),
    TOO_MANY_REDIRECTS(HealthStatus.UNHEALTHY),
    /** The target resolves into a network the checker must not probe (link-local, cloud metadata). */
    ADDRESS_BLOCKED(HealthStatus.UNHEALTHY),
    /** The service's url cannot be checked at all (no host, unknown scheme). */
    INVALID_TARGET(HealthStatus.UNHEALTHY);

    private final HealthStatus status;

    CheckReason(HealthStatus status) {
        this.status = status;
    }

    /** The outcome a check with this reason has. */
    public HealthStatus status() {
        return status;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CheckReason fromJson(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
