package io.devops.common.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;

/**
 * A CloudEvent on its way to Kafka, and the one place that writes its binary-mode headers: the
 * outbox relay and the agent's producers all send what {@link #toRecord()} makes. A null
 * {@code data} is a tombstone; {@code traceparent} may be null.
 */
public record OutgoingEvent(String topic, String key, String id, String type, String source, OffsetDateTime time,
        byte[] data, String traceparent) {

    /** An event with a JSON body and no trace to continue. */
    public static OutgoingEvent of(Topic topic, String key, String id, String type, String source, OffsetDateTime time,
            String json) {
        return new OutgoingEvent(topic.topicName(), key, id, type, source, time,
                json == null ? null : json.getBytes(StandardCharsets.UTF_8), null);
    }

    public ProducerRecord<String, byte[]> toRecord() {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, data);
        Headers headers = record.headers();
        add(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        add(headers, CloudEventHeaders.ID, id);
        add(headers, CloudEventHeaders.TYPE, type);
        add(headers, CloudEventHeaders.SOURCE, source);
        add(headers, CloudEventHeaders.TIME, time.toString());
        add(headers, CloudEventHeaders.SUBJECT, key);
        if (data != null) {
            add(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        }
        if (traceparent != null) {
            add(headers, CloudEventHeaders.TRACEPARENT, traceparent);
        }
        return record;
    }

    /** Adds a header of UTF-8 text; also how the dead-letter sender writes its own headers. */
    public static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
