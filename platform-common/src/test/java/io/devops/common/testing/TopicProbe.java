package io.devops.common.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.devops.common.events.CloudEventHeaders;

/**
 * Reads and writes a topic of the test broker as another service would. A probe sees the records
 * published after it was opened (it seeks to the end of every partition), so each test sees its
 * own events only.
 */
public final class TopicProbe implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    private TopicProbe(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(p -> opened.put(p.partition(), consumer.position(p)));
    }

    private final Map<Integer, Long> opened = new java.util.TreeMap<>();

    /** Opens a probe positioned at the current end of {@code topic}. */
    public static TopicProbe open(String bootstrapServers, String topic) {
        return new TopicProbe(bootstrapServers, topic);
    }

    /** Waits until the records seen so far contain {@code count} that match, and returns those. */
    public List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> match, int count,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (matching(match).size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " matching records within " + timeout + ", saw "
                        + matching(match).size() + " of " + seen.size() + " records: " + seen.stream()
                                .map(r -> r.key() + "/" + header(r, CloudEventHeaders.TYPE) + "@" + r.partition() + ":" + r.offset()).toList()
                        + " positions at open " + opened);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return matching(match);
    }

    /** Every record seen so far that matches; call {@link #await} or {@link #drain} first. */
    public List<ConsumerRecord<String, String>> matching(Predicate<ConsumerRecord<String, String>> match) {
        return seen.stream().filter(match).toList();
    }

    /** Reads for {@code quiet} and returns everything seen, for asserting that nothing more arrived. */
    public List<ConsumerRecord<String, String>> drain(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    /**
     * The records with each CloudEvent id once, in order. Delivery is at least once: a relay that
     * loses its database after Kafka acknowledged a batch sends it again, with the same ids, and
     * consumers drop the repeats; this is what they see.
     */
    public static List<ConsumerRecord<String, String>> distinctEvents(List<ConsumerRecord<String, String>> records) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        return records.stream().filter(r -> ids.add(header(r, CloudEventHeaders.ID))).toList();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static Predicate<ConsumerRecord<String, String>> keyed(Object key) {
        return record -> key.toString().equals(record.key());
    }

    /** Publishes a CloudEvent in binary mode, as the platform's services do; returns its id. */
    public static String publish(String bootstrapServers, String topic, String key, String type, String json) {
        return publish(bootstrapServers, topic, key, type, json, UUID.randomUUID().toString());
    }

    public static String publish(String bootstrapServers, String topic, String key, String type, String json, String id) {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "all"))) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
            if (type != null) {
                add(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
                add(record, CloudEventHeaders.ID, id);
                add(record, CloudEventHeaders.TYPE, type);
                add(record, CloudEventHeaders.SOURCE, "/tests");
                add(record, CloudEventHeaders.TIME, OffsetDateTime.now(ZoneOffset.UTC).toString());
                add(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
            return id;
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    private static void add(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
