package io.devops.monitoring.probe;

import java.time.OffsetDateTime;

import io.devops.common.events.HealthStatus;

/**
 * The outcome of one check.
 *
 * @param statusCode     the HTTP status of the last response, null for TCP checks and failures before a response
 * @param responseTimeMs from sending the request (or starting to connect) to the end of the response, or to the failure
 * @param tlsExpiresAt   when the target's certificate expires, for HTTPS targets that completed a handshake
 */
public record ProbeResult(HealthStatus status, CheckReason reason, String message, Integer statusCode,
        long responseTimeMs, OffsetDateTime tlsExpiresAt, OffsetDateTime checkedAt) {

    public boolean failed() {
        return status == HealthStatus.UNHEALTHY;
    }
}
