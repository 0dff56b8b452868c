package io.devops.monitoring.diagnosis;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Keeps the deployments of {@code deployer.deployments}, so that the diagnosis can tell failures
 * that began soon after a deployment. The offset is committed after the transaction; an event that
 * cannot be processed goes to {@code deployer.deployments.dlq}.
 */
@ApplicationScoped
public class DeploymentEventConsumer {
    static final String CONSUMER = "monitoring.deployments";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;

    DeploymentEventConsumer(IdempotentConsumer idempotent, EventCodec codec) {
        this.idempotent = idempotent;
        this.codec = codec;
    }

    @Incoming("deployments")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        DeploymentEvent deployment = codec.decode(event, DeploymentEvent.CONTRACT);
        return idempotent.processOnce(CONSUMER, event, () -> Panache.getSession().chain(session -> session.createNativeQuery("""
                insert into deployment_event (event_id, deployment_id, service_id, service_name, version, previous_version,
                    status, error_message, occurred_at)
                values (:eventId, :deploymentId, :serviceId, :serviceName, :version, :previousVersion, :status, :error, :occurredAt)
                on conflict (event_id) do nothing""")
                .setParameter("eventId", event.id()).setParameter("deploymentId", deployment.deploymentId())
                .setParameter("serviceId", deployment.serviceId()).setParameter("serviceName", deployment.serviceName())
                .setParameter("version", deployment.version()).setParameter("previousVersion", deployment.previousVersion())
                .setParameter("status", deployment.status().json()).setParameter("error", deployment.errorMessage())
                .setParameter("occurredAt", deployment.occurredAt()).executeUpdate()).replaceWithVoid());
    }
}
