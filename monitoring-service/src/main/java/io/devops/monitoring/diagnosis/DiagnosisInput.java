package io.devops.monitoring.diagnosis;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the diagnosis looks at: the incident, the service's incidents, hourly response times and
 * deployments over the lookback, its failed checks by reason, and its certificate.
 */
public record DiagnosisInput(IncidentFacts incident, List<IncidentFacts> recentIncidents, List<HourlyResponseTime> hourly,
        List<DeploymentFacts> deployments, Map<String, Long> failureReasons, OffsetDateTime tlsExpiresAt, int tlsExpiryDays,
        Duration deploymentWindow, Duration lookback, OffsetDateTime now) {

    /** An incident: {@code endedAt} is null while it is open. */
    public record IncidentFacts(UUID id, UUID serviceId, OffsetDateTime startedAt, OffsetDateTime endedAt,
            String firstErrorReason, String firstErrorMessage, Integer failedChecks) {
    }

    /** One hour of a service's checks. */
    public record HourlyResponseTime(OffsetDateTime hour, long checks, double avgResponseTimeMs, long unhealthy) {
    }

    /** A step of a deployment of the service, from {@code deployer.deployments}. */
    public record DeploymentFacts(UUID deploymentId, String version, String previousVersion, String status,
            OffsetDateTime occurredAt) {
    }
}
