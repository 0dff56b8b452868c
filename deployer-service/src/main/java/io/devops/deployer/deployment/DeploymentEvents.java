package io.devops.deployer.deployment;

import java.time.OffsetDateTime;

import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.Topic;
import io.devops.common.outbox.Outbox;

/** The {@code deployer.deployments} event of a deployment's state, keyed by its service. */
public final class DeploymentEvents {
    private DeploymentEvents() {
    }

    public static Outbox.Message of(Deployment d, String step, OffsetDateTime at) {
        return new Outbox.Message(Topic.DEPLOYER_DEPLOYMENTS, d.serviceId.toString(), DeploymentEvent.TYPE,
                new DeploymentEvent(d.id, d.serviceId, d.serviceName, d.environment, d.version, d.previousVersion,
                        d.strategy.json(), d.status, d.errorMessage, at, step, d.weight(), d.rollbackOf));
    }
}
