package io.devops.alerting.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.alerting.AlertingSettings;
import io.devops.alerting.alert.AlertFiring;
import io.devops.alerting.alert.AlertSignal;
import io.devops.alerting.alert.SignalIntake;
import io.devops.alerting.catalog.CatalogProjection;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.HealthTransition;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Alerts from {@code monitoring.health}: a service becoming {@code unhealthy} fires
 * {@code ServiceUnhealthy} for it; becoming healthy or degraded again resolves it. A poll is taken
 * set-wise by {@link SignalIntake}: processed once per event id, a bad record to
 * {@code monitoring.health.dlq}, offsets committed after the transaction.
 */
@ApplicationScoped
public class HealthAlerts {
    static final String CONSUMER = "alerting.health";
    static final String ALERT_NAME = "ServiceUnhealthy";
    static final String ACTOR = "monitoring.health";

    private final SignalIntake intake;
    private final AlertingSettings settings;
    private final CatalogProjection catalog;

    HealthAlerts(SignalIntake intake, AlertingSettings settings, CatalogProjection catalog) {
        this.intake = intake;
        this.settings = settings;
        this.catalog = catalog;
    }

    @Incoming("monitoring-health")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        intake.consume(CONSUMER, records, HealthTransition.CONTRACT, this::signals);
    }

    private Uni<List<AlertSignal>> signals(SqlConnection connection, List<HealthTransition> transitions) {
        Set<UUID> unhealthy = transitions.stream().filter(t -> t.status() == HealthStatus.UNHEALTHY)
                .map(HealthTransition::serviceId).collect(Collectors.toSet());
        return catalog.severities(connection, unhealthy).map(severities -> transitions.stream()
                // unknown: nobody knows whether it recovered, so an alert stays as it is.
                .filter(t -> t.status() != HealthStatus.UNKNOWN)
                .map(t -> t.status() == HealthStatus.UNHEALTHY
                        ? AlertSignal.fire(firing(t, severities.getOrDefault(t.serviceId(), settings.health().severity())), ACTOR)
                        : AlertSignal.resolve(firing(t, settings.health().severity()), ACTOR))
                .toList());
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
