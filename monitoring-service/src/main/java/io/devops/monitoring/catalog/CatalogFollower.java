package io.devops.monitoring.catalog;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import io.devops.common.consumer.DeadLetters;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MalformedEventException;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.retry.Backoff;
import io.devops.monitoring.MonitoringSettings;
import io.devops.monitoring.catalog.CatalogProjection.KnownState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Follows the compacted {@code registry.services} topic in the checkers' consumer group, so that
 * Kafka splits the catalog among the replicas by partition. The topic is state, not a stream: on
 * every assignment the follower reads its new partitions from the beginning to rebuild the services
 * it now owns, commits no offsets, and on revocation lets go of the services of the partitions it
 * lost (cooperative rebalancing moves only those). It stores the services in the
 * {@link CatalogProjection} and tells the {@link CatalogListener} (the checker) of each one it gains,
 * sees change or loses. It runs a Kafka consumer on a thread of its own, since rebalance callbacks
 * and the rebuild wait for the database.
 */
@ApplicationScoped
public class CatalogFollower {
    private static final Logger LOG = Logger.getLogger(CatalogFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final CatalogProjection projection;
    private final CatalogListener listener;
    private final EventCodec codec;
    private final DeadLetters deadLetters;
    private final MonitoringSettings settings;
    private final Map<String, Object> kafkaConfig;
    private final Counter malformed;
    /** Live services per owned partition: after reading a partition to its end, stored services not in it are gone. */
    private final Map<Integer, Set<UUID>> live = new HashMap<>();
    private final Map<TopicPartition, Long> rebuilding = new HashMap<>();
    private final Set<Integer> assigned = ConcurrentHashMap.newKeySet();

    private volatile boolean running;
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile String lastError;
    private Thread worker;
    private KafkaConsumer<String, String> consumer;

    CatalogFollower(CatalogProjection projection, CatalogListener listener, EventCodec codec, DeadLetters deadLetters,
            MonitoringSettings settings, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, MeterRegistry meters) {
        this.projection = projection;
        this.listener = listener;
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.kafkaConfig = kafkaConfig;
        this.malformed = Counter.builder("monitoring.catalog.malformed")
                .description("Records on registry.services that were not service snapshots, sent to its DLQ").register(meters);
        meters.gauge("monitoring.catalog.partitions", assigned, Set::size);
    }

    void start(@Observes StartupEvent event) {
        if (!settings.checks().enabled()) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "catalog-follower");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (worker != null) {
            try {
                worker.join(Duration.ofSeconds(15).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the follower polls Kafka without errors; the readiness check asks. */
    public boolean healthy() {
        return running && lastError == null && Duration.between(lastPoll, Instant.now()).compareTo(Duration.ofSeconds(30)) < 0;
    }

    public String lastError() {
        return lastError;
    }

    /** The partitions of {@code registry.services} this replica owns. */
    public Set<Integer> assignedPartitions() {
        return Set.copyOf(assigned);
    }

    private void run() {
        consumer = new KafkaConsumer<>(consumerConfig());
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        try {
            consumer.subscribe(List.of(Topic.REGISTRY_SERVICES.topicName()), new Rebalance());
            while (running) {
                ConsumerRecords<String, String> records = ConsumerRecords.empty();
                try {
                    records = consumer.poll(POLL);
                    apply(records);
                    finishRebuilds();
                    lastPoll = Instant.now();
                    lastError = null;
                    backoff.succeeded();
                } catch (WakeupException e) {
                    return;
                } catch (RuntimeException e) {
                    int failedRounds = backoff.failed();
                    lastError = e.getMessage();
                    if (backoff.worthLogging()) {
                        LOG.warnf("following registry.services failed (%d rounds in a row), retrying: %s", failedRounds,
                                e.getMessage());
                    }
                    rewind(records);
                    sleep(backoff.delay().toMillis());
                }
            }
        } finally {
            // Leaving the group hands our partitions to the other replicas at once rather than after the session timeout.
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** Applies a poll's records: the latest record per service wins. */
    private void apply(ConsumerRecords<String, String> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<UUID, ServiceDefinition> upserts = new LinkedHashMap<>();
        Set<UUID> removals = new HashSet<>();
        for (ConsumerRecord<String, String> record : records) {
            UUID id = parseKey(record);
            if (id == null) {
                continue;
            }
            Set<UUID> partitionLive = live.computeIfAbsent(record.partition(), p -> new HashSet<>());
            if (record.value() == null) {
                upserts.remove(id);
                removals.add(id);
                partitionLive.remove(id);
                continue;
            }
            ServiceSnapshot snapshot = decode(record);
            if (snapshot == null) {
                continue;
            }
            removals.remove(id);
            upserts.put(id, ServiceDefinition.of(snapshot, record.partition()));
            partitionLive.add(id);
        }
        if (!upserts.isEmpty()) {
            Map<UUID, KnownState> known = projection.upsert(upserts.values());
            upserts.values().forEach(d -> listener.serviceUpdated(d, known.getOrDefault(d.id(), KnownState.NEW)));
        }
        remove(removals);
    }

    private void remove(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        projection.remove(ids);
        ids.forEach(listener::serviceRemoved);
    }

    /** Once a new partition is read to the end, forgets the stored services it no longer has. */
    private void finishRebuilds() {
        if (rebuilding.isEmpty()) {
            return;
        }
        for (var it = rebuilding.entrySet().iterator(); it.hasNext();) {
            var entry = it.next();
            TopicPartition partition = entry.getKey();
            if (consumer.position(partition) >= entry.getValue()) {
                Set<UUID> present = live.getOrDefault(partition.partition(), Set.of());
                remove(projection.storedButGone(partition.partition(), present));
                it.remove();
                LOG.debugf("partition %d rebuilt: %d services", partition.partition(), present.size());
            }
        }
    }

    /** After a failed round, reads the round's records again (the topic is state: applying a record twice is harmless). */
    private void rewind(ConsumerRecords<String, String> records) {
        try {
            for (TopicPartition partition : records.partitions()) {
                if (consumer.assignment().contains(partition)) {
                    consumer.seek(partition, records.records(partition).get(0).offset());
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf(e, "could not rewind");
        }
    }

    private UUID parseKey(ConsumerRecord<String, String> record) {
        try {
            return UUID.fromString(record.key());
        } catch (RuntimeException e) {
            deadLetter(record, "key is not a service id: " + record.key());
            return null;
        }
    }

    private ServiceSnapshot decode(ConsumerRecord<String, String> record) {
        try {
            return codec.decode(IncomingEvent.from(record), ServiceSnapshot.CONTRACT);
        } catch (MalformedEventException e) {
            deadLetter(record, e.getMessage());
            return null;
        }
    }

    private void deadLetter(ConsumerRecord<String, String> record, String error) {
        malformed.increment();
        deadLetters.send(record, error);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            consumer.seekToBeginning(partitions);
            rebuilding.putAll(consumer.endOffsets(partitions));
            partitions.forEach(p -> {
                assigned.add(p.partition());
                live.put(p.partition(), new HashSet<>());
            });
            LOG.infof("checking partitions %s of registry.services", numbers(partitions));
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            release(partitions);
        }

        private void release(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            List<Integer> numbers = numbers(partitions);
            listener.partitionsReleased(numbers);
            numbers.forEach(p -> {
                assigned.remove(p);
                live.remove(p);
            });
            partitions.forEach(rebuilding::remove);
            LOG.infof("released partitions %s of registry.services", numbers);
        }

        private static List<Integer> numbers(Collection<TopicPartition> partitions) {
            List<Integer> numbers = new ArrayList<>();
            partitions.forEach(p -> numbers.add(p.partition()));
            numbers.sort(null);
            return numbers;
        }
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        int sessionMs = (int) settings.catalog().sessionTimeout().toMillis();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.catalog().groupId());
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "monitoring-catalog-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionMs);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Math.max(500, sessionMs / 3));
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
