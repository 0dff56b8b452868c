package io.devops.alerting.source;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.alerting.AlertingSettings;
import io.devops.alerting.alert.AlertBook;
import io.devops.alerting.alert.AlertFiring;
import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MalformedEventException;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Alerts from {@code monitoring.health}: a service becoming {@code unhealthy} fires
 * {@code ServiceUnhealthy} for it; becoming healthy or degraded again resolves it. Each event is
 * processed once (its id is recorded in the same transaction); one that cannot be processed goes
 * to {@code monitoring.health.dlq}, and the offset is committed only after the transaction.
 */
@ApplicationScoped
public class HealthAlerts {
    static final String CONSUMER = "alerting.health";
    static final String ALERT_NAME = "ServiceUnhealthy";
    static final String ACTOR = "monitoring.health";

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final AlertBook book;
    private final AlertingSettings settings;
    private final ServiceCatalog catalog;

    HealthAlerts(IdempotentConsumer idempotent, EventCodec codec, AlertBook book, AlertingSettings settings,
            ServiceCatalog catalog) {
        this.catalog = catalog;
        this.idempotent = idempotent;
        this.codec = codec;
        this.book = book;
        this.settings = settings;
    }

    @Incoming("monitoring-health")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        if (!HealthTransition.TYPE.equals(event.type())) {
            throw new MalformedEventException("unexpected event type " + event.type() + " on " + record.topic());
        }
        HealthTransition transition = codec.decode(event, HealthTransition.class);
        if (transition.serviceId() == null || transition.status() == null) {
            throw new MalformedEventException("event " + event.id() + " lacks service_id or status");
        }
        return idempotent.processOnce(CONSUMER, event, () -> apply(transition));
    }

    private Uni<Void> apply(HealthTransition transition) {
        if (transition.status() == HealthStatus.UNHEALTHY) {
            return catalog.severityOf(transition.serviceId())
                    .chain(tagged -> book.fire(firing(transition, tagged.orElse(settings.health().severity())), ACTOR))
                    .replaceWithVoid();
        }
        AlertFiring firing = firing(transition, settings.health().severity());
        if (transition.status() == HealthStatus.HEALTHY || transition.status() == HealthStatus.DEGRADED) {
            return book.resolveFiring(firing, ACTOR).replaceWithVoid();
        }
        // unknown: nobody knows whether it recovered, so an alert stays as it is.
        return Uni.createFrom().voidItem();
    }

    private AlertFiring firing(HealthTransition transition, String severity) {
        String name = transition.serviceName() == null ? transition.serviceId().toString() : transition.serviceName();
        Map<String, String> annotations = new HashMap<>();
        if (transition.reason() != null) {
            annotations.put("reason", transition.reason());
        }
        if (transition.statusCode() != null) {
            annotations.put("status_code", transition.statusCode().toString());
        }
        String message = transition.status() == HealthStatus.UNHEALTHY
                ? "health check failed" + (transition.message() == null ? "" : ": " + transition.message())
                : "health check is " + transition.status().json() + " again";
        return new AlertFiring("health", "Service " + name + " is unhealthy", message, severity, name,
                Map.of("alertname", ALERT_NAME, "service_id", transition.serviceId().toString()), annotations, Map.of(),
                transition.checkedAt(), null);
    }
}
