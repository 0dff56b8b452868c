package io.devops.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ProducerSettingsTest {

    @Test
    void keepsOnlyTheProducersKeysOfTheApplicationsKafkaSettings() {
        Map<String, Object> config = ProducerSettings.from(Map.of("bootstrap.servers", "127.0.0.1:9092",
                "security.protocol", "PLAINTEXT", "group.id", "monitoring", "auto.offset.reset", "earliest"))
                .serializing(String.class, byte[].class);
        assertThat(config).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "PLAINTEXT").doesNotContainKeys("group.id", "auto.offset.reset")
                .containsEntry(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName())
                .containsEntry(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }

    @Test
    void aDurableProducerWaitsForEveryReplicaAndNeverWritesARetryTwice() {
        Map<String, Object> config = ProducerSettings.from(Map.of("acks", "1")).durable().deliveryTimeoutMillis(20_000)
                .clientId("relay").serializing(String.class, String.class);
        assertThat(config).containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000)
                .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000)
                .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "relay");
    }

    @Test
    void refusesATypeItHasNoSerializerFor() {
        assertThatThrownBy(() -> ProducerSettings.from(Map.of()).serializing(String.class, Integer.class))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
