package io.devops.alerting.alert;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/** Resolves the alerts whose end has passed, a batch at a time, until none is left. */
@ApplicationScoped
public class AlertExpiry {
    private static final int BATCH = 500;

    private final AlertBook book;

    AlertExpiry(AlertBook book) {
        this.book = book;
    }

    @Scheduled(every = "${alerting.expiry-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expire() {
        return book.expire(BATCH).chain(resolved -> resolved == BATCH ? expire() : Uni.createFrom().voidItem());
    }
}
