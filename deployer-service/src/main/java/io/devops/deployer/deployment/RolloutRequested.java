package io.devops.deployer.deployment;

import java.util.UUID;

/** A deployment was created or a person changed its course: the driver looks at it now. */
public record RolloutRequested(UUID deploymentId) {
}
