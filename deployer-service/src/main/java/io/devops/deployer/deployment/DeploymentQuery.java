package io.devops.deployer.deployment;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.devops.common.events.DeploymentEvent.Status;

/** The filters of a history query; null means any. */
public record DeploymentQuery(UUID serviceId, String serviceName, String environment, Status status, OffsetDateTime from,
        OffsetDateTime to, int limit, int skip) {
}
