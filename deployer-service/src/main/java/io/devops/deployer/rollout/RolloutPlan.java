package io.devops.deployer.rollout;

import java.util.List;

import io.devops.deployer.deployment.Deployment;
import io.devops.deployer.deployment.RolloutStep;
import io.devops.deployer.kubernetes.ClusterAction;

/**
 * What the driver does next with a rollout: the cluster actions to apply, in order, then the
 * deployment's new state, its new history entries and the events to publish (each named by the
 * step it announces).
 */
public record RolloutPlan(Deployment next, List<ClusterAction> actions, List<RolloutStep> steps, List<String> events) {
}
