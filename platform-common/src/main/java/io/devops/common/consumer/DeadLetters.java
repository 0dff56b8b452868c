package io.devops.common.consumer;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import io.devops.common.events.OutgoingEvent;
import io.devops.common.kafka.ProducerSettings;
import io.smallrye.common.annotation.Identifier;

/**
 * Sends a record a consumer cannot process to {@code <topic>.dlq}, with its headers and the reason,
 * for consumers that read Kafka without a SmallRye channel's dead-letter strategy (plain consumers,
 * batch consumers that must not send a whole batch for one bad record). The headers are SmallRye's,
 * so every dead-letter topic reads the same.
 */
@ApplicationScoped
public class DeadLetters {
    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final Map<String, Object> kafkaConfig;
    private KafkaProducer<String, String> producer;

    DeadLetters(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.kafkaConfig = kafkaConfig;
    }

    public synchronized Future<RecordMetadata> send(ConsumerRecord<String, String> record, String reason) {
        String topic = record.topic() + ".dlq";
        LOG.warnf("%s %d@%d cannot be processed, sent to %s: %s", record.topic(), record.partition(), record.offset(), topic,
                reason);
        ProducerRecord<String, String> dead = new ProducerRecord<>(topic, record.key(), record.value());
        record.headers().forEach(h -> dead.headers().add(h));
        OutgoingEvent.add(dead.headers(), "dead-letter-reason", String.valueOf(reason));
        OutgoingEvent.add(dead.headers(), "dead-letter-topic", record.topic());
        OutgoingEvent.add(dead.headers(), "dead-letter-partition", Integer.toString(record.partition()));
        OutgoingEvent.add(dead.headers(), "dead-letter-offset", Long.toString(record.offset()));
        return producer().send(dead);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(ProducerSettings.from(kafkaConfig).durable()
                    .clientId("dead-letters-" + UUID.randomUUID()).serializing(String.class, String.class));
        }
        return producer;
    }
}
