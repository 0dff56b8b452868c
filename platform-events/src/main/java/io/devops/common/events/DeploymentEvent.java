package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of a {@code deployer.deployments} event: a step in a deployment's lifecycle. {@code step}
 * names what happened (started, step, paused, resumed, promoting, succeeded, failed, rolling_back,
 * rolled_back), {@code weight} is a canary's share of the replicas, and {@code rollbackOf} the
 * deployment a rollback undoes.
 */
@RegisterForReflection
public record DeploymentEvent(
        UUID deploymentId,
        UUID serviceId,
        String serviceName,
        String environment,
        String version,
        String previousVersion,
        String strategy,
        Status status,
        String errorMessage,
        OffsetDateTime occurredAt,
        String step,
        Integer weight,
        UUID rollbackOf) {

    public static final String TYPE = "io.devops.deployer.deployment.changed";

    /** What every {@code deployer.deployments} consumer may rely on. */
    public static final EventContract<DeploymentEvent> CONTRACT = EventContract.of(DeploymentEvent.class, TYPE)
            .requires("service_id", DeploymentEvent::serviceId)
            .requires("status", DeploymentEvent::status)
            .requires("occurred_at", DeploymentEvent::occurredAt);

    @RegisterForReflection
    public enum Status {
        PENDING, IN_PROGRESS, PAUSED, SUCCEEDED, FAILED, ROLLING_BACK, ROLLED_BACK;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
