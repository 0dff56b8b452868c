package io.devops.alerting.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.jboss.logging.Logger;

import io.devops.common.consumer.DeadLetters;
import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.EventCodec;
import io.devops.common.events.EventContract;
import io.devops.common.events.IncomingEvent;
import io.devops.common.retry.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Takes a Kafka poll of a source's events to alert signals, set-wise: each record is decoded (one
 * that cannot be goes to {@code <topic>.dlq} alone, never its whole poll), then one transaction
 * records the events' ids (so a redelivered one is skipped), turns the new ones into signals and
 * applies them through {@link AlertWriter}. When PostgreSQL is away the poll is retried with
 * backoff until it is written; the consumer's offsets move only after that, so nothing
 * acknowledged by Kafka is lost. Call it from a {@code @Blocking} batch consumer.
 */
@ApplicationScoped
public class SignalIntake {
    private static final Logger LOG = Logger.getLogger(SignalIntake.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Pool pool;
    private final IdempotentConsumer idempotent;
    private final DeadLetters deadLetters;
    private final AlertWriter writer;
    private final MeterRegistry meters;
    private final Event<AlertsCommitted> committed;
    private final EventCodec codec;
    private volatile boolean stopping;

    SignalIntake(Pool pool, IdempotentConsumer idempotent, DeadLetters deadLetters, AlertWriter writer, MeterRegistry meters,
            Event<AlertsCommitted> committed, EventCodec codec) {
        this.committed = committed;
        this.codec = codec;
        this.pool = pool;
        this.idempotent = idempotent;
        this.deadLetters = deadLetters;
        this.writer = writer;
        this.meters = meters;
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    private record Decoded<T>(String id, T event) {
    }

    /**
     * @param consumer names the consumer, for its processed-event records and metrics
     * @param contract what the events must be; one that breaks it goes to the dead-letter topic
     * @param signals  the signals the new events ask for, in order, in the poll's transaction
     */
    public <T> void consume(String consumer, ConsumerRecords<String, String> records, EventContract<T> contract,
            BiFunction<SqlConnection, List<T>, Uni<List<AlertSignal>>> signals) {
        List<Decoded<T>> decoded = new ArrayList<>(records.count());
        Timer lag = meters.timer("alerting.intake.lag", "consumer", consumer);
        // wall-clock time, as Kafka stamps its records
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, String> record : records) {
            lag.record(Math.max(0, now - record.timestamp()), TimeUnit.MILLISECONDS);
            try {
                IncomingEvent event = IncomingEvent.from(record);
                decoded.add(new Decoded<>(event.id(), codec.decode(event, contract)));
            } catch (RuntimeException e) {
                deadLetters.send(record, e.getMessage());
            }
        }
        if (decoded.isEmpty()) {
            return;
        }
        meters.summary("alerting.intake.events", "consumer", consumer).record(decoded.size());
        Timer timer = meters.timer("alerting.intake", "consumer", consumer);
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (true) {
            try {
                Timer.Sample timing = Timer.start();
                pool.withTransaction(connection -> idempotent.firstSeen(connection, consumer,
                        decoded.stream().map(Decoded::id).toList()).chain(fresh -> {
                            // A poll may hold one event twice (a repeated relay): the first counts.
                            Set<String> taken = new HashSet<>();
                            List<T> events = decoded.stream().filter(d -> fresh.contains(d.id()) && taken.add(d.id()))
                                    .map(Decoded::event).toList();
                            return signals.apply(connection, events).chain(list -> writer.apply(connection, list));
                        })).await().atMost(TIMEOUT);
                timing.stop(timer);
                committed.fire(new AlertsCommitted());
                int failedRounds = backoff.succeeded();
                if (failedRounds > 0) {
                    LOG.infof("%s writes again after %d failed rounds", consumer, failedRounds);
                }
                return;
            } catch (RuntimeException e) {
                if (stopping) {
                    // not acknowledged: the poll is delivered again after the restart
                    throw new IllegalStateException(consumer + " stops with a poll unwritten", e);
                }
                int failedRounds = backoff.failed();
                meters.counter("alerting.intake.failures", "consumer", consumer).increment();
                if (backoff.worthLogging()) {
                    LOG.warnf("%s could not write %d events (%d times), retrying: %s", consumer, decoded.size(), failedRounds,
                            e.toString());
                }
                try {
                    Thread.sleep(backoff.delay().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(consumer + " was interrupted while PostgreSQL was away", interrupted);
                }
            }
        }
    }
}
