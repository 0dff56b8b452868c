package io.devops.common.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings of the plain Kafka producers the services create themselves (the outbox relay, the
 * dead-letter sender, the agent's shipper), built from the application's Kafka configuration, of
 * which only the producer's own keys are kept: the same bootstrap servers, security and client
 * settings as the SmallRye channels, without the warnings a producer logs for consumer keys.
 */
public final class ProducerSettings {
    private final Map<String, Object> config = new HashMap<>();

    private ProducerSettings(Map<String, ?> kafkaConfig) {
        kafkaConfig.forEach((key, value) -> {
            if (ProducerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
    }

    /** The producer keys of {@code kafkaConfig} (the {@code default-kafka-broker} map, say). */
    public static ProducerSettings from(Map<String, ?> kafkaConfig) {
        return new ProducerSettings(kafkaConfig);
    }

    /**
     * Settings that keep a key's order and lose nothing acknowledged: acks from every in-sync
     * replica, an idempotent producer (so a retried send is not written twice), bounded waits.
     */
    public ProducerSettings durable() {
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        return this;
    }

    /** How long a send may take in all, retries included; the request timeout stays below it, as Kafka requires. */
    public ProducerSettings deliveryTimeoutMillis(int millis) {
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(millis - 5, 10_000));
        return this;
    }

    /** Sets one producer setting ({@link ProducerConfig}'s names). */
    public ProducerSettings with(String key, Object value) {
        config.put(key, value);
        return this;
    }

    public ProducerSettings clientId(String clientId) {
        return with(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    }

    /** The settings with the serializers of {@code keyType} and {@code valueType} ({@code String} or {@code byte[]}). */
    public Map<String, Object> serializing(Class<?> keyType, Class<?> valueType) {
        Map<String, Object> result = new HashMap<>(config);
        result.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, serializer(keyType));
        result.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, serializer(valueType));
        return result;
    }

    private static String serializer(Class<?> type) {
        if (type == String.class) {
            return org.apache.kafka.common.serialization.StringSerializer.class.getName();
        }
        if (type == byte[].class) {
            return org.apache.kafka.common.serialization.ByteArraySerializer.class.getName();
        }
        throw new IllegalArgumentException("no serializer for " + type.getName() + "; use String or byte[]");
    }
}
