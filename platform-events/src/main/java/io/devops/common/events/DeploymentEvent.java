package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a {@code deployer.deployments} event: a step in a deployment's lifecycle. */
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
        OffsetDateTime occurredAt) {

    public static final String TYPE = "io.devops.deployer.deployment.changed";

    @RegisterForReflection
    public enum Status {
        PENDING, IN_PROGRESS, PAUSED, SUCCEEDED, FAILED, ROLLING_BACK, ROLLED_BACK;

        @com.fasterxml.jackson.annotation.JsonValue
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
