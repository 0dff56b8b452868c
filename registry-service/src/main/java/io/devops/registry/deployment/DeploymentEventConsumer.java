package io.devops.registry.deployment;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.registry.service.ServiceBook;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Feeds the catalog's versions from {@code deployer.deployments}. The offset is committed only
 * after the transaction; an event that cannot be processed goes to {@code deployer.deployments.dlq}.
 */
@ApplicationScoped
public class DeploymentEventConsumer {
    static final String CONSUMER = "registry.deployments";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final ServiceBook book;

    DeploymentEventConsumer(IdempotentConsumer idempotent, EventCodec codec, ServiceBook book) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.book = book;
    }

    @Incoming("deployer-deployments")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        DeploymentEvent deployment = codec.decode(event, DeploymentEvent.CONTRACT);
        return idempotent.processOnce(CONSUMER, event, () -> book.recordDeployedVersion(deployment));
    }
}
