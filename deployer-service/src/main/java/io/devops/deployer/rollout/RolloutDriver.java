package io.devops.deployer.rollout;

import static io.devops.common.time.Timestamps.now;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.devops.common.outbox.Outbox;
import io.devops.common.retry.Backoff;
import io.devops.deployer.DeployerSettings;
import io.devops.deployer.deployment.Deployment;
import io.devops.deployer.deployment.DeploymentEvents;
import io.devops.deployer.deployment.DeploymentTable;
import io.devops.deployer.deployment.Phase;
import io.devops.deployer.deployment.RolloutRequested;
import io.devops.deployer.deployment.StepTable;
import io.devops.deployer.kubernetes.Cluster;
import io.devops.deployer.kubernetes.ClusterAction;
import io.devops.deployer.kubernetes.ClusterState;
import io.devops.deployer.kubernetes.Manifests;
import io.devops.deployer.signal.GateFailure;
import io.devops.deployer.signal.GateSignals;
import io.devops.deployer.signal.SignalArrived;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Drives every rollout that is due: claims it (so no other replica drives it at the same time),
 * reads the cluster and the gate, lets {@link RolloutDecision} decide, applies the actions to the
 * cluster, then saves the new state, its history and its events in one transaction. Nothing lives
 * only in memory: a replica that dies leaves its claims to lapse, and another resumes from the row.
 * Signals and requests wake it at once; otherwise it looks every {@code deployer.rollout.tick}, on a
 * thread of its own with blocking waits (the Kubernetes client blocks).
 */
@ApplicationScoped
public class RolloutDriver {
    private static final Logger LOG = Logger.getLogger(RolloutDriver.class);

    private final Pool pool;
    private final DeploymentTable deployments;
    private final StepTable steps;
    private final GateSignals gates;
    private final Cluster cluster;
    private final Outbox outbox;
    private final DeployerSettings settings;
    private final MeterRegistry meters;
    private final RolloutDecision decision;
    private final String owner;
    private final ExecutorService workers;
    private final Timer gateReaction;
    private final Object wakeUps = new Object();
    private final AtomicBoolean woken = new AtomicBoolean();
    private final AtomicReference<OffsetDateTime> nextDue = new AtomicReference<>();
    private volatile boolean running;
    private Thread loop;
    private int failedRounds;

    RolloutDriver(Pool pool, DeploymentTable deployments, StepTable steps, GateSignals gates, Cluster cluster, Outbox outbox,
            DeployerSettings settings, MeterRegistry meters, @ConfigProperty(name = "quarkus.uuid") String instance) {
        this.pool = pool;
        this.deployments = deployments;
        this.steps = steps;
        this.gates = gates;
        this.cluster = cluster;
        this.outbox = outbox;
        this.settings = settings;
        this.meters = meters;
        this.owner = instance;
        this.decision = new RolloutDecision(settings.rollout().pollInterval());
        this.workers = Executors.newFixedThreadPool(settings.rollout().workers(), runnable -> {
            Thread thread = new Thread(runnable, "rollout-worker");
            thread.setDaemon(true);
            return thread;
        });
        this.gateReaction = Timer.builder("deployer.gate.reaction")
                .description("From a gate failure (the transition or alert) to its rollback applied to the cluster")
                .publishPercentiles(0.5, 0.99).register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (!cluster.configured()) {
            LOG.info("no Kubernetes cluster is configured: rollouts are refused");
            return;
        }
        running = true;
        loop = new Thread(this::run, "rollout-driver");
        loop.setDaemon(true);
        loop.start();
    }

