package io.devops.deployer.rollout;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import io.devops.common.events.DeploymentEvent.Status;
import io.devops.deployer.deployment.Deployment;
import io.devops.deployer.deployment.Phase;
import io.devops.deployer.deployment.RolloutStep;
import io.devops.deployer.deployment.Strategy;
import io.devops.deployer.kubernetes.ClusterAction;
import io.devops.deployer.kubernetes.ClusterState;
import io.devops.deployer.kubernetes.Manifests;
import io.devops.deployer.kubernetes.Workload;
import io.devops.deployer.kubernetes.WorkloadTemplate;
import io.devops.deployer.signal.GateFailure;

/**
 * The rollout state machine, as a pure function: a deployment's row, what the cluster reports,
 * what the gate read and the time go in; the next row, the cluster actions, the history and the
 * events come out. Every action states the wanted end state, so deciding again from the same row
 * (after a crash between applying and saving) applies the same again, harmlessly.
 */
public final class RolloutDecision {
    static final Duration QUICK_POLL = Duration.ofMillis(250);
    static final Duration QUICK_WINDOW = Duration.ofSeconds(10);

    private final Duration poll;

    public RolloutDecision(Duration poll) {
        this.poll = poll;
    }

    /** What the driver reads besides the row: the cluster, the gate, whether a newer deployment took over. */
    public record Inputs(ClusterState cluster, List<GateFailure> gate, boolean superseded, OffsetDateTime now) {
    }

    public RolloutPlan decide(Deployment current, Inputs in) {
        Plan plan = new Plan(current.copy(), in);
        Deployment d = plan.d;
        if (d.abortRequested != null && d.active() && d.phase != Phase.ROLLBACK) {
            d.abortRequested = null;
            String reason = current.abortRequested;
            return d.phase == Phase.START ? plan.withdrawn(reason) : fail(plan, reason, true);
        }
        return switch (d.phase) {
            case START -> start(plan);
            case ROLLOUT -> rollout(plan);
            case ANALYSIS -> analysis(plan);
            case PROMOTE -> promote(plan);
            case ROLLBACK -> rollback(plan);
            case RETAIN -> retain(plan);
            case DONE -> plan.idle();
        };
    }

    /**
     * A rollout the cluster refused outright (invalid, forbidden, no such namespace): it fails, and
     * with {@code rollBack} tries to put back what ran before. A succeeded rollout whose clean-up
     * was refused stays succeeded and is left as it is.
     */
    public RolloutPlan refused(Deployment current, Inputs in, String reason, boolean rollBack) {
        Plan plan = new Plan(current.copy(), in);
        if (!plan.d.active()) {
            plan.step("retention_ended", reason);
            plan.phase(Phase.DONE);
            return plan.done();
        }
        if (!rollBack || plan.d.phase == Phase.ROLLBACK) {
            return plan.end(Status.FAILED, reason, "failed");
        }
        return fail(plan, reason, false);
    }

    private RolloutPlan start(Plan plan) {
        Deployment d = plan.d;
        ClusterState cluster = plan.in.cluster();
        String app = plan.app;
        String live = cluster.serviceColor();
        Workload active = live == null ? null : cluster.workload(Manifests.stableName(app, live)).orElse(null);
        d.startedAt = plan.now;
        d.status = Status.IN_PROGRESS;
        if (active == null) {
            d.activeColor = null;
            d.targetColor = live != null ? live : Manifests.BLUE;
            d.replicas = d.replicas != null ? d.replicas : 1;
            plan.act(apply(d, Manifests.stableName(app, d.targetColor), d.targetColor, Manifests.STABLE, newTemplate(d), d.replicas,
                    d.version));
            plan.act(new ClusterAction.RouteTo(d.targetColor, d.spec.port()));
            d.trafficSince = plan.now;
            plan.step("started", "first deployment of " + d.serviceName + " to " + d.namespace + ": " + d.replicas + " x " + d.image);
        } else {
            d.activeColor = live;
            d.previousTemplate = active.template();
            d.previousImage = active.image();
            d.previousVersion = active.version();
            d.replicas = d.replicas != null ? d.replicas : Math.max(active.replicas(), 1);
            String other = Manifests.otherColor(live);
            plan.step("started", d.strategy.json() + " from " + (d.previousVersion == null ? d.previousImage : d.previousVersion)
                    + " to " + d.version + ", " + d.replicas + " replicas");
            switch (d.strategy) {
                case ROLLING -> {
                    d.targetColor = live;
                    plan.act(apply(d, Manifests.stableName(app, live), live, Manifests.STABLE, newTemplate(d), d.replicas, d.version));
                    d.trafficSince = plan.now;
                    retireOther(plan, cluster, other);
                }
                case BLUE_GREEN -> {
                    d.targetColor = other;
                    plan.act(apply(d, Manifests.stableName(app, other), other, Manifests.STABLE, newTemplate(d), d.replicas,
                            d.version));
                }
                case CANARY -> {
                    d.targetColor = live;
                    d.stepIndex = 0;
                    canaryStep(plan);
                    d.trafficSince = plan.now;
                    retireOther(plan, cluster, other);
                }
            }
            if (d.strategy != Strategy.CANARY && cluster.workload(Manifests.canaryName(app)).isPresent()) {
                plan.act(new ClusterAction.Delete(Manifests.canaryName(app)));
            }
        }
        plan.phase(Phase.ROLLOUT);
        plan.event("started");
        return plan.recheck(poll);
    }

