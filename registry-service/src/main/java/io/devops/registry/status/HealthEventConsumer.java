package io.devops.registry.status;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.IncomingEvent;
import io.devops.registry.service.ServiceBook;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Feeds the catalog's status from {@code monitoring.health}. The offset is committed only after
 * the transaction; an event that cannot be processed goes to {@code monitoring.health.dlq}.
 */
@ApplicationScoped
public class HealthEventConsumer {
    static final String CONSUMER = "registry.health-status";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final ServiceBook book;

    HealthEventConsumer(IdempotentConsumer idempotent, EventCodec codec, ServiceBook book) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.book = book;
    }

    @Incoming("monitoring-health")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        HealthTransition transition = codec.decode(event, HealthTransition.CONTRACT);
        return idempotent.processOnce(CONSUMER, event, () -> book.applyHealth(transition));
    }
}
