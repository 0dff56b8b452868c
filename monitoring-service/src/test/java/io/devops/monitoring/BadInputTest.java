package io.devops.monitoring;

import static io.devops.monitoring.Catalog.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.devops.common.events.EventCodec;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.security.Roles;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every path refuses bad input with a 4xx problem+json that says what is wrong, and changes nothing. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputTest {
    private static final String PROBLEM = "application/problem+json";
    @AutoClose
    private static final TargetServer target = TargetServer.start();
    private static ServiceSnapshot service;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @BeforeEach
    void monitoredService() {
        if (service == null) {
            String name = Catalog.unique("input");
            service = Catalog.service(name, target.url(name), Catalog.fastCheck());
            Catalog.publish(bootstrap, codec, service);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> api().get("/monitoring/services/" + service.id()).then().statusCode(200));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/monitoring/services/not-a-uuid", "/monitoring/services/not-a-uuid/health",
            "/monitoring/services/not-a-uuid/checks", "/monitoring/incidents/not-a-uuid",
            "/monitoring/incidents/not-a-uuid/diagnosis", "/monitoring/maintenance-windows/not-a-uuid" })
    void malformedIdsAre404(String path) {
        api().get(path).then().statusCode(404).contentType(PROBLEM).body("detail", containsString("not-a-uuid"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/monitoring/services/%s", "/monitoring/services/%s/health", "/monitoring/services/%s/checks",
            "/monitoring/incidents/%s", "/monitoring/incidents/%s/diagnosis", "/monitoring/maintenance-windows/%s" })
    void unknownIdsAre404(String path) {
        UUID unknown = UUID.randomUUID();
        api().get(path.formatted(unknown)).then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString(unknown.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/health?limit=0", "/health?limit=501", "/health?limit=ten", "/checks?limit=1001",
            "/checks?skip=-1", "/checks?from=yesterday", "/checks?to=2026-13-01T00:00:00Z",
            "/checks?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "/checks?status=sick" })
    void badHistoryQueriesAre400(String query) {
        api().get("/monitoring/services/" + service.id() + query).then().statusCode(400).contentType(PROBLEM)
                .body("status", equalTo(400));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/monitoring/uptime?window=0h", "/monitoring/uptime?window=91d", "/monitoring/uptime?window=soon",
            "/monitoring/incidents?service_id=nope", "/monitoring/incidents?state=burning",
            "/monitoring/incidents?from=now", "/monitoring/incidents?limit=0", "/monitoring/incidents?skip=100001",
            "/monitoring/maintenance-windows?service_id=nope" })
    void badListQueriesAre400(String path) {
        api().get(path).then().statusCode(400).contentType(PROBLEM).body("detail", containsString("query parameter"));
    }

    @Test
    void badMaintenanceWindowsAre400AndNothingIsStored() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        post("{not json").then().statusCode(400).contentType(PROBLEM);
        post(window(Map.of("surprise", true))).then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("surprise"));
        post(Map.of("starts_at", now.toString(), "ends_at", now.plusHours(1).toString())).then().statusCode(400)
                .body("errors.field", hasItem("service_id"));
        post(window(Map.of())).then().statusCode(400).contentType(PROBLEM);
        post(window(Map.of("starts_at", now.toString()))).then().statusCode(400);
        post(window(Map.of("starts_at", now.toString(), "ends_at", now.minusHours(1).toString()))).then().statusCode(400)
                .body("errors.message", hasItem("ends_at must be after starts_at"));
        post(window(Map.of("starts_at", now.toString(), "ends_at", now.plusHours(1).toString(), "cron", "0 2 * * *",
                "duration_minutes", 60))).then().statusCode(400);
        post(window(Map.of("cron", "every night", "duration_minutes", 60))).then().statusCode(400).contentType(PROBLEM)
                .body("detail", containsString("cron"));
        post(window(Map.of("cron", "0 2 * * *", "duration_minutes", 0))).then().statusCode(400)
                .body("errors.field", hasItem("duration_minutes"));
        post(window(Map.of("cron", "0 2 * * *", "duration_minutes", 60, "time_zone", "Mars/Olympus"))).then()
                .statusCode(400).body("detail", containsString("time_zone"));
        post(window(Map.of("starts_at", "tomorrow", "ends_at", now.plusHours(1).toString()))).then().statusCode(400);
        Map<String, Object> unknownService = new HashMap<>(Map.of("service_id", UUID.randomUUID(), "cron", "0 2 * * *",
                "duration_minutes", 60));
        post(unknownService).then().statusCode(404).contentType(PROBLEM);

        api().get("/monitoring/maintenance-windows?service_id=" + service.id()).then().statusCode(200)
                .body("size()", equalTo(0));
        api().delete("/monitoring/maintenance-windows/" + UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void tokensAndRolesAreChecked() {
        given().get("/monitoring/dashboard").then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(Tokens.forged("mallory", Roles.ADMIN)).get("/monitoring/uptime").then().statusCode(401);
        String viewer = Tokens.issue("vera", Roles.VIEWER);
        given().auth().oauth2(viewer).get("/monitoring/health-summary").then().statusCode(200);
        given().auth().oauth2(viewer).contentType(ContentType.JSON)
                .body(window(Map.of("cron", "0 2 * * *", "duration_minutes", 60))).post("/monitoring/maintenance-windows")
                .then().statusCode(403).contentType(PROBLEM);
        for (String open : new String[] { "/q/health/ready", "/q/metrics", "/q/openapi" }) {
            given().get(open).then().statusCode(200);
        }
    }

    private static Map<String, Object> window(Map<String, Object> fields) {
        Map<String, Object> body = new HashMap<>(fields);
        body.put("service_id", service.id());
        return body;
    }

    private static io.restassured.response.Response post(Object body) {
        return api().contentType(ContentType.JSON).body(body).post("/monitoring/maintenance-windows");
    }
}
