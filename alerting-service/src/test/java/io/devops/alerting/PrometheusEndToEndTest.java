package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Receivers.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Debian's real Prometheus, with a rule that fires, sends its alerts to this service as it would
 * to Alertmanager: the alert arrives and a notification goes out. {@code ./platform test}
 * installs Prometheus where it is missing.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PrometheusEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Receivers RECEIVERS = new Receivers();

    @AfterAll
    static void stopReceivers() {
        RECEIVERS.close();
    }

    @Test
    void aPrometheusRuleThatFiresArrivesAsAnAlertAndIsNotified() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String alertName = "PrometheusSaysSo" + theCase.substring(0, 8);
        String hook = RECEIVERS.webhook("/hooks/prometheus/" + theCase);
        route(theCase, Map.of("channels", List.of(hook), "group_wait", "0s"), List.of());

        Path dir = Files.createTempDirectory("prometheus");
        Files.writeString(dir.resolve("token"), Alerts.OPERATOR_TOKEN);
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: end-to-end
                    interval: 1s
                    rules:
                      - alert: %s
                        expr: vector(1)
                        labels:
                          severity: page
                          case: "%s"
                        annotations:
                          summary: the end-to-end rule fires
                """.formatted(alertName, theCase));
        Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  evaluation_interval: 1s
                rule_files: [rules.yml]
                alerting:
                  alertmanagers:
                    - static_configs:
                        - targets: ["127.0.0.1:%d"]
                      authorization:
                        credentials_file: token
                """.formatted(RestAssured.port));
        // Prometheus drops its first alerts if it has not found the Alertmanager yet, and would send
        // again only a minute later: a one-second resend delay keeps the test short.
        Process prometheus = new ProcessBuilder(prometheusBinary(), "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + freePort(), "--rules.alert.resend-delay=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            await().atMost(WAIT).untilAsserted(() -> assertThat(api().get("/alerts?label=alertname=" + alertName)
                    .then().statusCode(200).extract().<List<String>>path("status")).containsExactly("open"));
            api().get("/alerts?label=alertname=" + alertName).then()
                    .body("[0].source", equalTo("prometheus"))
                    .body("[0].severity", equalTo("critical"))
                    .body("[0].message", equalTo("the end-to-end rule fires"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/prometheus/" + theCase)).hasSize(1));
            JsonNode told = JSON.readTree(RECEIVERS.received("/hooks/prometheus/" + theCase).get(0).getBodyAsString());
            assertThat(told.path("status").asText()).isEqualTo("firing");
            assertThat(told.path("firing").get(0).path("title").asText()).isEqualTo(alertName);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }

    private static String prometheusBinary() {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, "prometheus"))) {
                return Path.of(dir, "prometheus").toString();
            }
        }
        throw new IllegalStateException("this test runs Debian's prometheus, which is not on PATH: run ./platform test,"
                + " which installs it, or apt-get install prometheus");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
