package io.devops.alerting.source;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.alerting.alert.AlertFiring;
import io.devops.alerting.alert.AlertSignal;
import io.devops.alerting.alert.SignalIntake;
import io.devops.common.events.DeploymentEvent;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;

/**
 * Alerts from {@code deployer.deployments}: a failed deployment fires {@code DeploymentFailed}
 * (critical), a rolled-back one {@code DeploymentRolledBack} (warning), per service and
 * environment, so repeated failures are one alert firing again; a later successful deployment of
 * that service to that environment resolves both. A poll is taken set-wise by
 * {@link SignalIntake}: processed once per event id, a bad record to
 * {@code deployer.deployments.dlq}.
 */
@ApplicationScoped
public class DeploymentAlerts {
    static final String CONSUMER = "alerting.deployments";
    static final String ACTOR = "deployer.deployments";
    static final String FAILED = "DeploymentFailed";
    static final String ROLLED_BACK = "DeploymentRolledBack";

    private final SignalIntake intake;

    DeploymentAlerts(SignalIntake intake) {
        this.intake = intake;
    }

    @Incoming("deployer-deployments")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        intake.consume(CONSUMER, records, DeploymentEvent.CONTRACT, (connection, deployments) -> Uni.createFrom()
                .item(deployments.stream().flatMap(deployment -> signals(deployment).stream()).toList()));
    }

    private static List<AlertSignal> signals(DeploymentEvent deployment) {
        return switch (deployment.status()) {
            case FAILED -> List.of(AlertSignal.fire(firing(deployment, FAILED, "critical", "failed"), ACTOR));
            case ROLLED_BACK -> List.of(AlertSignal.fire(firing(deployment, ROLLED_BACK, "warning", "was rolled back"), ACTOR));
            case SUCCEEDED -> List.of(AlertSignal.resolve(firing(deployment, FAILED, "critical", "succeeded"), ACTOR),
                    AlertSignal.resolve(firing(deployment, ROLLED_BACK, "warning", "succeeded"), ACTOR));
            default -> List.of();
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
