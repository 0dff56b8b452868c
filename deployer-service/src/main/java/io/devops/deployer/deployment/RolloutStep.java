package io.devops.deployer.deployment;

import java.time.OffsetDateTime;

/** One entry of a rollout's history: what happened, the detail, who caused it (null: the deployer) and when. */
public record RolloutStep(String action, String detail, String actor, OffsetDateTime at) {
}
