package io.devops.common.consumer;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.common.events.MalformedEventException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

/**
 * Keeps a consumer's work from reaching the dead-letter topic for a fault that is not the
 * record's: while PostgreSQL is away the work is retried (200 ms, doubling to 5 s) until it is
 * done, and during shutdown it is left unacknowledged, so the record is delivered again after the
 * restart. Only a record that cannot be read ({@link MalformedEventException}) fails, for the
 * channel's dead-letter strategy.
 */
@ApplicationScoped
public class TransientFailures {
    private static final Logger LOG = Logger.getLogger(TransientFailures.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final MeterRegistry meters;
    private volatile boolean stopping;

    TransientFailures(MeterRegistry meters) {
        this.meters = meters;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** {@code work}, repeated until it succeeds, fails on its record, or the service stops. */
    public <T> Uni<T> retried(String consumer, Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().<T>deferred(work)
                .onFailure(this::transientFault).invoke(failure -> {
                    meters.counter("events.retries", "consumer", consumer).increment();
                    LOG.warnf("%s could not process a record, retrying: %s", consumer, failure.toString());
                })
                .onFailure(this::transientFault).retry().withBackOff(FIRST_BACKOFF, MAX_BACKOFF).indefinitely()
                .onFailure(failure -> stopping && !(failure instanceof MalformedEventException))
                .recoverWithUni(failure -> {
                    LOG.infof("%s stops with a record unprocessed; it is delivered again after the restart", consumer);
                    return Uni.createFrom().nothing();
                });
    }

    private boolean transientFault(Throwable failure) {
        return !stopping && !(failure instanceof MalformedEventException);
    }
}
