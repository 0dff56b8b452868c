package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Alerts follow {@code deployer.deployments}, published to the real broker as the deployer will. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DeploymentAlertsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void failedAndRolledBackDeploymentsAlertAndASuccessResolvesThem() {
        String serviceId = UUID.randomUUID().toString();
        String service = "cart-" + serviceId.substring(0, 8);
        publish(serviceId, service, "production", "in_progress", "2.0.0", null);
        publish(serviceId, service, "production", "failed", "2.0.0", "pods never became ready");
        publish(serviceId, service, "production", "failed", "2.0.1", "image not found");
        publish(serviceId, service, "production", "rolled_back", "2.0.1", null);
        publish(serviceId, service, "staging", "failed", "2.0.1", "quota exceeded");
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=" + service + "&status=open").then()
                .body("size()", equalTo(3)));
        api().get("/alerts?service_name=" + service + "&label=alertname=DeploymentFailed&label=environment=production")
                .then().body("size()", equalTo(1)).body("[0].severity", equalTo("critical")).body("[0].fire_count", equalTo(2))
                .body("[0].source", equalTo("deployment"))
                .body("[0].message", equalTo("deployment of " + service + " 2.0.1 to production failed: image not found"));
        api().get("/alerts?service_name=" + service + "&label=alertname=DeploymentRolledBack").then()
                .body("size()", equalTo(1)).body("[0].severity", equalTo("warning"));

        publish(serviceId, service, "production", "succeeded", "2.0.2", null);
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=" + service + "&status=open").then()
                .body("size()", equalTo(1)).body("[0].labels.environment", equalTo("staging")));
        api().get("/alerts?service_name=" + service + "&status=resolved").then().body("size()", equalTo(2))
                .body("resolved_by", equalTo(List.of("deployer.deployments", "deployer.deployments")));
    }

    private void publish(String serviceId, String service, String environment, String status, String version, String error) {
        String body = "{\"deployment_id\": \"" + UUID.randomUUID() + "\", \"service_id\": \"" + serviceId + "\", "
                + "\"service_name\": \"" + service + "\", \"environment\": \"" + environment + "\", \"version\": \"" + version
                + "\", \"previous_version\": \"1.9.0\", \"strategy\": \"rolling\", \"status\": \"" + status + "\", "
                + "\"error_message\": " + (error == null ? "null" : "\"" + error + "\"") + ", \"occurred_at\": \""
                + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";
        TopicProbe.publish(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName(), serviceId, DeploymentEvent.TYPE, body);
    }
}
