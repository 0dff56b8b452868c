package io.devops.deployer.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.devops.common.events.DeploymentEvent.Status;
import io.devops.deployer.deployment.Deployment;
import io.devops.deployer.deployment.Phase;
import io.devops.deployer.deployment.RolloutSpec;
import io.devops.deployer.deployment.Strategy;
import io.devops.deployer.kubernetes.ClusterAction;
import io.devops.deployer.kubernetes.ClusterState;
import io.devops.deployer.kubernetes.Workload;
import io.devops.deployer.kubernetes.WorkloadTemplate;
import io.devops.deployer.signal.GateFailure;

/** The rollout state machine, case by case: a row and what the driver saw in, the plan out. */
class RolloutDecisionTest {
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 12, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final Duration POLL = Duration.ofSeconds(2);
    /** A wait for the cluster that has just begun is looked at more closely. */
    private static final Duration QUICK = RolloutDecision.QUICK_POLL;
    private static final WorkloadTemplate OLD = new WorkloadTemplate("reg/cart:1.0", Map.of(), Map.of(), Map.of(), 8080, null);
    private static final RolloutDecision DECISION = new RolloutDecision(POLL);

    record Case(String name, Consumer<Deployment> row, ClusterState cluster, List<GateFailure> gate, boolean superseded,
            Status status, Phase phase, List<String> actions, List<String> events, Duration recheck) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("first deployment creates the blue stable Deployment and the Service", d -> {
                }, ClusterState.EMPTY, List.of(), false, Status.IN_PROGRESS, Phase.ROLLOUT,
                        List.of("apply cart-blue stable blue reg/cart:2.0 x4", "route blue"), List.of("started"), QUICK),
                new Case("a rolling update changes the live colour in place and keeps the old template", d -> {
                }, live("blue", ready("cart-blue", OLD, 3)), List.of(), false, Status.IN_PROGRESS, Phase.ROLLOUT,
                        List.of("apply cart-blue stable blue reg/cart:2.0 x4"), List.of("started"), QUICK),
                new Case("blue-green starts the other colour beside the live one", d -> d.strategy = Strategy.BLUE_GREEN,
                        live("blue", ready("cart-blue", OLD, 4)), List.of(), false, Status.IN_PROGRESS, Phase.ROLLOUT,
                        List.of("apply cart-green stable green reg/cart:2.0 x4"), List.of("started"), QUICK),
                new Case("a canary takes its first step's share from the stable Deployment", RolloutDecisionTest::canary,
                        live("blue", ready("cart-blue", OLD, 4)), List.of(), false, Status.IN_PROGRESS, Phase.ROLLOUT,
                        List.of("apply cart-canary canary blue reg/cart:2.0 x1", "scale cart-blue 3"), List.of("started"), QUICK),
                new Case("a rollout not yet ready is looked at again", d -> rolling(d, Phase.ROLLOUT),
                        live("blue", rolling("cart-blue", 2)), List.of(), false, Status.IN_PROGRESS, Phase.ROLLOUT,
                        List.of(), List.of(), POLL),
                new Case("a ready rolling update is analysed", d -> rolling(d, Phase.ROLLOUT),
                        live("blue", ready("cart-blue", next(), 4)), List.of(), false, Status.IN_PROGRESS, Phase.ANALYSIS,
                        List.of(), List.of(), POLL),
                new Case("a progress deadline fails the rollout and rolls back to the old template", d -> rolling(d, Phase.ROLLOUT),
                        live("blue", stuck("cart-blue")), List.of(), false, Status.ROLLING_BACK, Phase.ROLLBACK,
                        List.of("apply cart-blue stable blue reg/cart:1.0 x4"), List.of("rolling_back"), QUICK),
                new Case("without automatic rollback a deadline fails for good", d -> {
                    rolling(d, Phase.ROLLOUT);
                    d.spec = spec(false, List.of());
                }, live("blue", stuck("cart-blue")), List.of(), false, Status.FAILED, Phase.DONE, List.of(), List.of("failed"), null),
                new Case("the analysis ends without a failure: succeeded", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.phaseSince = NOW.minusSeconds(61);
                }, live("blue", ready("cart-blue", next(), 4)), List.of(), false, Status.SUCCEEDED, Phase.DONE, List.of(),
                        List.of("succeeded"), null),
                new Case("the analysis waits out its time", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.phaseSince = NOW.minusSeconds(59);
                }, live("blue", ready("cart-blue", next(), 4)), List.of(), false, Status.IN_PROGRESS, Phase.ANALYSIS, List.of(),
                        List.of(), Duration.ofSeconds(1)),
                new Case("a failed gate during analysis rolls back", d -> rolling(d, Phase.ANALYSIS),
                        live("blue", ready("cart-blue", next(), 4)), List.of(unhealthy()), false, Status.ROLLING_BACK,
                        Phase.ROLLBACK, List.of("apply cart-blue stable blue reg/cart:1.0 x4"), List.of("rolling_back"), QUICK),
                new Case("a ready blue-green colour gets the traffic, then the analysis", d -> {
                    rolling(d, Phase.ROLLOUT);
                    d.strategy = Strategy.BLUE_GREEN;
                    d.targetColor = "green";
                    d.trafficSince = null;
                }, live("blue", ready("cart-blue", OLD, 4), ready("cart-green", next(), 4)), List.of(), false, Status.IN_PROGRESS,
                        Phase.ANALYSIS, List.of("route green"), List.of(), POLL),
                new Case("a blue-green gate failure switches straight back and empties the new colour", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.strategy = Strategy.BLUE_GREEN;
                    d.targetColor = "green";
                }, live("green", ready("cart-blue", OLD, 4), ready("cart-green", next(), 4)), List.of(unhealthy()), false,
                        Status.ROLLING_BACK, Phase.ROLLBACK, List.of("route blue", "scale cart-green 0"), List.of("rolling_back"), QUICK),
                new Case("a blue-green success keeps the old colour for the retention", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.strategy = Strategy.BLUE_GREEN;
                    d.targetColor = "green";
                    d.phaseSince = NOW.minusSeconds(61);
                }, live("green", ready("cart-blue", OLD, 4), ready("cart-green", next(), 4)), List.of(), false, Status.SUCCEEDED,
                        Phase.RETAIN, List.of(), List.of("succeeded"), Duration.ofMinutes(15)),
                new Case("after the retention the old colour is scaled to zero", d -> {
                    rolling(d, Phase.RETAIN);
                    d.strategy = Strategy.BLUE_GREEN;
                    d.status = Status.SUCCEEDED;
                    d.targetColor = "green";
                    d.phaseSince = NOW.minusMinutes(16);
                }, live("green"), List.of(), false, Status.SUCCEEDED, Phase.DONE, List.of("scale cart-blue 0"), List.of(), null),
                new Case("a newer deployment ends the retention without touching anything", d -> {
                    rolling(d, Phase.RETAIN);
                    d.strategy = Strategy.BLUE_GREEN;
                    d.status = Status.SUCCEEDED;
                    d.targetColor = "green";
                    d.phaseSince = NOW.minusMinutes(16);
                }, live("green"), List.of(), true, Status.SUCCEEDED, Phase.DONE, List.of(), List.of(), null),
                new Case("a canary step without a pause waits for a person", d -> {
                    canary(d);
                    rolling(d, Phase.ROLLOUT);
                    d.spec = spec(true, List.of(new RolloutSpec.CanaryStep(25, null)));
                }, live("blue", ready("cart-blue", OLD, 3), ready("cart-canary", next(), 1)), List.of(), false, Status.PAUSED,
                        Phase.ANALYSIS, List.of(), List.of("paused"), POLL),
                new Case("a held analysis is paused and waits", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.hold = true;
                    d.phaseSince = NOW.minusSeconds(120);
                }, live("blue", ready("cart-blue", next(), 4)), List.of(), false, Status.PAUSED, Phase.ANALYSIS, List.of(),
                        List.of("paused"), POLL),
                new Case("a resumed analysis is in progress again", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.status = Status.PAUSED;
                    d.phaseSince = NOW.minusSeconds(30);
                }, live("blue", ready("cart-blue", next(), 4)), List.of(), false, Status.IN_PROGRESS, Phase.ANALYSIS, List.of(),
                        List.of("resumed"), POLL),
                new Case("a promoted canary step moves to the next weight", d -> {
                    canary(d);
                    rolling(d, Phase.ANALYSIS);
                    d.promoteRequested = "step";
                }, live("blue", ready("cart-blue", OLD, 3), ready("cart-canary", next(), 1)), List.of(), false,
                        Status.IN_PROGRESS, Phase.ROLLOUT, List.of("apply cart-canary canary blue reg/cart:2.0 x2", "scale cart-blue 2"),
                        List.of("step"), QUICK),
                new Case("a full promotion updates the stable Deployment", d -> {
                    canary(d);
                    rolling(d, Phase.ANALYSIS);
                    d.promoteRequested = "full";
                }, live("blue", ready("cart-blue", OLD, 3), ready("cart-canary", next(), 1)), List.of(), false,
                        Status.IN_PROGRESS, Phase.PROMOTE, List.of("apply cart-blue stable blue reg/cart:2.0 x4"), List.of("promoting"),
                        QUICK),
                new Case("a promoted stable Deployment ready: the canary goes", d -> {
                    canary(d);
                    rolling(d, Phase.PROMOTE);
                }, live("blue", ready("cart-blue", next(), 4), ready("cart-canary", next(), 1)), List.of(), false,
                        Status.SUCCEEDED, Phase.DONE, List.of("delete cart-canary"), List.of("succeeded"), null),
                new Case("a canary gate failure removes the canary and restores the stable replicas", d -> {
                    canary(d);
                    rolling(d, Phase.ANALYSIS);
                }, live("blue", ready("cart-blue", OLD, 3), ready("cart-canary", next(), 1)), List.of(unhealthy()), false,
                        Status.ROLLING_BACK, Phase.ROLLBACK, List.of("delete cart-canary", "apply cart-blue stable blue reg/cart:1.0 x4"),
                        List.of("rolling_back"), QUICK),
                new Case("a paused rollout still rolls back on its gate", d -> {
                    canary(d);
                    rolling(d, Phase.ANALYSIS);
                    d.hold = true;
                }, live("blue", ready("cart-blue", OLD, 3), ready("cart-canary", next(), 1)), List.of(unhealthy()), false,
                        Status.ROLLING_BACK, Phase.ROLLBACK, List.of("delete cart-canary", "apply cart-blue stable blue reg/cart:1.0 x4"),
                        List.of("rolling_back"), QUICK),
                new Case("an abort rolls back even without automatic rollback", d -> {
                    rolling(d, Phase.ANALYSIS);
                    d.spec = spec(false, List.of());
                    d.abortRequested = "aborted by ana";
                }, live("blue", ready("cart-blue", next(), 4)), List.of(), false, Status.ROLLING_BACK, Phase.ROLLBACK,
                        List.of("apply cart-blue stable blue reg/cart:1.0 x4"), List.of("rolling_back"), QUICK),
                new Case("an abort before the start withdraws the deployment", d -> d.abortRequested = "aborted by ana",
                        live("blue", ready("cart-blue", OLD, 4)), List.of(), false, Status.ROLLED_BACK, Phase.DONE, List.of(),
                        List.of("rolled_back"), null),
                new Case("the rollback is over once the old template runs again", d -> {
                    rolling(d, Phase.ROLLBACK);
                    d.status = Status.ROLLING_BACK;
                    d.errorMessage = "health gate failed";
                }, live("blue", ready("cart-blue", OLD, 4)), List.of(unhealthy()), false, Status.ROLLED_BACK, Phase.DONE,
                        List.of(), List.of("rolled_back"), null),
                new Case("a rollback that does not roll out either fails", d -> {
                    rolling(d, Phase.ROLLBACK);
                    d.status = Status.ROLLING_BACK;
                    d.errorMessage = "health gate failed";
                }, live("blue", stuck("cart-blue")), List.of(), false, Status.FAILED, Phase.DONE, List.of(), List.of("failed"), null),
                new Case("a gate failure before the new version takes traffic does not count", d -> {
                    rolling(d, Phase.ROLLOUT);
                    d.strategy = Strategy.BLUE_GREEN;
                    d.targetColor = "green";
                    d.trafficSince = null;
                }, live("blue", ready("cart-blue", OLD, 4), rolling("cart-green", 1)), List.of(unhealthy()), false,
                        Status.IN_PROGRESS, Phase.ROLLOUT, List.of(), List.of(), POLL));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void decides(Case c) {
        Deployment row = pending();
        c.row().accept(row);
        Phase phaseRead = row.phase;
        Status statusRead = row.status;
        RolloutPlan plan = DECISION.decide(row, new RolloutDecision.Inputs(c.cluster(), c.gate(), c.superseded(), NOW));

        assertThat(plan.next().status).as("status").isEqualTo(c.status());
        assertThat(plan.next().phase).as("phase").isEqualTo(c.phase());
        assertThat(plan.actions().stream().map(RolloutDecisionTest::describe).toList()).as("actions").isEqualTo(c.actions());
        assertThat(plan.events()).as("events").isEqualTo(c.events());
        if (c.recheck() == null) {
            assertThat(plan.next().nextActionAt).as("next action").isNull();
        } else {
            assertThat(plan.next().nextActionAt).as("next action").isEqualTo(NOW.plus(c.recheck()));
        }
        assertThat(row.phase).as("the row read is left alone").isEqualTo(phaseRead);
        assertThat(row.status).as("the row read is left alone").isEqualTo(statusRead);
    }

    @org.junit.jupiter.api.Test
    void aChangeTheClusterRefusesFailsTheRolloutAndRollsBackWhenAsked() {
        Deployment row = pending();
        rolling(row, Phase.ROLLOUT);
        RolloutDecision.Inputs inputs = new RolloutDecision.Inputs(live("blue", ready("cart-blue", OLD, 4)), List.of(), false, NOW);

        RolloutPlan rollBack = DECISION.refused(row, inputs, "Kubernetes refused the change: forbidden", true);
        assertThat(rollBack.next().status).isEqualTo(Status.ROLLING_BACK);
        assertThat(rollBack.next().errorMessage).isEqualTo("Kubernetes refused the change: forbidden");

        RolloutPlan giveUp = DECISION.refused(row, inputs, "Kubernetes refused the change: forbidden", false);
        assertThat(giveUp.next().status).isEqualTo(Status.FAILED);
        assertThat(giveUp.actions()).isEmpty();
        assertThat(giveUp.next().nextActionAt).isNull();
    }

    @org.junit.jupiter.api.Test
    void aRefusedCleanUpLeavesASucceededRolloutSucceeded() {
        Deployment row = pending();
        rolling(row, Phase.RETAIN);
        row.status = Status.SUCCEEDED;
        RolloutPlan plan = DECISION.refused(row, new RolloutDecision.Inputs(ClusterState.EMPTY, List.of(), false, NOW),
                "Kubernetes refused the change: forbidden", true);

        assertThat(plan.next().status).isEqualTo(Status.SUCCEEDED);
        assertThat(plan.next().phase).isEqualTo(Phase.DONE);
        assertThat(plan.events()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({ "4, 25, 1", "4, 50, 2", "4, 10, 1", "10, 33, 4", "3, 99, 3", "4, 100, 4", "1, 10, 1", "0, 50, 0" })
    void aCanaryTakesItsShareRoundedUpAndAtLeastOneReplica(int replicas, int weight, int expected) {
        assertThat(RolloutDecision.canaryReplicas(replicas, weight)).isEqualTo(expected);
    }

    private static Deployment pending() {
        Deployment d = new Deployment();
        d.id = UUID.randomUUID();
        d.serviceId = UUID.randomUUID();
        d.serviceName = "Cart";
        d.environment = "production";
        d.namespace = "production";
        d.version = "2.0";
        d.image = "reg/cart:2.0";
        d.strategy = Strategy.ROLLING;
        d.spec = spec(true, List.of());
        d.config = new HashMap<>();
        d.status = Status.PENDING;
        d.phase = Phase.START;
        d.replicas = 4;
        d.createdAt = NOW.minusMinutes(1);
        d.updatedAt = d.createdAt;
        return d;
    }

    private static void canary(Deployment d) {
        d.strategy = Strategy.CANARY;
        d.spec = spec(true, List.of(new RolloutSpec.CanaryStep(25, "1m"), new RolloutSpec.CanaryStep(50, "1m")));
    }

    /** A row past its start, on the blue colour, with the old template kept. */
    private static void rolling(Deployment d, Phase phase) {
        d.phase = phase;
        d.status = Status.IN_PROGRESS;
        d.activeColor = "blue";
        d.targetColor = "blue";
        d.previousTemplate = OLD;
        d.previousVersion = "1.0";
        d.trafficSince = NOW.minusSeconds(30);
        d.phaseSince = NOW.minusSeconds(10);
        d.startedAt = NOW.minusSeconds(30);
    }

    private static RolloutSpec spec(boolean autoRollback, List<RolloutSpec.CanaryStep> steps) {
        return new RolloutSpec(4, Map.of(), Map.of(), Map.of(), 8080, null, steps, "1m", List.of("unhealthy"), "warning",
                autoRollback, 600, "15m");
    }

    private static WorkloadTemplate next() {
        return new WorkloadTemplate("reg/cart:2.0", Map.of(), Map.of(), Map.of(), 8080, null);
    }

    private static ClusterState live(String color, Workload... workloads) {
        Map<String, Workload> byName = new HashMap<>();
        for (Workload workload : workloads) {
            byName.put(workload.name(), workload);
        }
        return new ClusterState(byName, color);
    }

    private static Workload ready(String name, WorkloadTemplate template, int replicas) {
        return new Workload(name, template, template.image().substring(template.image().indexOf(':') + 1), replicas, 3, 3,
                replicas, replicas, replicas, false, null);
    }

    private static Workload rolling(String name, int available) {
        return new Workload(name, next(), "2.0", 4, 4, 4, 5, 2, available, false, null);
    }

    private static Workload stuck(String name) {
        return new Workload(name, next(), "2.0", 4, 4, 4, 4, 4, 0, true, "ReplicaSet has timed out progressing.");
    }

    private static GateFailure unhealthy() {
        return new GateFailure(GateFailure.HEALTH, "cart turned unhealthy", NOW.minusSeconds(1));
    }

    private static String describe(ClusterAction action) {
        if (action instanceof ClusterAction.ApplyWorkload apply) {
            return "apply " + apply.name() + " " + apply.track() + " " + apply.color() + " " + apply.template().image() + " x"
                    + apply.replicas();
        }
        if (action instanceof ClusterAction.Scale scale) {
            return "scale " + scale.name() + " " + scale.replicas();
        }
        if (action instanceof ClusterAction.Delete delete) {
            return "delete " + delete.name();
        }
        return "route " + ((ClusterAction.RouteTo) action).color();
    }
}
