package io.devops.deployer.deployment;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.devops.common.events.DeploymentEvent.Status;

/**
 * A deployment as the API shows it: the seed's record (service_id, version, environment, status,
 * config, started_at, completed_at, error_message) and the rollout around it, with its history.
 * {@code waitingForPromotion}: a canary step without a pause waits for a person;
 * {@code held}: a person paused the rollout.
 */
public record DeploymentView(UUID id, UUID serviceId, String serviceName, String version, String image, String environment,
        String namespace, Strategy strategy, Status status, Phase phase, Integer step, Integer steps, int weight,
        String previousVersion, Map<String, Object> config, RolloutSpec spec, String errorMessage, UUID rollbackOf,
        UUID rolledBackBy, String requestedBy, String commitSha, OffsetDateTime commitTime, OffsetDateTime createdAt,
        OffsetDateTime startedAt, OffsetDateTime completedAt, OffsetDateTime updatedAt, boolean waitingForPromotion,
        boolean held, List<RolloutStep> history) {

    static DeploymentView of(Deployment d, List<RolloutStep> history) {
        boolean canary = d.strategy == Strategy.CANARY;
        return new DeploymentView(d.id, d.serviceId, d.serviceName, d.version, d.image, d.environment, d.namespace, d.strategy,
                d.status, d.phase, canary ? d.stepIndex + 1 : null, canary ? d.spec.steps().size() : null, d.weight(),
                d.previousVersion, d.config, d.spec, d.errorMessage, d.rollbackOf, d.rolledBackBy, d.requestedBy, d.commitSha,
                d.commitTime, d.createdAt, d.startedAt, d.completedAt, d.updatedAt,
                d.status == Status.PAUSED && !d.hold && d.promoteRequested == null, d.hold && d.active(),
                history == null ? List.of() : history);
    }
}
