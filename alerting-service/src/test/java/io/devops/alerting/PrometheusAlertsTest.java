package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Alertmanager's {@code POST /api/v2/alerts}, called with the body Prometheus sends. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class PrometheusAlertsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void firingAlertsOpenRepeatsDeduplicateAndEndedOnesResolve() {
        String instance = "node-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Map<String, Object>> batch = List.of(
                alert("HighCpu", "page", instance, now.minusMinutes(5), now.plusMinutes(4)),
                alert("DiskFilling", "warning", instance, now.minusMinutes(1), now.plusMinutes(4)));
        post(batch).then().statusCode(200);

        api().get("/alerts?label=instance=" + instance + "&label=alertname=HighCpu").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].source", equalTo("prometheus")).body("[0].severity", equalTo("critical"))
                .body("[0].title", equalTo("HighCpu")).body("[0].service_name", equalTo("node"))
                .body("[0].message", equalTo("HighCpu on " + instance))
                .body("[0].annotations.generator_url", equalTo("http://prometheus:9090/graph?g0.expr=up"))
                .body("[0].status", equalTo("open"));
        String cpu = api().get("/alerts?label=instance=" + instance + "&label=alertname=HighCpu").then().extract().path("[0].id");

        post(List.of(alert("HighCpu", "page", instance, now.minusMinutes(5), now.plusMinutes(5)))).then().statusCode(200);
        api().get("/alerts/" + cpu).then().body("fire_count", equalTo(2)).body("status", equalTo("open"));

        post(List.of(alert("HighCpu", "page", instance, now.minusMinutes(5), now.minusSeconds(1)))).then().statusCode(200);
        api().get("/alerts/" + cpu).then().body("status", equalTo("resolved")).body("resolved_by", equalTo("prometheus"));
    }

    @Test
    void anAlertNoLongerSentResolvesAtItsEnd() {
        String instance = "node-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        post(List.of(alert("Flapping", "info", instance, now, now.plusSeconds(2)))).then().statusCode(200);
        String id = api().get("/alerts?label=instance=" + instance).then().body("[0].status", equalTo("open"))
                .body("[0].severity", equalTo("info")).extract().path("[0].id");
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then().body("status", equalTo("resolved"))
                .body("resolved_by", equalTo("expiry")));
        api().get("/alerts/" + id).then().body("history.action", equalTo(List.of("fired", "resolved")))
                .body("history[1].comment", equalTo("not re-sent before its end"));
    }

    @Test
    void invalidAlertsAreRefusedAndNoneIsTaken() {
        long before = Alerts.total();
        String instance = "node-" + UUID.randomUUID().toString().substring(0, 8);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        Map<String, Object> good = alert("Fine", "warning", instance, now, now.plusMinutes(5));
        post(List.of(good, Map.of("labels", Map.of()))).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("labels must name the alert"));
        post(List.of(good, Map.of("labels", Map.of("bad-name", "x")))).then().statusCode(400)
                .body("detail", containsString("label names are letters"));
        post(List.of(good, alert("Backwards", "warning", instance, now, now.minusMinutes(1)))).then().statusCode(400)
                .body("detail", containsString("ends before it starts"));
        api().contentType(ContentType.JSON).body(Map.of("labels", Map.of("a", "b"))).post("/api/v2/alerts").then()
                .statusCode(400).contentType("application/problem+json");
        RestAssured.given().contentType(ContentType.JSON).body(List.of(good)).post("/api/v2/alerts").then()
                .statusCode(401);
        assertThat(Alerts.total()).isEqualTo(before);
        post(List.of()).then().statusCode(200);
    }

    private static Response post(Object body) {
        return api().contentType(ContentType.JSON).body(body).post("/api/v2/alerts");
    }

    private static Map<String, Object> alert(String name, String severity, String instance, OffsetDateTime startsAt,
            OffsetDateTime endsAt) {
        return Map.of("labels", Map.of("alertname", name, "severity", severity, "instance", instance, "job", "node"),
                "annotations", Map.of("summary", name + " on " + instance),
                "startsAt", startsAt.toString(), "endsAt", endsAt.toString(),
                "generatorURL", "http://prometheus:9090/graph?g0.expr=up");
    }
}
