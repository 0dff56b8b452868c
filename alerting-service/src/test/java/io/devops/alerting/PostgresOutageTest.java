package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.HealthTransition;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.PostgresProxyResource;
import io.devops.common.testing.PostgresProxyResource.InjectPostgresProxy;
import io.devops.common.testing.TcpProxy;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PostgreSQL goes away while services turn unhealthy: the health consumers keep their polls
 * unacknowledged and retry, and once the database is back every transition is an alert, once.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresProxyResource.class)
class PostgresOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int SERVICES = 12;

    @InjectPostgresProxy
    TcpProxy postgres;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void transitionsPublishedWhileTheDatabaseIsAwayBecomeAlertsOnceItIsBack() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String first = UUID.randomUUID().toString();
        publish(first, "before-" + run);
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=before-" + run).then().body("size()", equalTo(1)));

        List<String> services = new ArrayList<>();
        postgres.cut();
        try {
            await().atMost(WAIT).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(503));
            for (int i = 0; i < SERVICES; i++) {
                String service = "outage-" + i + "-" + run;
                services.add(service);
                publish(UUID.randomUUID().toString(), service);
            }
            // the consumers took transitions they could not write (and keep them unacknowledged)
            await().atMost(WAIT).until(() -> intakeFailures() > 0);
        } finally {
            postgres.restore();
        }

        await().atMost(WAIT).untilAsserted(() -> services.forEach(service -> api().get("/alerts?service_name=" + service)
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].status", equalTo("open"))
                .body("[0].fire_count", equalTo(1))));
    }

    private static double intakeFailures() {
        Matcher failures = Pattern.compile("^alerting_intake_failures_total\\{consumer=\"alerting.health\"} (\\S+)$", Pattern.MULTILINE)
                .matcher(given().get("/q/metrics").asString());
        return failures.find() ? Double.parseDouble(failures.group(1)) : 0;
    }

    private void publish(String serviceId, String service) {
        TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE,
                "{\"service_id\": \"" + serviceId + "\", \"service_name\": \"" + service + "\", \"previous_status\": \"healthy\","
                        + " \"status\": \"unhealthy\", \"reason\": \"timeout\", \"message\": \"timed out\", \"status_code\": null,"
                        + " \"response_time_ms\": 5000, \"checked_at\": \"" + OffsetDateTime.now(ZoneOffset.UTC) + "\"}");
    }
}
