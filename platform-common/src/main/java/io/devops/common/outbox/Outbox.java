package io.devops.common.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.devops.common.events.EventCodec;
import io.devops.common.events.Topic;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes events to the outbox inside the caller's transaction: either the Hibernate Reactive one
 * (call {@link #append(Topic, String, String, Object)} from a method running in
 * {@code @WithTransaction}) or a raw SQL client transaction that writes many changes at once
 * ({@link #append(SqlConnection, List)}). The events are committed with the change or not at all.
 */
@ApplicationScoped
public class Outbox {
    private final EventCodec codec;
    private final PlatformSettings settings;

    Outbox(EventCodec codec, PlatformSettings settings) {
        this.codec = codec;
        this.settings = settings;
    }

    /** Records an event with a body; {@code key} is the Kafka key, so events of one key stay in order. */
    public Uni<Void> append(Topic topic, String key, String type, Object payload) {
        return write(topic, key, type, codec.encode(payload));
    }

    /** Records a tombstone: on a compacted topic the key's state is deleted. */
    public Uni<Void> appendTombstone(Topic topic, String key, String type) {
        return write(topic, key, type, null);
    }

    /** An event for {@link #append(SqlConnection, List)}; {@code key} is the Kafka key. */
    public record Message(Topic topic, String key, String type, Object payload) {
    }

    /**
     * Records events in the transaction of {@code connection}, in one statement, in list order (the
     * relay publishes in that order).
     */
    public Uni<Void> append(SqlConnection connection, List<Message> messages) {
        if (messages.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = messages.size();
        UUID[] ids = new UUID[size];
        String[] types = new String[size];
        String[] topics = new String[size];
        String[] keys = new String[size];
        String[] payloads = new String[size];
        for (int i = 0; i < size; i++) {
            Message message = messages.get(i);
            ids[i] = UUID.randomUUID();
            types[i] = message.type();
            topics[i] = message.topic().topicName();
            keys[i] = message.key();
            payloads[i] = message.payload() == null ? null : codec.encode(message.payload());
        }
        return connection.preparedQuery("insert into " + settings.schema() + ".outbox (ce_id, ce_type, ce_source, ce_time,"
                + " topic, message_key, payload, traceparent) select e.id, e.type, $6, $7, e.topic, e.key, e.payload, $8"
                + " from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])"
                + " with ordinality as e(id, type, topic, key, payload, n) order by e.n")
                .execute(Tuple.from(List.of(ids, types, topics, keys, payloads, settings.eventSource(),
                        OffsetDateTime.now(ZoneOffset.UTC))).addString(currentTraceparent()))
                .replaceWithVoid();
    }

    private Uni<Void> write(Topic topic, String key, String type, String payload) {
        OutboxEvent event = new OutboxEvent();
        event.ceId = UUID.randomUUID();
        event.ceType = type;
        event.ceSource = settings.eventSource();
        event.ceTime = OffsetDateTime.now(ZoneOffset.UTC);
        event.topic = topic.topicName();
        event.messageKey = key;
        event.payload = payload;
        event.traceparent = currentTraceparent();
        return event.persist().replaceWithVoid();
    }

    /** The W3C trace context of the request that made the change, so the trace continues in consumers. */
    private static String currentTraceparent() {
        SpanContext context = Span.current().getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }
}