    private RolloutPlan rollout(Plan plan) {
        Deployment d = plan.d;
        if (gateFailed(plan)) {
            return fail(plan, plan.in.gate().get(0).describe(), false);
        }
        String watched = watchedWorkload(d, plan.app);
        Workload workload = plan.in.cluster().workload(watched).orElse(null);
        String failure = notRollingOut(d, watched, workload);
        if (failure != null) {
            return fail(plan, failure, false);
        }
        if (!workload.rolledOut()) {
            return plan.recheck(poll);
        }
        plan.step("ready", watched + ": " + workload.availableReplicas() + " of " + workload.replicas() + " available");
        if (d.strategy == Strategy.BLUE_GREEN && d.activeColor != null) {
            plan.act(new ClusterAction.RouteTo(d.targetColor, d.spec.port()));
            d.trafficSince = plan.now;
            plan.step("switched", "traffic from " + d.activeColor + " to " + d.targetColor);
        }
        plan.phase(Phase.ANALYSIS);
        return enterAnalysis(plan);
    }

    private RolloutPlan enterAnalysis(Plan plan) {
        Duration wait = analysisTime(plan.d);
        if (wait == null) {
            plan.d.status = Status.PAUSED;
            plan.step("paused", "canary at " + plan.d.weight() + "% waits for a promotion");
            plan.event("paused");
            return plan.recheck(poll);
        }
        plan.d.status = Status.IN_PROGRESS;
        plan.step("analysis", "watched by the gate for " + io.devops.common.time.Durations.format(wait));
        return plan.recheck(min(wait, poll));
    }

    private RolloutPlan analysis(Plan plan) {
        Deployment d = plan.d;
        if (gateFailed(plan)) {
            return fail(plan, plan.in.gate().get(0).describe(), false);
        }
        String promotion = d.promoteRequested;
        Duration wait = analysisTime(d);
        boolean elapsed = wait != null && !plan.now.isBefore(d.phaseSince.plus(wait));
        if (promotion == null && (d.hold || !elapsed)) {
            Status waiting = d.hold || wait == null ? Status.PAUSED : Status.IN_PROGRESS;
            if (d.status != waiting) {
                d.status = waiting;
                plan.event(waiting == Status.PAUSED ? "paused" : "resumed");
            }
            return plan.recheck(d.hold || wait == null ? poll : min(Duration.between(plan.now, d.phaseSince.plus(wait)), poll));
        }
        d.promoteRequested = null;
        d.hold = false;
        d.status = Status.IN_PROGRESS;
        plan.step("analysis_passed", promotion != null ? "promoted" : "no failure in " + io.devops.common.time.Durations.format(wait));
        if (d.strategy == Strategy.CANARY && d.activeColor != null) {
            if ("full".equals(promotion) || d.stepIndex + 1 >= d.spec.steps().size()) {
                plan.act(apply(d, Manifests.stableName(plan.app, d.activeColor), d.activeColor, Manifests.STABLE, newTemplate(d),
                        d.replicas, d.version));
                plan.step("promoting", Manifests.stableName(plan.app, d.activeColor) + " to " + d.version);
                plan.phase(Phase.PROMOTE);
                plan.event("promoting");
                return plan.recheck(poll);
            }
            d.stepIndex++;
            canaryStep(plan);
            plan.phase(Phase.ROLLOUT);
            plan.event("step");
            return plan.recheck(poll);
        }
        return succeed(plan);
    }

    private RolloutPlan promote(Plan plan) {
        Deployment d = plan.d;
        if (gateFailed(plan)) {
            return fail(plan, plan.in.gate().get(0).describe(), false);
        }
        String stable = Manifests.stableName(plan.app, d.activeColor);
        Workload workload = plan.in.cluster().workload(stable).orElse(null);
        String failure = notRollingOut(d, stable, workload);
        if (failure != null) {
            return fail(plan, failure, false);
        }
        if (!workload.rolledOut()) {
            return plan.recheck(poll);
        }
        plan.act(new ClusterAction.Delete(Manifests.canaryName(plan.app)));
        return succeed(plan);
    }

