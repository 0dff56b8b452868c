package io.devops.registry.heartbeat;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.registry.service.ServiceBook;
import io.devops.registry.service.ServiceRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Keeps leases: writes buffered heartbeats, then finds services whose lease lapsed (or was renewed
 * after lapsing) and has {@link ServiceBook} change their status, and deregisters services that stayed
 * lapsed past their deregister-after time. Every replica runs it; the book re-checks each
 * service under its row lock, so two replicas never publish the same change twice.
 */
@ApplicationScoped
public class LeaseKeeper {
    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class);
    private static final int BATCH = 500;

    private final HeartbeatBuffer buffer;
    private final ServiceRepository repository;
    private final ServiceBook book;
    private final KnownServices known;

    LeaseKeeper(HeartbeatBuffer buffer, ServiceRepository repository, ServiceBook book, KnownServices known) {
        this.buffer = buffer;
        this.repository = repository;
        this.book = book;
        this.known = known;
    }

    @Scheduled(every = "${registry.heartbeat.flush-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> flushHeartbeats() {
        return buffer.flush().replaceWithVoid().onFailure().recoverWithNull();
    }

    @Scheduled(every = "${registry.lease.check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> checkLeases() {
        return Panache.withSession(() -> repository.withStaleStatus(BATCH))
                .flatMap(ids -> each(ids, book::reconcileLease))
                .flatMap(ignored -> Panache.withSession(() -> repository.dueForDeregistration(BATCH)))
                .flatMap(ids -> each(ids, id -> book.deregisterLapsed(id).invoke(done -> {
                    if (done) {
                        known.forget(id);
                    }
                })))
                .onFailure().invoke(e -> LOG.warnf("lease check failed, retrying at the next tick: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    private static Uni<Void> each(List<UUID> ids, java.util.function.Function<UUID, Uni<Boolean>> action) {
        return Multi.createFrom().iterable(ids).onItem().transformToUniAndConcatenate(id -> action.apply(id)).collect().last()
                .replaceWithVoid();
    }
}
