package io.devops.collector.collection;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.devops.collector.CollectorSettings;
import io.devops.collector.buffer.DiskBuffer;
import io.devops.collector.host.HostSampler;
import io.devops.collector.node.NodeFactsReader;
import io.devops.collector.node.NodeIdentity;
import io.devops.collector.shipping.BatchShipper;
import io.devops.common.events.EventCodec;
import io.devops.common.events.MetricBatch;
import io.devops.common.events.NodeFacts;
import io.devops.common.events.OutgoingEvent;
import io.devops.common.events.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import oshi.util.GlobalConfig;

/**
 * The agent: every interval it reads the host, writes the batch to the disk buffer and wakes the
 * shipper; at start and every few minutes it publishes the node's facts to the compacted
 * {@code nodes.inventory}. It keeps the latest reading for Prometheus to scrape.
 */
@ApplicationScoped
public class HostCollector {
    private static final Logger LOG = Logger.getLogger(HostCollector.class);

    private final CollectorSettings settings;
    private final EventCodec codec;
    private final Map<String, Object> kafkaConfig;
    private final MeterRegistry meters;
    private final String agentVersion;
    private final AtomicReference<Reading> latest = new AtomicReference<>();
    private final Timer collection;
    private final Counter collectionFailures;

    private HostSampler sampler;
    private DiskBuffer buffer;
    private KafkaProducer<String, byte[]> producer;
    private BatchShipper shipper;
    private String nodeId;
    private String hostname;
    private volatile boolean collecting;
    /**
     * One thread runs both timers, so a reading and the facts never overlap. A plain executor rather
     * than the Quarkus scheduler: its trigger thread wakes every second, on every node, for two jobs.
     */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "host-collector");
        thread.setDaemon(true);
        return thread;
    });

    /** The latest reading of the host. */
    public record Reading(OffsetDateTime collectedAt, List<MetricBatch.Sample> samples) {
    }

    HostCollector(CollectorSettings settings, EventCodec codec, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            MeterRegistry meters, @ConfigProperty(name = "quarkus.application.version") String agentVersion) {
        this.settings = settings;
        this.codec = codec;
        this.kafkaConfig = kafkaConfig;
        this.meters = meters;
        this.agentVersion = agentVersion;
        this.collection = Timer.builder("collector.collection").description("Time to read the host once").register(meters);
        this.collectionFailures = Counter.builder("collector.collection.failures")
                .description("Readings of the host that failed").register(meters);
    }

    void start(@Observes StartupEvent event) {
        // OSHI reads its paths once, when first used: in a container they point at the host's mounts.
        GlobalConfig.set("oshi.util.proc.path", settings.host().procPath());
        GlobalConfig.set("oshi.util.sys.path", settings.host().sysPath());
        sampler = new HostSampler(settings.topProcesses(), Path.of(settings.host().procPath()),
                Path.of(settings.host().sysPath()));
        hostname = sampler.os().getNetworkParams().getHostName();
        nodeId = NodeIdentity.resolve(settings, hostname);
        CollectorSettings.Buffer bufferSettings = settings.buffer();
        buffer = new DiskBuffer(bufferSettings.directory(), bufferSettings.maxSize().asLongValue(), bufferSettings.maxAge(),
                bufferSettings.segmentSize().asLongValue());
        producer = new KafkaProducer<>(BatchShipper.producerConfig(kafkaConfig, "collector-agent-" + nodeId));
        Counter sent = Counter.builder("collector.batches.sent").description("Batches Kafka acknowledged").register(meters);
        Counter failed = Counter.builder("collector.batches.failed")
                .description("Shipping rounds that failed because Kafka was unavailable").register(meters);
        shipper = new BatchShipper(buffer, producer, nodeId, new BatchShipper.Listener() {
            @Override
            public void sent(int batches) {
                sent.increment(batches);
            }

            @Override
            public void failed(Exception cause) {
                failed.increment();
            }
        });
        meters.gauge("collector.buffer.batches", buffer, DiskBuffer::pendingCount);
        meters.gauge("collector.buffer.bytes", buffer, DiskBuffer::sizeBytes);
        meters.gauge("collector.batches.dropped", buffer, DiskBuffer::droppedCount);
        LOG.infof("collecting node %s (%s) every %s; %d batches waiting in %s", nodeId, hostname, settings.interval(),
                buffer.pendingCount(), bufferSettings.directory());
        shipper.start();
        collect();
        publishFacts();
        long interval = settings.interval().toMillis();
        long inventoryInterval = settings.inventoryInterval().toMillis();
        timers.scheduleAtFixedRate(this::collect, interval, interval, TimeUnit.MILLISECONDS);
        timers.scheduleAtFixedRate(this::publishFacts, inventoryInterval, inventoryInterval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        timers.shutdownNow();
        if (shipper != null) {
            shipper.close();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (buffer != null) {
            buffer.close();
        }
    }

    void collect() {
        Timer.Sample timing = Timer.start();
        try {
            List<MetricBatch.Sample> samples = sampler.sample();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            latest.set(new Reading(now, samples));
            long sequence = buffer.append(seq -> codec.encode(new MetricBatch(nodeId, hostname, now, seq, samples)));
            LOG.tracef("batch %d: %d samples", sequence, samples.size());
            shipper.wake();
            collecting = true;
        } catch (RuntimeException e) {
            collecting = false;
            collectionFailures.increment();
            LOG.warnf(e, "reading the host failed");
        } finally {
            timing.stop(collection);
        }
    }

    void publishFacts() {
        try {
            NodeFacts facts = NodeFactsReader.read(sampler, nodeId, settings.nodeType(), agentVersion);
            OutgoingEvent event = OutgoingEvent.of(Topic.NODES_INVENTORY, nodeId, UUID.randomUUID().toString(), NodeFacts.TYPE,
                    "/collector-agent/" + nodeId, facts.reportedAt(), codec.encode(facts));
            // The facts are state: if Kafka is away this one is lost and the next, a few minutes later, replaces it.
            producer.send(event.toRecord(), (metadata, failure) -> {
                if (failure != null) {
                    LOG.warnf("node facts not published, next try in %s: %s", settings.inventoryInterval(),
                            failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("node facts not read, next try in %s: %s", settings.inventoryInterval(), e.getMessage());
        }
    }

    /** The latest reading, or null before the first. */
    public Reading latest() {
        return latest.get();
    }

    /** Whether the last reading of the host succeeded. */
    public boolean collecting() {
        return collecting;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Batches waiting in the disk buffer for Kafka. */
    public int bufferedBatches() {
        return buffer.pendingCount();
    }
}
