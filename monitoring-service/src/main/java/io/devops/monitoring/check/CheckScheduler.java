package io.devops.monitoring.check;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.devops.monitoring.catalog.CatalogProjection.KnownState;
import io.devops.monitoring.catalog.ServiceDefinition;
import io.devops.monitoring.history.ResultWriter;
import io.devops.monitoring.maintenance.MaintenanceCalendar;
import io.devops.monitoring.probe.ProbeResult;
import io.devops.monitoring.probe.Prober;
import io.devops.monitoring.status.TransitionWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Checks the services of this replica's partitions, each at its own interval. One timer thread
 * only starts checks; the checks themselves are non-blocking, bounded in number, and complete on
 * the event loop, so a slow target delays no other. Each service's first check falls at a random
 * point of its first interval (or one interval after its last check, when this replica takes it
 * over), which spreads thousands of services over the interval instead of one millisecond; after
 * that checks keep a fixed rate.
 */
@ApplicationScoped
@Startup
public class CheckScheduler {
    private static final Logger LOG = Logger.getLogger(CheckScheduler.class);
    /** A new service is first checked within this time, or its interval if shorter: users want a status soon after registering. */
    private static final Duration FIRST_CHECK_WITHIN = Duration.ofSeconds(5);
    /** The longest a rebalance waits for released services' checks under way. */
    private static final Duration RELEASE_WAIT = Duration.ofSeconds(5);

    private final Prober prober;
    private final ResultWriter results;
    private final TransitionWriter transitions;
    private final MaintenanceCalendar maintenance;
    private final Map<UUID, MonitoredTarget> targets = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final CheckLimiter limiter;
    private final Timer lag;
    private final Map<HealthStatus, Counter> checks = new ConcurrentHashMap<>();
    private final Counter heldBack;
    private final MeterRegistry meters;

    CheckScheduler(Prober prober, ResultWriter results, TransitionWriter transitions, MaintenanceCalendar maintenance,
            MonitoringSettings settings, MeterRegistry meters) {
        this.prober = prober;
        this.results = results;
        this.transitions = transitions;
        this.maintenance = maintenance;
        this.meters = meters;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "check-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.limiter = new CheckLimiter(settings.checks().maxInFlight(), timer);
        this.lag = Timer.builder("monitoring.checks.lag").description("How late checks start behind their schedule")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(meters);
        this.heldBack = Counter.builder("monitoring.transitions.held_back")
                .description("Failed checks in a maintenance window that would have made their service unhealthy").register(meters);
        meters.gauge("monitoring.services.owned", targets, Map::size);
        meters.gauge("monitoring.checks.in_flight", limiter, CheckLimiter::inFlight);
        meters.gauge("monitoring.checks.waiting", limiter, CheckLimiter::waiting);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }

    /** Starts checking a service of this replica's partitions, or applies its changed definition. */
    public void track(ServiceDefinition definition, KnownState known) {
        MonitoredTarget existing = targets.get(definition.id());
        if (existing != null) {
            ServiceDefinition previous = existing.definition;
            existing.definition = definition;
            if (definition.checksDifferentlyFrom(previous)) {
                schedule(existing, existing.restart(), firstDue(definition.check(), null));
            }
            return;
        }
        MonitoredTarget target = new MonitoredTarget(definition, known.status());
        targets.put(target.id, target);
        schedule(target, target.generation(), firstDue(definition.check(), known.lastCheckedAt()));
    }

    /** Stops checking a service that left the catalog. */
    public void untrack(UUID id) {
        MonitoredTarget target = targets.remove(id);
        if (target != null) {
            target.stop();
        }
    }

    /** Stops checking the services of partitions this replica no longer owns, and stores their last results for the next owner. */
    public void release(Collection<Integer> partitions) {
        Set<Integer> released = Set.copyOf(partitions);
        List<MonitoredTarget> releasedTargets = targets.values().stream()
                .filter(t -> released.contains(t.definition.partition())).toList();
        List<UUID> ids = releasedTargets.stream().map(t -> t.id).toList();
        ids.forEach(this::untrack);
        awaitChecksUnderWay(releasedTargets);
        results.flushNow();
        transitions.drain();
        LOG.debugf("released partitions %s: %d services", released, ids.size());
    }

    /** Lets checks under way finish, so that the next owner sees their results and does not repeat them at once. */
    private static void awaitChecksUnderWay(List<MonitoredTarget> released) {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        while (released.stream().anyMatch(t -> t.checking) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The services this replica checks. */
    public Set<UUID> owned() {
        return Set.copyOf(targets.keySet());
    }

    /** The nanoTime of a service's first check here: one interval after its last check, or at a random point soon. */
    private static long firstDue(HealthCheckSpec check, OffsetDateTime lastCheckedAt) {
        long now = System.nanoTime();
        long interval = TimeUnit.SECONDS.toNanos(check.intervalSeconds());
        if (lastCheckedAt != null) {
            long sinceLast = Duration.between(lastCheckedAt, Timestamps.now()).toNanos();
            if (sinceLast < interval) {
                return now + (interval - sinceLast);
            }
        }
        long spread = Math.min(interval, FIRST_CHECK_WITHIN.toNanos());
        return now + ThreadLocalRandom.current().nextLong(spread);
    }

    private void schedule(MonitoredTarget target, long generation, long dueNanos) {
        if (timer.isShutdown()) {
            return;
        }
        long delay = Math.max(0, dueNanos - System.nanoTime());
        target.scheduled(generation,
                timer.schedule(() -> limiter.submit(() -> start(target, generation, dueNanos)), delay, TimeUnit.NANOSECONDS));
    }

    private void start(MonitoredTarget target, long generation, long dueNanos) {
        if (!target.isCurrent(generation)) {
            limiter.release();
            return;
        }
        lag.record(Math.max(0, System.nanoTime() - dueNanos), TimeUnit.NANOSECONDS);
        ServiceDefinition definition = target.definition;
        target.checking = true;
        prober.check(definition.url(), definition.check())
                .whenComplete((result, failure) -> {
                    limiter.release();
                    if (failure != null) {
                        // The prober reports every failure as a result; this is a bug, so say it loudly and keep checking.
                        LOG.errorf(failure, "check of %s failed unexpectedly", definition.name());
                    } else {
                        complete(target, definition, result);
                    }
                    target.checking = false;
                    long interval = TimeUnit.SECONDS.toNanos(target.definition.check().intervalSeconds());
                    schedule(target, generation, Math.max(dueNanos + interval, System.nanoTime()));
                });
    }

    private void complete(MonitoredTarget target, ServiceDefinition definition, ProbeResult result) {
        checks.computeIfAbsent(result.status(), status -> Counter.builder("monitoring.checks")
                .description("Checks completed, by outcome").tag("outcome", status.json()).register(meters)).increment();
        boolean tlsChanged = result.tlsExpiresAt() != null && !result.tlsExpiresAt().equals(target.tlsExpiresAt);
        if (tlsChanged) {
            target.tlsExpiresAt = result.tlsExpiresAt();
        }
        results.add(target.id, result, tlsChanged);
        if (!target.isActive()) {
            // Another replica owns the service now and decides its status.
            return;
        }
        HealthCheckSpec check = definition.check();
        boolean inMaintenance = result.failed() && maintenance.isUnderMaintenance(target.id, result.checkedAt());
        target.tracker.apply(result, check.failureThreshold(), check.successThreshold(), inMaintenance)
                .ifPresentOrElse(change -> transitions.submit(definition, change), () -> {
                    if (inMaintenance && target.tracker.heldBack(check.failureThreshold())) {
                        heldBack.increment();
                    }
                });
    }
}