    /** Why the Deployment {@code name} will not roll out (gone, or past its progress deadline); null while it may. */
    private static String notRollingOut(Deployment d, String name, Workload workload) {
        if (workload == null) {
            return "the Deployment " + name + " is gone from " + d.namespace;
        }
        if (workload.deadlineExceeded()) {
            return name + " did not roll out within " + d.spec.progressDeadlineSeconds() + "s"
                    + (workload.message() == null ? "" : ": " + workload.message());
        }
        return null;
    }

    private RolloutPlan rollback(Plan plan) {
        Deployment d = plan.d;
        String stable = Manifests.stableName(plan.app, d.activeColor);
        Workload workload = plan.in.cluster().workload(stable).orElse(null);
        if (workload == null) {
            return plan.end(Status.FAILED, d.errorMessage + "; the rollback found no " + stable + " to return to", "failed");
        }
        if (workload.deadlineExceeded()) {
            return plan.end(Status.FAILED, d.errorMessage + "; the rollback did not roll out either"
                    + (workload.message() == null ? "" : ": " + workload.message()), "failed");
        }
        if (!workload.rolledOut()) {
            return plan.recheck(poll);
        }
        d.phase = Phase.DONE;
        return plan.end(Status.ROLLED_BACK, d.errorMessage, "rolled_back");
    }

    private RolloutPlan retain(Plan plan) {
        Deployment d = plan.d;
        if (plan.in.superseded()) {
            plan.step("retention_ended", "a newer deployment took over " + d.serviceName);
            plan.phase(Phase.DONE);
            return plan.done();
        }
        OffsetDateTime end = d.phaseSince.plus(d.spec.retentionDuration());
        if (plan.now.isBefore(end)) {
            return plan.recheckAt(end);
        }
        plan.act(new ClusterAction.Scale(Manifests.stableName(plan.app, d.activeColor), 0));
        plan.step("retention_ended", Manifests.stableName(plan.app, d.activeColor) + " scaled to 0");
        plan.phase(Phase.DONE);
        return plan.done();
    }

    private RolloutPlan succeed(Plan plan) {
        Deployment d = plan.d;
        d.status = Status.SUCCEEDED;
        d.completedAt = plan.now;
        d.errorMessage = null;
        plan.step("succeeded", d.serviceName + " runs " + d.version + " in " + d.environment);
        plan.event("succeeded");
        if (d.strategy == Strategy.BLUE_GREEN && d.activeColor != null) {
            plan.phase(Phase.RETAIN);
            return plan.recheckAt(plan.now.plus(d.spec.retentionDuration()));
        }
        plan.phase(Phase.DONE);
        return plan.done();
    }

    /** Fails the rollout; with something to go back to (and automatic rollback on, or a person aborting), rolls back. */
    private RolloutPlan fail(Plan plan, String reason, boolean aborted) {
        Deployment d = plan.d;
        d.hold = false;
        d.promoteRequested = null;
        if (d.previousTemplate == null || !(aborted || d.spec.autoRollback())) {
            d.phase = Phase.DONE;
            return plan.end(Status.FAILED, reason, "failed");
        }
        d.errorMessage = reason;
        d.status = Status.ROLLING_BACK;
        String stable = Manifests.stableName(plan.app, d.activeColor);
        switch (d.strategy) {
            case ROLLING -> plan.act(apply(d, stable, d.activeColor, Manifests.STABLE, d.previousTemplate, d.replicas,
                    d.previousVersion));
            case BLUE_GREEN -> {
                plan.act(new ClusterAction.RouteTo(d.activeColor, d.previousTemplate.port()));
                plan.act(new ClusterAction.Scale(Manifests.stableName(plan.app, d.targetColor), 0));
            }
            case CANARY -> {
                plan.act(new ClusterAction.Delete(Manifests.canaryName(plan.app)));
                plan.act(apply(d, stable, d.activeColor, Manifests.STABLE, d.previousTemplate, d.replicas, d.previousVersion));
            }
        }
        plan.step(aborted ? "aborted" : "failed", reason);
        plan.step("rolling_back", "to " + (d.previousVersion == null ? d.previousImage : d.previousVersion));
        plan.phase(Phase.ROLLBACK);
        plan.event("rolling_back");
        return plan.recheck(poll);
    }