    /** Stops before the database pool closes, so no round runs against a closed pool. */
    void stop(@Observes ShutdownEvent event) {
        running = false;
        wake();
        if (loop != null) {
            try {
                loop.join(settings.rollout().claim().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdownNow();
    }

    void requested(@Observes RolloutRequested request) {
        wake();
    }

    /** A new signal: the service's rollouts become due now, here and on every replica. */
    void signalled(@Observes SignalArrived signal) {
        pool.withConnection(connection -> deployments.wake(connection, signal.serviceId(), signal.serviceName(), now()))
                .subscribe().with(count -> wake(),
                        failure -> LOG.debugf("could not wake the rollouts of %s: %s", signal.serviceName(), failure.getMessage()));
    }

    private void wake() {
        woken.set(true);
        synchronized (wakeUps) {
            wakeUps.notifyAll();
        }
    }

    /** Rounds until none is due, then a wait of one tick or until woken. */
    private void run() {
        while (running) {
            woken.set(false);
            try {
                round();
                failedRounds = 0;
            } catch (RuntimeException e) {
                // PostgreSQL away: said at the first failure and every 30th after, not at every tick.
                if (failedRounds++ % 30 == 0) {
                    LOG.warnf("rollout round failed (%d times), retrying at every tick: %s", failedRounds, e.getMessage());
                }
            }
            synchronized (wakeUps) {
                if (running && !woken.get()) {
                    try {
                        wakeUps.wait(untilNextDue());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /** Until the soonest rollout this replica saved is due again, at most a tick. */
    private long untilNextDue() {
        long tick = settings.rollout().tick().toMillis();
        OffsetDateTime due = nextDue.getAndSet(null);
        if (due == null) {
            return tick;
        }
        return Math.max(1, Math.min(tick, Duration.between(now(), due).toMillis()));
    }

    private void round() {
        OffsetDateTime now = now();
        List<Deployment> due = pool.withTransaction(connection -> deployments.claimDue(connection, owner, now,
                now.plus(settings.rollout().claim()), settings.rollout().batch())).await().indefinitely();
        if (due.isEmpty()) {
            return;
        }
        List<Future<?>> advancing = new ArrayList<>(due.size());
        for (Deployment deployment : due) {
            advancing.add(workers.submit(() -> advance(deployment)));
        }
        for (Future<?> future : advancing) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.warnf(e.getCause(), "a rollout could not be advanced");
            }
        }
        if (due.size() == settings.rollout().batch()) {
            woken.set(true);
        }
    }

    @WithSpan("deployer.advance")
    void advance(Deployment deployment) {
        OffsetDateTime now = now();
        Manifests manifests = cluster.manifests(deployment.serviceName);
        RolloutDecision.Inputs inputs;
        RolloutPlan plan;
        try {
            ClusterState state = cluster.observe(deployment.namespace, manifests.app());
            inputs = new RolloutDecision.Inputs(state, gate(deployment, now), superseded(deployment), now);
            plan = decision.decide(deployment, inputs);
        } catch (KubernetesClientException e) {
            if (Cluster.transientFault(e)) {
                retryLater(deployment, e);
                return;
            }
            // Forbidden, or no such namespace: retrying cannot help, so the rollout fails and says why.
            inputs = new RolloutDecision.Inputs(ClusterState.EMPTY, List.of(), false, now);
            plan = decision.refused(deployment, inputs, "Kubernetes refused to show " + deployment.namespace + "/" + manifests.app()
                    + ": " + reason(e), false);
        }
        try {
            applyAll(deployment, manifests, plan);
        } catch (KubernetesClientException e) {
            if (Cluster.transientFault(e)) {
                retryLater(deployment, e);
                return;
            }
            plan = decision.refused(deployment, inputs, "Kubernetes refused the change: " + reason(e), true);
            try {
                applyAll(deployment, manifests, plan);
            } catch (KubernetesClientException again) {
                plan = decision.refused(deployment, inputs, "Kubernetes refused the change: " + reason(e)
                        + "; and the rollback: " + reason(again), false);
            }
        }
        if (plan.next().phase == Phase.ROLLBACK && deployment.phase != Phase.ROLLBACK && !inputs.gate().isEmpty()) {
            GateFailure first = inputs.gate().get(0);
            gateReaction.record(Duration.between(first.at(), now()).abs());
            meters.counter("deployer.gate.failures", "kind", first.kind()).increment();
        }
        save(deployment, plan);
    }

    private void applyAll(Deployment deployment, Manifests manifests, RolloutPlan plan) {
        for (ClusterAction action : plan.actions()) {
            cluster.apply(deployment.namespace, manifests, action, deployment.id.toString());
        }
    }

    private void save(Deployment read, RolloutPlan plan) {
        Deployment next = plan.next();
        boolean saved = pool.withTransaction(connection -> deployments.saveDecided(connection, next, read.lockVersion, owner)
                .call(written -> !written ? Uni.createFrom().voidItem()
                        : steps.append(connection, next.id, plan.steps())
                                .chain(() -> outbox.append(connection, plan.events().stream()
                                        .map(step -> DeploymentEvents.of(next, step, next.updatedAt)).toList()))))
                .await().indefinitely();
        if (!saved) {
            // A person changed the rollout while it was being decided: decide again from their row.
            woken.set(true);
            return;
        }
        if (next.nextActionAt != null) {
            nextDue.accumulateAndGet(next.nextActionAt, (a, b) -> a == null || b.isBefore(a) ? b : a);
        }
        for (String event : plan.events()) {
            meters.counter("deployer.rollout.steps", "step", event, "strategy", next.strategy.json()).increment();
        }
    }

    private void retryLater(Deployment deployment, KubernetesClientException e) {
        Deployment retry = deployment.copy();
        retry.attempts++;
        Duration delay = Backoff.delay(Duration.ofMillis(500), settings.rollout().maxBackoff(), retry.attempts);
        retry.nextActionAt = now().plus(delay);
        if (retry.attempts == 1 || retry.attempts % 10 == 0) {
            LOG.warnf("deployment %s: the cluster could not be reached (%s); retrying in %s", deployment.id, reason(e), delay);
        }
        meters.counter("deployer.cluster.failures").increment();
        pool.withTransaction(connection -> deployments.saveDecided(connection, retry, deployment.lockVersion, owner))
                .await().indefinitely();
    }

    private List<GateFailure> gate(Deployment deployment, OffsetDateTime now) {
        if (deployment.trafficSince == null || !deployment.active()) {
            return List.of();
        }
        return gates.failures(deployment.serviceId, deployment.serviceName, deployment.trafficSince,
                deployment.spec.failingStatuses(), deployment.spec.alertSeverity()).await().indefinitely();
    }

    private boolean superseded(Deployment deployment) {
        if (deployment.phase != Phase.RETAIN) {
            return false;
        }
        return pool.withConnection(connection -> deployments.newerExists(connection, deployment.serviceId, deployment.environment,
                deployment.createdAt)).await().indefinitely();
    }

    private static String reason(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getMessage();
    }
}
