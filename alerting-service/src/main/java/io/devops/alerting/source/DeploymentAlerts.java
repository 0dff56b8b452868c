package io.devops.alerting.source;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.alerting.alert.AlertBook;
import io.devops.alerting.alert.AlertFiring;
import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MalformedEventException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Alerts from {@code deployer.deployments}: a failed deployment fires {@code DeploymentFailed}
 * (critical), a rolled-back one {@code DeploymentRolledBack} (warning), per service and
 * environment, so repeated failures are one alert firing again; a later successful deployment of
 * that service to that environment resolves both. Each event is processed once; one that cannot
 * be processed goes to {@code deployer.deployments.dlq}.
 */
@ApplicationScoped
public class DeploymentAlerts {
    static final String CONSUMER = "alerting.deployments";
    static final String ACTOR = "deployer.deployments";
    static final String FAILED = "DeploymentFailed";
    static final String ROLLED_BACK = "DeploymentRolledBack";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final AlertBook book;

    DeploymentAlerts(IdempotentConsumer idempotent, EventCodec codec, AlertBook book) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.book = book;
    }

    @Incoming("deployer-deployments")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        if (!DeploymentEvent.TYPE.equals(event.type())) {
            throw new MalformedEventException("unexpected event type " + event.type() + " on " + record.topic());
        }
        DeploymentEvent deployment = codec.decode(event, DeploymentEvent.class);
        if (deployment.serviceId() == null || deployment.status() == null) {
            throw new MalformedEventException("event " + event.id() + " lacks service_id or status");
        }
        return idempotent.processOnce(CONSUMER, event, () -> apply(deployment));
    }

    private Uni<Void> apply(DeploymentEvent deployment) {
        return switch (deployment.status()) {
            case FAILED -> book.fire(firing(deployment, FAILED, "critical", "failed"), ACTOR).replaceWithVoid();
            case ROLLED_BACK -> book.fire(firing(deployment, ROLLED_BACK, "warning", "was rolled back"), ACTOR)
                    .replaceWithVoid();
            case SUCCEEDED -> book.resolveFiring(firing(deployment, FAILED, "critical", "succeeded"), ACTOR)
                    .chain(() -> book.resolveFiring(firing(deployment, ROLLED_BACK, "warning", "succeeded"), ACTOR))
                    .replaceWithVoid();
            default -> Uni.createFrom().voidItem();
        };
    }

    private static AlertFiring firing(DeploymentEvent deployment, String alertName, String severity, String outcome) {
        String service = deployment.serviceName() == null ? deployment.serviceId().toString() : deployment.serviceName();
        String environment = deployment.environment() == null ? "" : deployment.environment();
        String message = "deployment of " + service + " " + deployment.version() + " to " + environment + " " + outcome
                + (deployment.errorMessage() == null ? "" : ": " + deployment.errorMessage());
        Map<String, String> annotations = new HashMap<>();
        annotations.put("deployment_id", String.valueOf(deployment.deploymentId()));
        annotations.put("version", String.valueOf(deployment.version()));
        if (deployment.previousVersion() != null) {
            annotations.put("previous_version", deployment.previousVersion());
        }
        return new AlertFiring("deployment", alertName.equals(FAILED) ? "Deployment of " + service + " failed"
                : "Deployment of " + service + " was rolled back", message, severity, service,
                Map.of("alertname", alertName, "service_id", deployment.serviceId().toString(), "environment", environment),
                annotations, Map.of(), deployment.occurredAt(), null);
    }
}