    private void canaryStep(Plan plan) {
        Deployment d = plan.d;
        int weight = d.spec.steps().get(d.stepIndex).weight();
        int canaryReplicas = canaryReplicas(d.replicas, weight);
        plan.act(apply(d, Manifests.canaryName(plan.app), d.activeColor, Manifests.CANARY, newTemplate(d), canaryReplicas,
                d.version));
        plan.act(new ClusterAction.Scale(Manifests.stableName(plan.app, d.activeColor), d.replicas - canaryReplicas));
        plan.step("canary", "step " + (d.stepIndex + 1) + " of " + d.spec.steps().size() + ": " + weight + "% ("
                + canaryReplicas + " of " + d.replicas + " replicas)");
    }

    /** The canary's share of the replicas: at least one, rounded up, never all unless the weight is 100. */
    static int canaryReplicas(int replicas, int weight) {
        if (replicas == 0) {
            return 0;
        }
        int share = (int) Math.ceil(replicas * weight / 100.0);
        return weight >= 100 ? replicas : Math.max(1, Math.min(share, replicas));
    }

    private static void retireOther(Plan plan, ClusterState cluster, String other) {
        String name = Manifests.stableName(plan.app, other);
        cluster.workload(name).filter(workload -> workload.replicas() > 0)
                .ifPresent(workload -> plan.act(new ClusterAction.Scale(name, 0)));
    }

    private static String watchedWorkload(Deployment d, String app) {
        if (d.strategy == Strategy.CANARY && d.activeColor != null) {
            return Manifests.canaryName(app);
        }
        return Manifests.stableName(app, d.targetColor);
    }

    private static Duration analysisTime(Deployment d) {
        if (d.strategy == Strategy.CANARY && d.activeColor != null) {
            return d.spec.steps().get(d.stepIndex).pauseDuration();
        }
        return d.spec.analysisDuration();
    }

    private static boolean gateFailed(Plan plan) {
        return plan.d.trafficSince != null && !plan.in.gate().isEmpty();
    }

    private static WorkloadTemplate newTemplate(Deployment d) {
        return d.spec.template(d.image);
    }

    private static ClusterAction apply(Deployment d, String name, String color, String track, WorkloadTemplate template,
            int replicas, String version) {
        return new ClusterAction.ApplyWorkload(name, color, track, template, replicas, version == null ? "unknown" : version,
                d.spec.progressDeadlineSeconds());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** The plan being built: the copy of the row it changes, and what it collects. */
    private static final class Plan {
        final Deployment d;
        final Inputs in;
        final OffsetDateTime now;
        final String app;
        final List<ClusterAction> actions = new ArrayList<>();
        final List<RolloutStep> steps = new ArrayList<>();
        final List<String> events = new ArrayList<>();

        Plan(Deployment d, Inputs in) {
            this.d = d;
            this.in = in;
            this.now = in.now();
            this.app = Manifests.appName(d.serviceName);
        }

        void act(ClusterAction action) {
            actions.add(action);
        }

        void step(String action, String detail) {
            steps.add(new RolloutStep(action, detail, null, now));
        }

        void event(String step) {
            events.add(step);
        }

        void phase(Phase phase) {
            d.phase = phase;
            d.phaseSince = now;
        }

        RolloutPlan recheck(Duration after) {
            Duration wait = after.isNegative() ? Duration.ZERO : after;
            if (waitsForCluster() && Duration.between(d.phaseSince, now).compareTo(QUICK_WINDOW) < 0) {
                wait = wait.compareTo(QUICK_POLL) < 0 ? wait : QUICK_POLL;
            }
            return recheckAt(now.plus(wait));
        }

        /** Kubernetes rolls out small changes in a moment: the first seconds of a wait are looked at closely. */
        private boolean waitsForCluster() {
            return d.active() && (d.phase == Phase.ROLLOUT || d.phase == Phase.PROMOTE || d.phase == Phase.ROLLBACK);
        }

        RolloutPlan recheckAt(OffsetDateTime at) {
            d.nextActionAt = at;
            d.attempts = 0;
            return build();
        }

        RolloutPlan done() {
            d.nextActionAt = null;
            d.attempts = 0;
            return build();
        }

        RolloutPlan idle() {
            return done();
        }

        RolloutPlan end(Status status, String reason, String event) {
            d.status = status;
            d.errorMessage = reason;
            d.completedAt = now;
            d.phase = Phase.DONE;
            d.phaseSince = now;
            step(event, reason);
            event(event);
            return done();
        }

        RolloutPlan withdrawn(String reason) {
            return end(Status.ROLLED_BACK, reason + " before anything was applied", "rolled_back");
        }

        private RolloutPlan build() {
            if (!actions.isEmpty() || !steps.isEmpty()) {
                d.updatedAt = now;
            }
            return new RolloutPlan(d, List.copyOf(actions), List.copyOf(steps), List.copyOf(events));
        }
    }
}
