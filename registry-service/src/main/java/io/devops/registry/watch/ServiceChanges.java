package io.devops.registry.watch;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.ServiceSnapshot;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * Follows {@code registry.services} as published, so every replica's watchers see every replica's
 * changes, and only committed ones. Each replica reads with a group of its own from the end of
 * the topic: watchers get changes from the moment they connect, like a Kubernetes watch without a
 * resource version.
 */
@ApplicationScoped
public class ServiceChanges {
    private static final Logger LOG = Logger.getLogger(ServiceChanges.class);

    private final BroadcastProcessor<ServiceChange> changes = BroadcastProcessor.create();
    private final EventCodec codec;

    ServiceChanges(EventCodec codec) {
        this.codec = codec;
    }

    /** One change: {@code service} is null when the service was deregistered. Serialised off the REST path. */
    @RegisterForReflection
    public record ServiceChange(String eventId, String type, UUID serviceId, ServiceSnapshot service) {
    }

    @Incoming("service-changes")
    void onChange(ConsumerRecord<String, String> record) {
        try {
            IncomingEvent event = IncomingEvent.from(record);
            ServiceSnapshot snapshot = event.isTombstone() ? null : codec.decode(event, ServiceSnapshot.CONTRACT);
            changes.onNext(new ServiceChange(event.id(), event.type(), UUID.fromString(event.key()), snapshot));
        } catch (RuntimeException e) {
            // The topic is ours and the watch is best effort: a bad record is skipped, not retried.
            LOG.warnf("skipping unreadable record on %s at offset %d: %s", record.topic(), record.offset(), e.getMessage());
        }
    }

    public Multi<ServiceChange> stream() {
        return changes;
    }
}
