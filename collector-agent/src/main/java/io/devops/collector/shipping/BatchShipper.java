package io.devops.collector.shipping;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import io.devops.collector.buffer.DiskBuffer;
import io.devops.common.events.MetricBatch;
import io.devops.common.events.OutgoingEvent;
import io.devops.common.events.Topic;
import io.devops.common.kafka.ProducerSettings;
import io.devops.common.retry.Backoff;

/**
 * Sends the buffer's batches to {@code metrics.samples} in order, on a thread of its own, and
 * acknowledges in the buffer the prefix Kafka acknowledged. While Kafka is away it backs off and
 * retries the same batches; nothing is taken out of the buffer before Kafka has it. Each batch's
 * {@code ce_id} is derived from the buffer's epoch and the batch's sequence, so a batch sent again
 * after a crash carries the same id and consumers drop it.
 */
public final class BatchShipper implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BatchShipper.class);
    private static final int BATCHES_PER_ROUND = 200;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(400);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final DiskBuffer buffer;
    private final Producer<String, byte[]> producer;
    private final String nodeId;
    private final String source;
    private final Listener listener;
    private final Thread worker;
    private volatile boolean running = true;

    /** Told of each round's outcome, for the agent's own metrics. */
    public interface Listener {
        void sent(int batches);

        void failed(Exception cause);
    }

    public BatchShipper(DiskBuffer buffer, Producer<String, byte[]> producer, String nodeId, Listener listener) {
        this.buffer = buffer;
        this.producer = producer;
        this.nodeId = nodeId;
        this.source = "/collector-agent/" + nodeId;
        this.listener = listener;
        this.worker = new Thread(this::run, "batch-shipper");
        worker.setDaemon(true);
    }

    public void start() {
        worker.start();
    }

    /** A new batch is in the buffer. */
    public void wake() {
        LockSupport.unpark(worker);
    }

    /** The CloudEvent id of a batch. */
    public static String eventId(String epoch, long sequence) {
        return UUID.nameUUIDFromBytes((epoch + "/" + sequence).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            worker.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (running) {
            List<DiskBuffer.Entry> entries = buffer.pending(BATCHES_PER_ROUND);
            if (entries.isEmpty()) {
                // wake() unparks it as soon as a batch is appended; an idle agent should not spin.
                LockSupport.parkNanos(TimeUnit.MINUTES.toNanos(1));
                continue;
            }
            try {
                int sent = send(entries);
                listener.sent(sent);
                if (sent < entries.size()) {
                    throw new IllegalStateException("Kafka acknowledged " + sent + " of " + entries.size() + " batches");
                }
                int failedRounds = backoff.succeeded();
                if (failedRounds > 0) {
                    LOG.infof("shipping works again after %d failed rounds; %d batches still buffered", failedRounds,
                            buffer.pendingCount());
                }
            } catch (RuntimeException e) {
                int failedRounds = backoff.failed();
                listener.failed(e);
                if (backoff.worthLogging()) {
                    LOG.warnf("shipping failed (%d rounds in a row), %d batches buffered, retrying: %s", failedRounds,
                            buffer.pendingCount(), e.getMessage());
                }
                // A park rather than a sleep: wake() and close() end the wait.
                LockSupport.parkNanos(backoff.delay().toNanos());
            }
        }
    }

    /**
     * Sends the entries one at a time, each after Kafka acknowledged the one before, and
     * acknowledges in the buffer what Kafka took; returns how many. One at a time because a batch
     * that fails for good (the broker away past the delivery timeout) must stop the ones after it:
     * pipelined, a later batch could be written before the failed one is sent again, out of order.
     */
    private int send(List<DiskBuffer.Entry> entries) {
        int acknowledged = 0;
        for (DiskBuffer.Entry entry : entries) {
            try {
                producer.send(record(entry)).get(60, TimeUnit.SECONDS);
                acknowledged++;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                LOG.debugf(e, "Kafka did not acknowledge batch %d", entry.sequence());
                break;
            }
        }
        if (acknowledged > 0) {
            buffer.acknowledge(entries.get(acknowledged - 1).sequence());
        }
        return acknowledged;
    }

    private ProducerRecord<String, byte[]> record(DiskBuffer.Entry entry) {
        return OutgoingEvent.of(Topic.METRICS_SAMPLES, nodeId, eventId(buffer.epoch(), entry.sequence()), MetricBatch.TYPE,
                source, Instant.ofEpochMilli(entry.writtenAtMillis()).atOffset(ZoneOffset.UTC), entry.payload()).toRecord();
    }

    /**
     * The settings of the agent's producer, built from the application's Kafka configuration:
     * durable ones, which keep the batches' order and lose none Kafka acknowledged (acks from all
     * replicas, idempotent, bounded waits), compressed with lz4, which costs the node little CPU.
     */
    public static Map<String, Object> producerConfig(Map<String, ?> kafkaConfig, String clientId) {
        return ProducerSettings.from(kafkaConfig).durable().with(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4")
                .clientId(clientId).serializing(String.class, byte[].class);
    }
}
