package io.devops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.security.Roles;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.common.testing.Tokens;

/**
 * The registry, the monitoring and the alerting service as processes: a service registered with
 * the registry is checked by monitoring, whose transitions set the registry's status and raise an
 * alert that alerting routes to a webhook (its routing from a configuration file); the registry
 * serves the check history from monitoring, and answers 503 for it while monitoring is away.
 */
class RegistryMonitoringIT {
    private static final String TOKEN = Tokens.issue("system-test", Roles.OPERATOR);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ALERT_HOOK = "alert-hook";

    @Test
    void registryStatusFollowsMonitoringAndHistoryComesFromIt() throws Exception {
        String name = "checkout-" + UUID.randomUUID().toString().substring(0, 8);
        try (TargetServer target = TargetServer.start();
                ServiceProcess monitoring = ServiceProcess.start("monitoring-service", "monitoring", TestPlatform.settings(
                        "monitoring", true));
                ServiceProcess registry = ServiceProcess.start("registry-service", "registry", registrySettings(monitoring));
                ServiceProcess alerting = ServiceProcess.start("alerting-service", "alerting", alertingSettings(target, name))) {
            String registration = JSON.writeValueAsString(Map.of("name", name, "url", target.url(name), "environment",
                    "production", "version", "2.1.0", "health_check",
                    Map.of("interval_seconds", 5, "timeout_seconds", 2, "failure_threshold", 1, "success_threshold", 1)));
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(URI.create(registry.url() + "/services"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(registration)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(201);
            String id = JSON.readTree(created.body()).get("id").asText();

            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(status(registry, id)).isEqualTo("healthy"));
            JsonNode history = JSON.readTree(registry.get("/services/" + id + "/health?limit=10", TOKEN).body());
            assertThat(history.isArray()).isTrue();
            assertThat(history.size()).isPositive();
            assertThat(history.get(0).get("service_id").asText()).isEqualTo(id);
            assertThat(history.get(0).get("status").asText()).isEqualTo("healthy");
            assertThat(history.get(0).get("status_code").asInt()).isEqualTo(200);
            assertThat(history.get(0).has("response_time_ms")).isTrue();

            target.respond(name, Behavior.status(503));
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(status(registry, id)).isEqualTo("unhealthy"));
            JsonNode latest = JSON.readTree(registry.get("/services/" + id + "/health?limit=1", TOKEN).body()).get(0);
            assertThat(latest.get("status").asText()).isEqualTo("unhealthy");
            assertThat(latest.get("error_message").asText()).contains("503");

            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                JsonNode alerts = JSON.readTree(alerting.get("/alerts?label=service_id=" + id, TOKEN).body());
                assertThat(alerts.size()).isEqualTo(1);
                assertThat(alerts.get(0).get("status").asText()).isEqualTo("open");
                assertThat(alerts.get(0).get("title").asText()).isEqualTo("Service " + name + " is unhealthy");
            });
            await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(target.hits(ALERT_HOOK)).isEqualTo(1));

            JsonNode incidents = JSON.readTree(monitoring.get("/monitoring/incidents?service_id=" + id, TOKEN).body());
            assertThat(incidents.size()).isEqualTo(1);
            assertThat(incidents.get(0).get("state").asText()).isEqualTo("open");

            monitoring.kill();
            HttpResponse<String> away = registry.get("/services/" + id + "/health", TOKEN);
            assertThat(away.statusCode()).isEqualTo(503);
            assertThat(away.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(registry.get("/services/" + id, TOKEN).statusCode()).isEqualTo(200);
        }
    }

    private static String status(ServiceProcess registry, String id) throws Exception {
        return JSON.readTree(registry.get("/services/" + id, TOKEN).body()).get("status").asText();
    }

    /**
     * Alerting with its channel and routing as code: the alerts of this test's service to a webhook
     * on the target server, at once. Only those: the system tests share one broker, and an alert
     * another test's events cause is no concern of this one.
     */
    private static Map<String, String> alertingSettings(TargetServer target, String service) throws IOException {
        target.respond(ALERT_HOOK, Behavior.healthy());
        Path config = Files.createTempFile("alerting-config", ".yaml");
        Files.writeString(config, """
                channels:
                  - name: system-test-hook
                    type: webhook
                    settings: {url: "%s"}
                routing:
                  route:
                    routes:
                      - matchers: ['service="%s"']
                        channels: [system-test-hook]
                        group_wait: 0s
                """.formatted(target.url(ALERT_HOOK), service));
        config.toFile().deleteOnExit();
        Map<String, String> settings = TestPlatform.settings("alerting", true);
        settings.put("alerting.config-file", config.toString());
        return settings;
    }

    private static Map<String, String> registrySettings(ServiceProcess monitoring) {
        Map<String, String> settings = TestPlatform.settings("registry", true);
        settings.put("quarkus.rest-client.monitoring.url", monitoring.url());
        return settings;
    }
}
