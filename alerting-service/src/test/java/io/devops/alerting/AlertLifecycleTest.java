package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Alerts.manual;
import static io.devops.alerting.Alerts.raise;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.events.AlertEvent;
import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AlertLifecycleTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void firesDeduplicatesIsAcknowledgedResolvedAndFiresAnew() throws Exception {
        try (TopicProbe events = TopicProbe.open(bootstrap, Topic.ALERTING_ALERTS.topicName())) {
            Map<String, Object> body = manual("Disk almost full", "warning");
            String id = raise(body).then().statusCode(201).body("status", equalTo("open"))
                    .body("severity", equalTo("warning")).body("source", equalTo("manual"))
                    .body("labels.team", equalTo("payments")).body("labels.alertname", equalTo("Disk almost full"))
                    .body("labels.service", equalTo(body.get("service_name"))).body("fire_count", equalTo(1))
                    .extract().path("id");
            String fingerprint = api().get("/alerts/" + id).then().statusCode(200).extract().path("fingerprint");

            body.put("message", "now 97 %");
            body.put("severity", "critical");
            raise(body).then().statusCode(200).body("id", equalTo(id)).body("fire_count", equalTo(2))
                    .body("message", equalTo("now 97 %")).body("severity", equalTo("critical"));
            Map<String, Object> otherLabels = new HashMap<>(body);
            otherLabels.put("labels", Map.of("team", "search"));
            String other = raise(otherLabels).then().statusCode(201).extract().path("id");
            assertThat(other).isNotEqualTo(id);

            api().contentType(ContentType.JSON).body(Map.of("comment", "looking at it")).post("/alerts/" + id + "/acknowledge")
                    .then().statusCode(200).body("status", equalTo("acknowledged"))
                    .body("acknowledged_by", equalTo(Alerts.OPERATOR)).body("acknowledged_at", notNullValue());
            api().contentType(ContentType.JSON).post("/alerts/" + id + "/acknowledge").then().statusCode(409)
                    .contentType("application/problem+json").body("detail", containsString("by test-operator"));
            api().contentType(ContentType.JSON).body(Map.of("comment", "cleaned up")).post("/alerts/" + id + "/resolve")
                    .then().statusCode(200).body("status", equalTo("resolved")).body("resolved_by", equalTo(Alerts.OPERATOR));
            api().contentType(ContentType.JSON).post("/alerts/" + id + "/resolve").then().statusCode(409);

            api().get("/alerts/" + id).then().statusCode(200).body("history", hasSize(4))
                    .body("history.action", equalTo(List.of("fired", "fired_again", "acknowledged", "resolved")))
                    .body("history[2].comment", equalTo("looking at it")).body("history[3].actor", equalTo(Alerts.OPERATOR));

            String again = raise(body).then().statusCode(201).extract().path("id");
            assertThat(again).as("after it resolved, a firing is a new alert").isNotEqualTo(id);
            api().get("/alerts/" + again).then().body("fingerprint", equalTo(fingerprint)).body("fire_count", equalTo(1));

            List<ConsumerRecord<String, String>> lifecycle = events.await(TopicProbe.keyed(fingerprint), 4, EVENT_WAIT);
            assertThat(lifecycle).extracting(r -> status(r)).containsExactly("open", "acknowledged", "resolved", "open");
            assertThat(lifecycle).allSatisfy(r -> {
                assertThat(TopicProbe.header(r, CloudEventHeaders.TYPE)).isEqualTo(AlertEvent.TYPE);
                assertThat(TopicProbe.header(r, CloudEventHeaders.SOURCE)).isEqualTo("/alerting-service");
            });
            JsonNode last = JSON.readTree(lifecycle.get(3).value());
            assertThat(last.get("alert_id").asText()).isEqualTo(again);
            assertThat(last.get("labels").get("team").asText()).isEqualTo("payments");
        }
    }

    @Test
    void listFiltersByStatusSeverityServiceLabelsAndTimeAndPages() {
        OffsetDateTime before = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1);
        Map<String, Object> critical = manual("Service down", "critical");
        String service = (String) critical.get("service_name");
        String criticalId = raise(critical).then().statusCode(201).extract().path("id");
        Map<String, Object> info = manual("Deploy started", "info");
        info.put("service_name", service);
        info.put("labels", Map.of("team", "payments", "env", "staging"));
        String infoId = raise(info).then().statusCode(201).extract().path("id");
        api().contentType(ContentType.JSON).post("/alerts/" + infoId + "/resolve").then().statusCode(200);

        api().get("/alerts?service_name=" + service).then().statusCode(200).header("X-Total-Count", "2")
                .body("id", equalTo(List.of(infoId, criticalId)));
        api().get("/alerts?service=" + service + "&status=open").then().body("id", equalTo(List.of(criticalId)));
        api().get("/alerts?service_name=" + service + "&severity=info").then().body("id", equalTo(List.of(infoId)));
        api().get("/alerts?service_name=" + service + "&label=env=staging&label=team=payments").then()
                .body("id", equalTo(List.of(infoId)));
        api().get("/alerts?service_name=" + service + "&limit=1&skip=1").then().header("X-Total-Count", "2")
                .body("id", equalTo(List.of(criticalId)));
        api().queryParam("from", before.toString()).queryParam("service_name", service).get("/alerts").then()
                .header("X-Total-Count", "2");
        api().queryParam("to", before.toString()).queryParam("service_name", service).get("/alerts").then()
                .header("X-Total-Count", "0");
        api().get("/alerts/" + criticalId).then().body("title", equalTo("Service down"))
                .body("service_name", equalTo(service)).body("created_at", notNullValue());
    }

    private static String status(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).get("status").asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
