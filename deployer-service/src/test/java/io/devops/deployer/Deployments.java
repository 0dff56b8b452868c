package io.devops.deployer;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.devops.common.events.AlertEvent;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.security.Roles;
import io.devops.common.testing.Tokens;
import io.devops.common.testing.TopicProbe;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Calls the deployments API as a client would, and feeds the topics the deployer follows. */
final class Deployments {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String OPERATOR = "test-operator";
    static final String OPERATOR_TOKEN = Tokens.issue(OPERATOR, Roles.OPERATOR);
    static final String VIEWER_TOKEN = Tokens.issue("test-viewer", Roles.VIEWER);

    private Deployments() {
    }

    static RequestSpecification api() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /** A service of a new name, announced on registry.services as the registry does; returns its id once the deployer knows it. */
    static String register(String bootstrap, String name) {
        String id = UUID.randomUUID().toString();
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        String snapshot = "{\"id\": \"" + id + "\", \"name\": \"" + name + "\", \"url\": \"http://" + name + ":8080\","
                + " \"environment\": \"production\", \"version\": \"1.0.0\", \"status\": \"unknown\", \"tags\": [],"
                + " \"metadata\": {\"image\": \"registry.example.com/shop/" + name + ":1.0.0\"}, \"created_at\": \"" + now
                + "\", \"updated_at\": \"" + now + "\", \"revision\": 1}";
        TopicProbe.publish(bootstrap, Topic.REGISTRY_SERVICES.topicName(), id, ServiceSnapshot.REGISTERED, snapshot);
        await().atMost(WAIT).until(() -> api().contentType(ContentType.JSON).body(Map.of("service", name, "version", "1.0.0"))
                .post("/deployments?dry_run=true").statusCode() == 200);
        return id;
    }

    static Map<String, Object> request(String service, String version, String strategy) {
        Map<String, Object> body = new HashMap<>();
        body.put("service", service);
        body.put("version", version);
        body.put("strategy", strategy);
        body.put("replicas", 4);
        body.put("analysis", "300ms");
        body.put("env", Map.of("LOG_LEVEL", "info"));
        return body;
    }

    static Map<String, Object> canary(String service, String version, List<Map<String, Object>> steps) {
        Map<String, Object> body = request(service, version, "canary");
        body.put("canary", Map.of("steps", steps));
        return body;
    }

    static Response post(Map<String, Object> body) {
        return api().contentType(ContentType.JSON).body(body).post("/deployments");
    }

    static String deploy(Map<String, Object> body) {
        return post(body).then().statusCode(201).extract().path("id");
    }

    static String status(String id) {
        return api().get("/deployments/" + id).then().statusCode(200).extract().path("status");
    }

    static void awaitStatus(String id, String status) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> status.equals(status(id)));
    }

    /** Deploys and waits for the rollout to succeed. */
    static String deployed(Map<String, Object> body) {
        String id = deploy(body);
        awaitStatus(id, "succeeded");
        return id;
    }

    static void publishHealth(String bootstrap, String serviceId, String name, String status) {
        String body = "{\"service_id\": \"" + serviceId + "\", \"service_name\": \"" + name + "\", \"previous_status\": \"healthy\","
                + " \"status\": \"" + status + "\", \"reason\": \"http_status\", \"message\": \"HTTP 503\", \"status_code\": 503,"
                + " \"checked_at\": \"" + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";
        TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE, body);
    }

    static void publishAlert(String bootstrap, String serviceId, String name, String alertname, String severity) {
        String fingerprint = UUID.randomUUID().toString().replace("-", "");
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        String body = "{\"alert_id\": \"" + UUID.randomUUID() + "\", \"fingerprint\": \"" + fingerprint + "\", \"title\": \""
                + alertname + " on " + name + "\", \"severity\": \"" + severity + "\", \"status\": \"open\", \"service_name\": \""
                + name + "\", \"labels\": {\"alertname\": \"" + alertname + "\", \"service_id\": \"" + serviceId + "\"},"
                + " \"starts_at\": \"" + now + "\", \"ends_at\": null, \"occurred_at\": \"" + now + "\"}";
        TopicProbe.publish(bootstrap, Topic.ALERTING_ALERTS.topicName(), fingerprint, AlertEvent.TYPE, body);
    }

    static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
