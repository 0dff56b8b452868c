package io.devops.monitoring;

import static io.devops.common.testing.TopicProbe.keyed;
import static io.devops.monitoring.Catalog.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The checker against real HTTP targets, the real broker and PostgreSQL: statuses, thresholds, incidents, catalog changes. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HealthCheckingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    @AutoClose
    private static final TargetServer target = TargetServer.start();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    private TopicProbe health;

    @BeforeEach
    void openProbe() {
        health = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.topicName());
    }

    @AfterEach
    void closeProbe() {
        health.close();
    }

    @Test
    void statusFollowsThresholdsAndAnIncidentSpansTheOutage() throws Exception {
        String name = Catalog.unique("orders");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        Catalog.publish(bootstrap, codec, service);
        String id = service.id().toString();

        JsonNode up = body(health.await(transitionTo(id, "healthy"), 1, WAIT).get(0));
        assertThat(up.get("previous_status").asText()).isEqualTo("unknown");
        assertThat(up.get("service_name").asText()).isEqualTo(name);
        assertThat(up.get("reason").asText()).isEqualTo("ok");
        assertThat(target.hits(name)).isGreaterThanOrEqualTo(2);
        api().get("/monitoring/services/" + id).then().statusCode(200).body("status", equalTo("healthy"))
                .body("name", equalTo(name));

        int hitsBeforeOutage = target.hits(name);
        target.respond(name, Behavior.status(500));
        ConsumerRecord<String, String> downRecord = health.await(transitionTo(id, "unhealthy"), 1, WAIT).get(0);
        JsonNode down = body(downRecord);
        assertThat(TopicProbe.header(downRecord, CloudEventHeaders.TYPE)).isEqualTo(HealthTransition.TYPE);
        assertThat(down.get("previous_status").asText()).isEqualTo("healthy");
        assertThat(down.get("reason").asText()).isEqualTo("unexpected_status");
        assertThat(down.get("status_code").asInt()).isEqualTo(500);
        // three failures in a row, not one, made it unhealthy
        assertThat(target.hits(name) - hitsBeforeOutage).isGreaterThanOrEqualTo(3);

        api().get("/monitoring/incidents?service_id=" + id + "&state=open").then().statusCode(200)
                .header("X-Total-Count", "1")
                .body("", hasSize(1))
                .body("[0].state", equalTo("open"))
                .body("[0].first_error_reason", equalTo("unexpected_status"))
                .body("[0].first_status_code", equalTo(500))
                .body("[0].failed_checks", greaterThanOrEqualTo(3));

        target.respond(name, Behavior.healthy());
        health.await(transitionTo(id, "healthy").and(r -> body(r).get("previous_status").asText().equals("unhealthy")), 1, WAIT);
        api().get("/monitoring/incidents?service_id=" + id).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].state", equalTo("closed"))
                .body("[0].ended_at", notNullValue())
                .body("[0].failed_checks", greaterThanOrEqualTo(3))
                .body("[0].duration_seconds", greaterThanOrEqualTo(2));

        // each change was published once
        List<String> statuses = TopicProbe.distinctEvents(health.drain(Duration.ofSeconds(2))).stream()
                .filter(keyed(id)).map(r -> body(r).get("status").asText()).toList();
        assertThat(statuses).containsExactly("healthy", "unhealthy", "healthy");
    }

    @Test
    void aFlappingServiceKeepsItsStatus() {
        String name = Catalog.unique("flaky");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        Catalog.publish(bootstrap, codec, service);
        health.await(transitionTo(service.id().toString(), "healthy"), 1, WAIT);

        target.respond(name, Behavior.flapping());
        int start = target.hits(name);
        await().atMost(WAIT).until(() -> target.hits(name) >= start + 8);
        // the probe holds every event it read: only the first change to healthy is there
        assertThat(TopicProbe.distinctEvents(health.drain(Duration.ofSeconds(1)))).filteredOn(keyed(service.id())).hasSize(1);
        api().get("/monitoring/services/" + service.id()).then().statusCode(200).body("status", equalTo("healthy"));
    }

    @Test
    void slowHangingAndRefusingTargetsEachGetTheirReasonAndDelayNoOther() throws IOException {
        String slow = Catalog.unique("slow");
        String hanging = Catalog.unique("hanging");
        String steady = Catalog.unique("steady");
        target.respond(slow, Behavior.slow(Duration.ofMillis(400)));
        target.respond(hanging, Behavior.hang());
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HealthCheckSpec fast = Catalog.fastCheck();
        HealthCheckSpec slowIsDegraded = new HealthCheckSpec(fast.type(), fast.method(), fast.path(), fast.headers(),
                fast.expectedStatus(), 1, 1, 3, 2, 150, null, 14, true);
        ServiceSnapshot slowService = Catalog.service(slow, target.url(slow), slowIsDegraded);
        ServiceSnapshot hangingService = Catalog.service(hanging, target.url(hanging), fast);
        ServiceSnapshot refusing = Catalog.service(Catalog.unique("refusing"), "http://127.0.0.1:" + closedPort, fast);
        ServiceSnapshot steadyService = Catalog.service(steady, target.url(steady), fast);
        for (ServiceSnapshot s : List.of(slowService, hangingService, refusing, steadyService)) {
            Catalog.publish(bootstrap, codec, s);
        }

        JsonNode degraded = body(health.await(transitionTo(slowService.id().toString(), "degraded"), 1, WAIT).get(0));
        assertThat(degraded.get("reason").asText()).isEqualTo("slow_response");
        assertThat(degraded.get("response_time_ms").asLong()).isGreaterThanOrEqualTo(400);

        JsonNode timedOut = body(health.await(transitionTo(hangingService.id().toString(), "unhealthy"), 1, WAIT).get(0));
        assertThat(timedOut.get("reason").asText()).isEqualTo("timeout");
        assertThat(timedOut.get("response_time_ms").asLong()).isBetween(900L, 2_000L);

        JsonNode refused = body(health.await(transitionTo(refusing.id().toString(), "unhealthy"), 1, WAIT).get(0));
        assertThat(refused.get("reason").asText()).isEqualTo("connection_refused");

        // the steady service kept its one-second cadence while the others hung and timed out
        List<Long> times = target.hitTimes(steady);
        assertThat(times.size()).isGreaterThanOrEqualTo(3);
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.get(i) - times.get(i - 1)).as("gap between checks of the steady service").isBetween(300L, 1_600L);
        }
    }

    @Test
    void changedSettingsApplyAndARemovedServiceIsNoLongerChecked() {
        String name = Catalog.unique("moving");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        Catalog.publish(bootstrap, codec, service);
        await().atMost(WAIT).until(() -> "/health".equals(target.lastPath(name)));

        HealthCheckSpec fast = Catalog.fastCheck();
        HealthCheckSpec ready = new HealthCheckSpec(fast.type(), fast.method(), "/ready", Map.of("X-Probe", "monitoring"),
                fast.expectedStatus(), 1, 1, 3, 2, null, null, 14, true);
        Catalog.publish(bootstrap, codec, Catalog.changed(service, target.url(name), ready));
        await().atMost(WAIT).until(() -> "/ready".equals(target.lastPath(name)));

        Catalog.remove(bootstrap, service.id());
        await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/services/" + service.id()).then().statusCode(404));
        int hits = target.hits(name);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> target.hits(name) <= hits + 1);
    }

    private static Predicate<ConsumerRecord<String, String>> transitionTo(String id, String status) {
        Predicate<ConsumerRecord<String, String>> key = keyed(id);
        return key.and(r -> status.equals(body(r).get("status").asText()));
    }

    private static JsonNode body(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
