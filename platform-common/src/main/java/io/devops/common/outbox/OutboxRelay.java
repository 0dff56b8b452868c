package io.devops.common.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.devops.common.PlatformSettings;
import io.devops.common.events.OutgoingEvent;
import io.devops.common.kafka.ProducerSettings;
import io.devops.common.retry.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Publishes committed outbox rows to Kafka, the events of one key in id order and one at a time
 * (so they keep their order even when a send fails), with acks=all and an idempotent producer,
 * then marks them sent. At most one relay per schema
 * works at a time (a transaction-scoped advisory lock), so replicas never interleave. When Kafka or
 * PostgreSQL is away the relay backs off and retries the same rows; a row is marked sent only after
 * Kafka acknowledged it, so nothing committed is lost, and a crash between the acknowledgement and
 * the mark can only repeat an event, which consumers drop by its {@code ce_id}.
 *
 * <p>It runs on a thread of its own with blocking waits: the Kafka producer may block for metadata,
 * which must never happen on an event-loop thread.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

    private final Pool pool;
    private final PlatformSettings settings;
    private final Map<String, Object> kafkaConfig;
    private final AtomicLong backlog = new AtomicLong();
    private final Counter published;
    private final Counter failures;
    private final String table;
    private final Object pauses = new Object();

    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, byte[]> producer;

    OutboxRelay(Pool pool, PlatformSettings settings, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry meters) {
        this.pool = pool;
        this.settings = settings;
        this.kafkaConfig = kafkaConfig;
        this.table = settings.schema() + ".outbox";
        meters.gauge("outbox.backlog", backlog);
        this.published = Counter.builder("outbox.published").description("Events the outbox relay published to Kafka")
                .register(meters);
        this.failures = Counter.builder("outbox.relay.failures")
                .description("Relay rounds that failed because Kafka or PostgreSQL was unavailable").register(meters);
    }

    void start(@Observes StartupEvent event) {
        if (!settings.outbox().relayEnabled()) {
            return;
        }
        producer = new KafkaProducer<>(producerConfig());
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Events waiting to be published, as of the relay's last round. */
    public long backlog() {
        return backlog.get();
    }

    private Map<String, Object> producerConfig() {
        return ProducerSettings.from(kafkaConfig).durable()
                .deliveryTimeoutMillis((int) settings.outbox().deliveryTimeout().toMillis())
                .clientId(settings.eventSource().replace("/", "") + "-outbox-relay")
                .serializing(String.class, byte[].class);
    }

    private void run() {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        Instant nextCleanup = Instant.now();
        while (running) {
            try {
                int relayed = relayBatch();
                int failedRounds = backoff.succeeded();
                if (failedRounds > 0) {
                    LOG.infof("outbox relay for %s works again after %d failed rounds", table, failedRounds);
                }
                if (Instant.now().isAfter(nextCleanup)) {
                    deleteSentRows();
                    nextCleanup = Instant.now().plus(CLEANUP_EVERY);
                }
                if (relayed < settings.outbox().batchSize()) {
                    pause(settings.outbox().pollInterval());
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                int failedRounds = backoff.failed();
                failures.increment();
                if (backoff.worthLogging()) {
                    LOG.warnf("outbox relay for %s failed (%d rounds in a row), retrying: %s", table, failedRounds,
                            e.getMessage());
                }
                pause(backoff.delay());
            }
        }
    }

    /** Publishes one batch; returns how many rows it marked sent. */
    int relayBatch() {
        SqlConnection connection = pool.getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            Transaction transaction = connection.begin().await().atMost(Duration.ofSeconds(10));
            Row lock = connection.query("select pg_try_advisory_xact_lock(hashtext('outbox:" + table + "'))").execute()
                    .await().atMost(Duration.ofSeconds(10)).iterator().next();
            if (!lock.getBoolean(0)) {
                transaction.rollback().await().atMost(Duration.ofSeconds(10));
                return 0;
            }
            RowSet<Row> rows = connection.preparedQuery("select id, ce_id, ce_type, ce_source, ce_time, topic, message_key, "
                    + "payload, traceparent from " + table + " where sent_at is null order by id limit $1")
                    .execute(Tuple.of(settings.outbox().batchSize())).await().atMost(Duration.ofSeconds(30));
            List<Long> sent = publish(rows);
            if (!sent.isEmpty()) {
                connection.preparedQuery("update " + table + " set sent_at = now() where id = any($1)")
                        .execute(Tuple.of(sent.toArray(Long[]::new))).await().atMost(Duration.ofSeconds(30));
            }
            transaction.commit().await().atMost(Duration.ofSeconds(30));
            published.increment(sent.size());
            updateBacklog(rows.size(), sent.size());
            if (sent.size() < rows.size()) {
                throw new IllegalStateException("Kafka did not acknowledge " + (rows.size() - sent.size()) + " events");
            }
            return sent.size();
        } finally {
            connection.close().await().atMost(Duration.ofSeconds(10));
        }
    }

    /**
     * Sends the rows and waits for Kafka's acknowledgements; returns the ids of the rows Kafka
     * acknowledged. Rows go out in waves, each holding the oldest unsent row of every key, so a
     * key's next event is sent only once its previous one is acknowledged: when a send fails, no
     * later event of its key has gone out, and the retry keeps each key's order. After a wave with
     * a failure nothing more is sent.
     */
    private List<Long> publish(RowSet<Row> rows) {
        List<Row> pending = new ArrayList<>(rows.size());
        rows.forEach(pending::add);
        List<Long> sent = new ArrayList<>(pending.size());
        while (!pending.isEmpty()) {
            List<Row> wave = new ArrayList<>();
            List<Row> later = new ArrayList<>();
            Set<String> keys = new HashSet<>();
            for (Row row : pending) {
                (keys.add(row.getString("topic") + '\u0000' + row.getString("message_key")) ? wave : later).add(row);
            }
            boolean failed = sendWave(wave, sent);
            if (failed) {
                break;
            }
            pending = later;
        }
        return sent;
    }

    /** Sends one wave and adds the acknowledged ids to {@code sent}; returns whether any send failed. */
    private boolean sendWave(List<Row> wave, List<Long> sent) {
        List<Long> ids = new ArrayList<>(wave.size());
        List<Future<RecordMetadata>> acks = new ArrayList<>(wave.size());
        boolean failed = false;
        try {
            for (Row row : wave) {
                acks.add(producer.send(toRecord(row)));
                ids.add(row.getLong("id"));
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "send failed after %d of %d events", acks.size(), wave.size());
            failed = true;
        }
        producer.flush();
        long deadline = System.nanoTime() + settings.outbox().deliveryTimeout().plusSeconds(5).toNanos();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                sent.add(ids.get(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            } catch (Exception e) {
                LOG.debugf(e, "Kafka did not acknowledge outbox row %d", ids.get(i));
                failed = true;
            }
        }
        return failed;
    }

    private static ProducerRecord<String, byte[]> toRecord(Row row) {
        String payload = row.getString("payload");
        return new OutgoingEvent(row.getString("topic"), row.getString("message_key"), row.getUUID("ce_id").toString(),
                row.getString("ce_type"), row.getString("ce_source"), row.getOffsetDateTime("ce_time"),
                payload == null ? null : payload.getBytes(StandardCharsets.UTF_8), row.getString("traceparent")).toRecord();
    }

    private void updateBacklog(int fetched, int sent) {
        if (fetched < settings.outbox().batchSize()) {
            backlog.set((long) fetched - sent);
            return;
        }
        backlog.set(pool.query("select count(*) from " + table + " where sent_at is null").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0));
    }

    private void deleteSentRows() {
        OffsetDateTime cutoff = OffsetDateTime.now().minus(settings.outbox().sentRetention());
        pool.preparedQuery("delete from " + table + " where sent_at < $1").execute(Tuple.of(cutoff))
                .await().atMost(Duration.ofSeconds(30));
    }

    private void pause(Duration duration) {
        synchronized (pauses) {
            try {
                pauses.wait(Math.max(1, duration.toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
