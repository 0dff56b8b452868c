package io.devops.common.outbox;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.devops.common.events.EventCodec;
import io.devops.common.events.Topic;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;

/**
 * Writes events to the outbox inside the caller's transaction. Call it from a method running in
 * {@code @WithTransaction}: the event is committed with the change or not at all.
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
