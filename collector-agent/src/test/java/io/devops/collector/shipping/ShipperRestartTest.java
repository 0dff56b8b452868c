package io.devops.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.devops.collector.buffer.DiskBuffer;
import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.LocalKafkaBroker;
import io.devops.common.testing.TopicProbe;

/**
 * The buffer and the shipper against a real broker that goes away while the agent restarts: every
 * batch arrives once, in order, and what Kafka acknowledged before the restart is not sent again.
 */
class ShipperRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final BatchShipper.Listener IGNORE = new BatchShipper.Listener() {
        @Override
        public void sent(int batches) {
        }

        @Override
        public void failed(Exception cause) {
        }
    };

    @TempDir
    Path directory;

    @Test
    void batchesBufferedAcrossAnOutageAndARestartArriveOnceInOrder() {
        LocalKafkaBroker broker = KafkaBrokerResource.broker();
        String node = "node-" + UUID.randomUUID();
        try (TopicProbe samples = TopicProbe.open(broker.bootstrapServers(), Topic.METRICS_SAMPLES.topicName())) {
            // First run: 5 batches go out while Kafka is up.
            DiskBuffer buffer = buffer();
            KafkaProducer<String, byte[]> producer = producer(broker);
            BatchShipper shipper = new BatchShipper(buffer, producer, node, IGNORE);
            shipper.start();
            append(buffer, shipper, 1, 5);
            samples.await(TopicProbe.keyed(node), 5, WAIT);
            await().atMost(WAIT).until(() -> buffer.pendingCount() == 0);

            // Kafka goes away; 5 more batches wait on disk; the agent stops.
            broker.stop();
            try {
                append(buffer, shipper, 6, 10);
                assertThat(buffer.pendingCount()).isEqualTo(5);
                shipper.close();
                producer.close(Duration.ofSeconds(1));
                buffer.close();
            } finally {
                broker.start();
            }

            // The agent starts again with the same buffer and sends only what Kafka never had.
            DiskBuffer reopened = buffer();
            assertThat(reopened.pendingCount()).isEqualTo(5);
            KafkaProducer<String, byte[]> producer2 = producer(broker);
            BatchShipper restarted = new BatchShipper(reopened, producer2, node, IGNORE);
            restarted.start();
            append(reopened, restarted, 11, 12);
            samples.await(TopicProbe.keyed(node), 12, WAIT);
            await().atMost(WAIT).until(() -> reopened.pendingCount() == 0);
            List<ConsumerRecord<String, String>> received = samples.drain(Duration.ofSeconds(1)).stream()
                    .filter(TopicProbe.keyed(node)).toList();
            assertThat(received).hasSize(12);
            assertThat(received).extracting(r -> r.value()).containsExactly(payloads(1, 12));
            assertThat(received).extracting(r -> TopicProbe.header(r, CloudEventHeaders.ID)).doesNotHaveDuplicates();
            restarted.close();
            producer2.close(Duration.ofSeconds(5));
            reopened.close();
        }
    }

    private DiskBuffer buffer() {
        return new DiskBuffer(directory, 64L * 1024 * 1024, Duration.ofDays(1), 1024 * 1024);
    }

    private static void append(DiskBuffer buffer, BatchShipper shipper, int from, int to) {
        for (int i = from; i <= to; i++) {
            int n = i;
            buffer.append(seq -> "{\"batch\":" + n + "}");
            shipper.wake();
        }
    }

    private static String[] payloads(int from, int to) {
        String[] payloads = new String[to - from + 1];
        for (int i = from; i <= to; i++) {
            payloads[i - from] = "{\"batch\":" + i + "}";
        }
        return payloads;
    }

    private static KafkaProducer<String, byte[]> producer(LocalKafkaBroker broker) {
        return new KafkaProducer<>(BatchShipper.producerConfig(Map.of("bootstrap.servers", broker.bootstrapServers()),
                "shipper-restart-test"));
    }
}
