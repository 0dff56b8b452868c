package io.devops.deployer.deployment;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import io.devops.common.events.DeploymentEvent.Status;
import io.devops.deployer.kubernetes.WorkloadTemplate;

/**
 * A deployment and the state of its rollout, as one row of {@code deployment}. The driver reads
 * it, decides on a copy, and writes the copy back only if nobody changed the row meanwhile
 * ({@code lockVersion}).
 */
public class Deployment {
    public UUID id;
    public UUID serviceId;
    public String serviceName;
    public String environment;
    public String namespace;
    public String version;
    public String image;
    public String previousVersion;
    public String previousImage;
    public Strategy strategy;
    public RolloutSpec spec;
    public Map<String, Object> config;
    public Status status;
    public Phase phase;
    public int stepIndex;
    public Integer replicas;
    public String activeColor;
    public String targetColor;
    public WorkloadTemplate previousTemplate;
    public OffsetDateTime trafficSince;
    public OffsetDateTime phaseSince;
    public boolean hold;
    public String promoteRequested;
    public String abortRequested;
    public String errorMessage;
    public UUID rollbackOf;
    public UUID rolledBackBy;
    public String requestedBy;
    public String commitSha;
    public OffsetDateTime commitTime;
    public OffsetDateTime createdAt;
    public OffsetDateTime startedAt;
    public OffsetDateTime completedAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime nextActionAt;
    public int attempts;
    public int lockVersion;

    public Deployment copy() {
        Deployment copy = new Deployment();
        copy.id = id;
        copy.serviceId = serviceId;
        copy.serviceName = serviceName;
        copy.environment = environment;
        copy.namespace = namespace;
        copy.version = version;
        copy.image = image;
        copy.previousVersion = previousVersion;
        copy.previousImage = previousImage;
        copy.strategy = strategy;
        copy.spec = spec;
        copy.config = config;
        copy.status = status;
        copy.phase = phase;
        copy.stepIndex = stepIndex;
        copy.replicas = replicas;
        copy.activeColor = activeColor;
        copy.targetColor = targetColor;
        copy.previousTemplate = previousTemplate;
        copy.trafficSince = trafficSince;
        copy.phaseSince = phaseSince;
        copy.hold = hold;
        copy.promoteRequested = promoteRequested;
        copy.abortRequested = abortRequested;
        copy.errorMessage = errorMessage;
        copy.rollbackOf = rollbackOf;
        copy.rolledBackBy = rolledBackBy;
        copy.requestedBy = requestedBy;
        copy.commitSha = commitSha;
        copy.commitTime = commitTime;
        copy.createdAt = createdAt;
        copy.startedAt = startedAt;
        copy.completedAt = completedAt;
        copy.updatedAt = updatedAt;
        copy.nextActionAt = nextActionAt;
        copy.attempts = attempts;
        copy.lockVersion = lockVersion;
        return copy;
    }

    /** Whether the rollout still holds its service and environment (the unique index counts these). */
    public boolean active() {
        return status == Status.PENDING || status == Status.IN_PROGRESS || status == Status.PAUSED
                || status == Status.ROLLING_BACK;
    }

    /** The canary weight of the current step, 0 outside a canary. */
    public int weight() {
        if (strategy != Strategy.CANARY || phase == Phase.START || spec.steps().isEmpty()) {
            return 0;
        }
        if (phase == Phase.PROMOTE || phase == Phase.DONE && status == Status.SUCCEEDED) {
            return 100;
        }
        return spec.steps().get(Math.min(stepIndex, spec.steps().size() - 1)).weight();
    }
}
