package io.devops.common.consumer;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.common.PlatformSettings;
import io.devops.common.events.IncomingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a consumer's work at most once per event id. The id is recorded in the consumer's own
 * {@code processed_event} table in the same transaction as the work, so a redelivered event (after
 * a rebalance, or the outbox relay repeating itself) finds its id and is skipped, and a failed
 * transaction leaves no id behind. {@link #processOnce} works in the Hibernate Reactive
 * transaction ({@code @WithTransaction}); {@link #firstSeen} records a whole poll's ids in a raw SQL
 * client transaction, for consumers that process a poll set-wise.
 */
@ApplicationScoped
public class IdempotentConsumer {
    private static final Logger LOG = Logger.getLogger(IdempotentConsumer.class);

    private final PlatformSettings settings;
    private final Pool pool;
    private final MeterRegistry meters;
    private final String table;

    IdempotentConsumer(PlatformSettings settings, Pool pool, MeterRegistry meters) {
        this.settings = settings;
        this.pool = pool;
        this.meters = meters;
        this.table = settings.schema() + ".processed_event";
    }

    /**
     * Runs {@code work} unless this consumer already processed {@code event}.
     *
     * @param consumer names the consumer, so two consumers of one topic keep separate records
     */
    public Uni<Void> processOnce(String consumer, IncomingEvent event, Supplier<Uni<Void>> work) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("insert into " + table
                        + " (consumer, ce_id) values (:consumer, :id) on conflict do nothing")
                        .setParameter("consumer", consumer)
                        .setParameter("id", event.id())
                        .executeUpdate())
                .flatMap(inserted -> {
                    if (inserted == 0) {
                        LOG.debugf("%s skips event %s (%s): already processed", consumer, event.id(), event.type());
                        meters.counter("events.duplicates", "consumer", consumer).increment();
                        return Uni.createFrom().voidItem();
                    }
                    meters.counter("events.processed", "consumer", consumer).increment();
                    return work.get();
                });
    }

    /**
     * Records the ids of {@code eventIds} in the transaction of {@code connection}; returns those
     * this consumer had not processed before, the ones to process now.
     */
    public Uni<Set<String>> firstSeen(SqlConnection connection, String consumer, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return connection.preparedQuery("insert into " + table + " (consumer, ce_id) select $1, unnest($2::text[])"
                + " on conflict do nothing returning ce_id")
                .execute(Tuple.of(consumer, eventIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row row : rows) {
                        fresh.add(row.getString(0));
                    }
                    int repeated = new HashSet<>(eventIds).size() - fresh.size();
                    if (repeated > 0) {
                        LOG.debugf("%s skips %d events already processed", consumer, repeated);
                        meters.counter("events.duplicates", "consumer", consumer).increment(repeated);
                    }
                    meters.counter("events.processed", "consumer", consumer).increment(fresh.size());
                    return fresh;
                });
    }

    @Scheduled(every = "1h", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetOldEvents() {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(settings.inbox().processedRetention());
        pool.preparedQuery("delete from " + table + " where processed_at < $1").execute(Tuple.of(cutoff))
                .await().atMost(Duration.ofMinutes(1));
    }
}
