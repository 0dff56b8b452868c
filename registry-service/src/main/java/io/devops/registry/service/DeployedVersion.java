package io.devops.registry.service;

import java.time.OffsetDateTime;
import java.util.Optional;

import io.devops.common.events.DeploymentEvent;

/**
 * Which version a deployment leaves running: the new one when it succeeded, the previous one when
 * it was rolled back; nothing for the steps in between or a failure, which leave the running
 * version as it was. A deployment to another environment than the service's, or one that happened
 * no later than the deployment last applied (a redelivery, or one overtaken), says nothing either.
 */
public final class DeployedVersion {
    private DeployedVersion() {
    }

    /**
     * @param environment the environment the service is registered for
     * @param lastApplied when the deployment that last set the version happened, null if none did
     */
    public static Optional<String> after(String environment, OffsetDateTime lastApplied, DeploymentEvent deployment) {
        if (!environment.equals(deployment.environment())
                || lastApplied != null && !deployment.occurredAt().isAfter(lastApplied)) {
            return Optional.empty();
        }
        return switch (deployment.status()) {
            case SUCCEEDED -> Optional.ofNullable(deployment.version());
            case ROLLED_BACK -> Optional.ofNullable(deployment.previousVersion());
            case PENDING, IN_PROGRESS, PAUSED, FAILED, ROLLING_BACK -> Optional.empty();
        };
    }
}
