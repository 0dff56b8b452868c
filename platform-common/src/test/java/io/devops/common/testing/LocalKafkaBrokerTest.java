package io.devops.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devops.common.events.Topic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LocalKafkaBrokerTest {

    private static final String TOPIC = Topic.REGISTRY_SERVICES.topicName();

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void brokerRunsTheTopicsAndKeepsItsDataAndPortsAcrossARestart() throws Exception {
        Path workDir;
        try (LocalKafkaBroker broker = new LocalKafkaBroker()) {
            workDir = broker.workDir();
            broker.start();
            String bootstrap = broker.bootstrapServers();
            assertThat(broker.isRunning()).isTrue();
            assertTopics(bootstrap);

            // A long-lived producer, as a service has: it must survive the broker's restart.
            try (KafkaProducer<String, String> longLived = producer(bootstrap, Map.of())) {
                RecordMetadata sent = longLived.send(new ProducerRecord<>(TOPIC, "svc-1", "registered"))
                        .get(10, TimeUnit.SECONDS);
                TopicPartition partition = new TopicPartition(TOPIC, sent.partition());
                assertThat(readPartition(bootstrap, partition)).containsExactly("registered");
                assertThat(readAsGroup(bootstrap)).contains("registered");

                // Kafka goes away: stopping through another handle (as a test in another class
                // loader would) stops the same broker.
                LocalKafkaBroker.attach(workDir).stop();
                assertThat(broker.isRunning()).isFalse();
                try (KafkaProducer<String, String> producer = producer(bootstrap, Map.of(
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000))) {
                    assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, "svc-2", "lost"))
                            .get(10, TimeUnit.SECONDS))
                            .hasMessageContaining("Timeout");
                }

                // ... and comes back on the same address, with its data.
                broker.start();
                assertThat(broker.isRunning()).isTrue();
                assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
                assertThat(readPartition(bootstrap, partition)).containsExactly("registered");

                // The producer reconnects by itself.
                longLived.send(new ProducerRecord<>(TOPIC, "svc-1", "updated")).get(30, TimeUnit.SECONDS);
                assertThat(readPartition(bootstrap, partition)).containsExactly("registered", "updated");
            }
        }
        assertThat(workDir).doesNotExist();
    }

    private static void assertTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<String> names = new ArrayList<>();
            for (Topic topic : Topic.values()) {
                names.add(topic.topicName());
                names.add(topic.deadLetterTopic());
            }
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS);
            Map<ConfigResource, Config> configs = admin.describeConfigs(names.stream()
                            .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                            .collect(Collectors.toList()))
                    .all().get(10, TimeUnit.SECONDS);
            for (Topic topic : Topic.values()) {
                assertThat(topics.get(topic.topicName()).partitions()).hasSize(topic.partitions());
                assertThat(topics.get(topic.deadLetterTopic()).partitions()).hasSize(1);
                assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()))
                        .get("cleanup.policy").value())
                        .isEqualTo(topic.compacted() ? "compact" : "delete");
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true));
        config.putAll(overrides);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Every value in one partition, read by assignment (no consumer group involved). */
    private static List<String> readPartition(String bootstrap, TopicPartition partition) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition, Duration.ofSeconds(30)) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            return values;
        }
    }

    /** Reads the topic as a member of a consumer group, as the services do. */
    private static List<String> readAsGroup(String bootstrap) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "local-kafka-broker-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            consumer.commitSync(Duration.ofSeconds(10));
            return values;
        }
    }
}
