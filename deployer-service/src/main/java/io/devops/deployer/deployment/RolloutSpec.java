package io.devops.deployer.deployment;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.devops.common.time.Durations;
import io.devops.deployer.kubernetes.WorkloadTemplate;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a deployment is to be rolled out, complete (every default filled in at creation, so a
 * change of defaults never changes a rollout in flight). Stored as the deployment's {@code spec}.
 *
 * @param replicas null until the rollout starts: then the live replica count, or 1
 * @param steps canary steps; a step whose pause is null waits for a person to promote it
 * @param alertSeverity the lowest severity of a firing alert that fails the gate; null: alerts never do
 */
@RegisterForReflection
public record RolloutSpec(Integer replicas, Map<String, String> env, Map<String, String> requests, Map<String, String> limits,
        int port, String readinessPath, List<CanaryStep> steps, String analysis, List<String> failOnHealth,
        String alertSeverity, boolean autoRollback, int progressDeadlineSeconds, String retention) {

    @RegisterForReflection
    public record CanaryStep(int weight, String pause) {

        /** The pause, or null when the step waits for a person. */
        public Duration pauseDuration() {
            return pause == null ? null : Durations.parse(pause);
        }
    }

    public RolloutSpec withReplicas(int count) {
        return new RolloutSpec(count, env, requests, limits, port, readinessPath, steps, analysis, failOnHealth, alertSeverity,
                autoRollback, progressDeadlineSeconds, retention);
    }

    public WorkloadTemplate template(String image) {
        return new WorkloadTemplate(image, env, requests, limits, port, readinessPath);
    }

    public Duration analysisDuration() {
        return Durations.parse(analysis);
    }

    public Duration retentionDuration() {
        return Durations.parse(retention);
    }

    public Set<String> failingStatuses() {
        return Set.copyOf(failOnHealth);
    }
}
