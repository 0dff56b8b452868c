package io.devops.monitoring.status;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.common.events.HealthStatus;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.Topic;
import io.devops.common.outbox.Outbox;
import io.devops.common.retry.Backoff;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.catalog.ServiceDefinition;
import io.devops.monitoring.history.ResultWriter;
import io.devops.monitoring.incident.Incident;
import io.devops.monitoring.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * Makes status changes durable, one at a time and in the order they happened: in one transaction
 * the service's stored status, its incident (opened on becoming unhealthy, closed on recovery) and
 * the {@code monitoring.health} event in the outbox. A change that cannot be written (PostgreSQL
 * away) is retried until it is; if this replica dies first, the service's next owner starts from
 * the stored status and makes the change again.
 */
@ApplicationScoped
public class TransitionWriter {
    private static final Logger LOG = Logger.getLogger(TransitionWriter.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** Changes written after one flush of the results; a burst (many services failing at once) waits for one, not each. */
    private static final int MAX_BATCH = 500;

    private final Outbox outbox;
    private final ResultWriter results;
    private final MeterRegistry meters;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final Object idle = new Object();
    private volatile boolean running;
    private volatile boolean busy;
    private Thread worker;

    TransitionWriter(Outbox outbox, ResultWriter results, MeterRegistry meters) {
        this.outbox = outbox;
        this.results = results;
        this.meters = meters;
        meters.gauge("monitoring.transitions.pending", queue, LinkedBlockingQueue::size);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        worker = new Thread(this::run, "transition-writer");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        drain();
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** Queues a change of a service's status. */
    public void submit(ServiceDefinition service, StatusChange change) {
        queue.add(() -> write(service, change));
    }

    /** Queues the closing of a removed service's open incident. */
    public void serviceRemoved(UUID serviceId) {
        queue.add(() -> await(() -> Panache.withTransaction(() -> closeIncident(serviceId, Timestamps.now()))));
    }

    /** Waits until every change queued so far is written, at most 10 s. */
    public void drain() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        synchronized (idle) {
            while ((busy || !queue.isEmpty()) && running && System.nanoTime() < deadline) {
                try {
                    idle.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void run() {
        List<Runnable> batch = new ArrayList<>();
        while (running) {
            try {
                Runnable first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            busy = true;
            queue.drainTo(batch, MAX_BATCH - 1);
            // Store the results behind these changes first, so that whoever sees a new status also sees its checks.
            results.flushNow();
            for (Runnable next : batch) {
                if (!writeUntilDone(next)) {
                    return;
                }
            }
            batch.clear();
            synchronized (idle) {
                busy = false;
                idle.notifyAll();
            }
        }
    }

    private boolean writeUntilDone(Runnable write) {
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        while (running) {
            try {
                write.run();
                return true;
            } catch (RuntimeException e) {
                int failedRounds = backoff.failed();
                if (backoff.worthLogging()) {
                    LOG.warnf("writing a status change failed (%d times), retrying: %s", failedRounds, e.getMessage());
                }
                try {
                    Thread.sleep(backoff.delay().toMillis());
                } catch (InterruptedException interrupted) {
                    return false;
                }
            }
        }
        return false;
    }

    private void write(ServiceDefinition service, StatusChange change) {
        ProbeResult trigger = change.trigger();
        HealthTransition transition = new HealthTransition(service.id(), service.name(), change.previous(), change.status(),
                trigger.reason().json(), trigger.message(), trigger.statusCode(), trigger.responseTimeMs(),
                trigger.checkedAt());
        await(() -> Panache.withTransaction(() -> updateStatus(service.id(), change)
                .chain(() -> change.status() == HealthStatus.UNHEALTHY ? openIncident(service, change.firstOfStreak())
                        : change.previous() == HealthStatus.UNHEALTHY ? closeIncident(service.id(), change.firstOfStreak().checkedAt())
                                : Uni.createFrom().voidItem())
                .chain(() -> outbox.append(Topic.MONITORING_HEALTH, service.id().toString(), HealthTransition.TYPE,
                        transition))));
        Counter.builder("monitoring.transitions").description("Status changes published").tag("status", change.status().json())
                .register(meters).increment();
        LOG.infof("%s (%s) is %s: %s", service.name(), service.id(), change.status().json(),
                trigger.message() == null ? trigger.reason().json() : trigger.message());
    }

    private static Uni<Void> updateStatus(UUID serviceId, StatusChange change) {
        ProbeResult trigger = change.trigger();
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                update monitored_service set status = :status, status_reason = :reason, status_message = :message,
                    status_changed_at = :changedAt where id = :id""")
                .setParameter("status", change.status().json()).setParameter("reason", trigger.reason().json())
                .setParameter("message", trigger.message()).setParameter("changedAt", trigger.checkedAt())
                .setParameter("id", serviceId).executeUpdate()).replaceWithVoid();
    }

    private static Uni<Void> openIncident(ServiceDefinition service, ProbeResult first) {
        Incident incident = new Incident();
        incident.id = UUID.randomUUID();
        incident.serviceId = service.id();
        incident.serviceName = service.name();
        incident.environment = service.environment();
        incident.startedAt = first.checkedAt();
        incident.firstErrorReason = first.reason().json();
        incident.firstErrorMessage = first.message();
        incident.firstStatusCode = first.statusCode();
        return Incident.<Incident>find("serviceId = ?1 and endedAt is null", service.id()).firstResult()
                .chain(open -> open != null ? Uni.createFrom().voidItem() : incident.persist().replaceWithVoid());
    }

    private static Uni<Void> closeIncident(UUID serviceId, OffsetDateTime endedAt) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                update incident i set ended_at = greatest(:endedAt, i.started_at), failed_checks = (
                    select count(*) from check_result r where r.service_id = i.service_id
                    and r.checked_at >= i.started_at and r.checked_at <= :endedAt and r.status = 'unhealthy')
                where i.service_id = :id and i.ended_at is null""")
                .setParameter("endedAt", endedAt).setParameter("id", serviceId).executeUpdate()).replaceWithVoid();
    }

    private static void await(java.util.function.Supplier<Uni<?>> work) {
        try {
            VertxContextSupport.subscribeAndAwait(() -> work.get().replaceWithVoid());
        } catch (Throwable e) {
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }
}
