package io.devops.collector.shipping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The agent's producer keeps Kafka's producer keys of the application's configuration and its own durable settings. */
class ProducerConfigTest {

    @Test
    void keepsTheProducerKeysAndTheAgentsDurableSettings() {
        Map<String, Object> config = BatchShipper.producerConfig(Map.of("bootstrap.servers", "kafka:9092",
                "group.id", "a consumer key", "auto.offset.reset", "earliest"), "collector-agent-node-1");

        assertThat(config).containsOnly(
                entry("bootstrap.servers", "kafka:9092"),
                entry("client.id", "collector-agent-node-1"),
                entry("key.serializer", "org.apache.kafka.common.serialization.StringSerializer"),
                entry("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"),
                entry("acks", "all"),
                entry("enable.idempotence", true),
                entry("max.in.flight.requests.per.connection", 5),
                entry("linger.ms", 5),
                entry("compression.type", "lz4"),
                entry("max.block.ms", 5_000),
                entry("request.timeout.ms", 10_000),
                entry("delivery.timeout.ms", 30_000));
    }
}
