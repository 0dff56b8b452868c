package io.devops.common.events;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A CloudEvent read from a Kafka record in binary mode. A record without {@code ce_id} or
 * {@code ce_type} is not one of ours and is refused, so it lands in the dead-letter topic.
 */
public record IncomingEvent(String id, String type, String source, OffsetDateTime time, String key, String data) {

    public static IncomingEvent from(ConsumerRecord<String, String> record) {
        String id = header(record, CloudEventHeaders.ID);
        String type = header(record, CloudEventHeaders.TYPE);
        if (id == null || id.isBlank() || type == null || type.isBlank()) {
            throw new MalformedEventException("record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " is not a CloudEvent: ce_id and ce_type headers are required", null, id == null || id.isBlank()
                            ? CloudEventHeaders.ID : CloudEventHeaders.TYPE);
        }
        return new IncomingEvent(id, type, header(record, CloudEventHeaders.SOURCE), time(record, id), record.key(),
                record.value());
    }

    /**
     * The id a record of a compacted topic is keyed by (a tombstone has only its key), or a
     * {@link MalformedEventException} when the key is not one.
     */
    public static UUID idKey(ConsumerRecord<String, String> record) {
        try {
            return UUID.fromString(record.key());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("record at " + record.topic() + "-" + record.partition() + "@" + record.offset()
                    + " has no id as its key");
        }
    }

    private static OffsetDateTime time(ConsumerRecord<String, String> record, String id) {
        String time = header(record, CloudEventHeaders.TIME);
        try {
            return time == null ? null : OffsetDateTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException("event " + id + " has a ce_time that is not an RFC 3339 time: " + time, e,
                    CloudEventHeaders.TIME);
        }
    }

    /** A tombstone on a compacted topic: the keyed entity is gone. */
    public boolean isTombstone() {
        return data == null;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
