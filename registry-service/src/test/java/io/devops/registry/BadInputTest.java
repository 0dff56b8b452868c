package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Every kind of bad input is a 4xx problem+json that names the problem, and changes nothing. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputTest {
    private static final String PROBLEM = "application/problem+json";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"name\": \"svc\", \"url\": ",
            "not json at all",
            "[1, 2, 3]",
            "{\"name\": \"Bad_Name\", \"url\": \"http://a.example\"}",
            "{\"name\": \"-leading-dash\", \"url\": \"http://a.example\"}",
            "{\"name\": \"svc\", \"url\": \"ftp://a.example\"}",
            "{\"name\": \"svc\", \"url\": \"not a url\"}",
            "{\"name\": \"svc\", \"url\": \"/relative/path\"}",
            "{\"url\": \"http://a.example\"}",
            "{\"name\": \"svc\"}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"tags\": \"single\"}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"tags\": [\"has space\"]}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"metadata\": [1]}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"lease_ttl_seconds\": \"soon\"}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"lease_ttl_seconds\": 1}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"health_check\": {\"type\": \"icmp\"}}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"health_check\": {\"interval_seconds\": 10, \"timeout_seconds\": 20}}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"health_check\": {\"path\": \"no-slash\"}}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"health_check\": {\"expected_status\": [99]}}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"health_check\": {\"body_condition\": {\"path\": \"status\"}}}",
            "{\"name\": \"svc\", \"url\": \"http://a.example\", \"nmae\": \"typo\"}",
            "" })
    void badRegistrationIsRejectedWithAProblemAndNothingChanges(String body) {
        long before = Services.total();
        try (TopicProbe probe = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            api().contentType(ContentType.JSON).body(body).post("/services").then()
                    .statusCode(400).contentType(PROBLEM)
                    .body("status", equalTo(400)).body("title", equalTo("Bad Request"))
                    .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
            assertThat(Services.total()).isEqualTo(before);
            assertThat(probe.drain(Duration.ofMillis(300)))
                    .noneMatch(r -> ServiceSnapshot.REGISTERED.equals(TopicProbe.header(r, CloudEventHeaders.TYPE)));
        }
    }

    @Test
    void validationErrorsNameEveryField() {
        api().contentType(ContentType.JSON)
                .body(Map.of("name", "Bad_Name", "url", "ftp://x", "health_check", Map.of("timeout_seconds", 0)))
                .post("/services").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("url"))
                .body("errors.field", hasItem("health_check.timeout_seconds"));
    }

    @Test
    void unknownEnumValueListsTheAllowedOnes() {
        api().contentType(ContentType.JSON)
                .body(Map.of("name", "svc", "url", "http://a.example", "health_check", Map.of("type", "icmp")))
                .post("/services").then().statusCode(400).contentType(PROBLEM)
                .body("errors[0].field", equalTo("health_check.type"))
                .body("detail", containsString("http, tcp"));
    }

    @Test
    void tooManyTagsAndOversizedMetadataAreRefused() {
        Map<String, Object> tags = Services.registration("tags");
        tags.put("tags", IntStream.range(0, 33).mapToObj(i -> "t" + i).toList());
        Services.register(tags).then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("tags"));

        Map<String, Object> metadata = Services.registration("meta");
        metadata.put("metadata", Map.of("owner", "x".repeat(1025)));
        Services.register(metadata).then().statusCode(400).contentType(PROBLEM).body("errors.field", hasItem("metadata.owner"));
    }

    @Test
    void oversizedBodyIsRefusedBeforeItIsRead() {
        long before = Services.total();
        String huge = "{\"name\": \"big\", \"url\": \"http://a.example\", \"version\": \"" + "1".repeat(70_000) + "\"}";
        api().contentType(ContentType.JSON).body(huge).post("/services").then()
                .statusCode(413).contentType(PROBLEM).body("status", equalTo(413));
        assertThat(Services.total()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = { "limit=-1", "limit=1001", "limit=abc", "skip=-5", "status=sleepy", "status_filter=x",
            "metadata=novalue" })
    void badListParametersAreRefused(String query) {
        api().get("/services?" + query).then().statusCode(400).contentType(PROBLEM).body("detail", containsString(
                query.substring(0, query.indexOf('=')).replace("status_filter", "status")));
    }

    @Test
    void unknownAndMalformedIdsAre404Problems() {
        api().get("/services/5b0e6f7e-0000-4000-8000-000000000000").then().statusCode(404).contentType(PROBLEM)
                .body("detail", containsString("no service"));
        api().get("/services/not-a-uuid").then().statusCode(404).contentType(PROBLEM);
        api().contentType(ContentType.JSON).body("{\"version\": \"2\"}").put("/services/5b0e6f7e-0000-4000-8000-000000000000")
                .then().statusCode(404).contentType(PROBLEM);
        api().delete("/services/5b0e6f7e-0000-4000-8000-000000000000").then().statusCode(404).contentType(PROBLEM);
        api().post("/services/5b0e6f7e-0000-4000-8000-000000000000/heartbeat").then().statusCode(404).contentType(PROBLEM);
        api().get("/services/5b0e6f7e-0000-4000-8000-000000000000/health").then().statusCode(404).contentType(PROBLEM);
        api().get("/no/such/path").then().statusCode(404).contentType(PROBLEM);
    }

    @Test
    void badUpdateChangesNothing() {
        Map<String, Object> registration = Services.registration("upd");
        String other = Services.registerOk(Services.registration("upd-other"));
        String otherName = api().get("/services/" + other).then().extract().path("name");
        try (TopicProbe probe = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = Services.registerOk(registration);
            probe.await(TopicProbe.keyed(id), 1, Duration.ofSeconds(20));
            for (Object bad : List.of(Map.of("url", "gopher://x"), Map.of("tags", List.of("")),
                    Map.of("health_check", Map.of("interval_seconds", 5, "timeout_seconds", 6)),
                    Map.of("health_check", Map.of("timeout_seconds", 60)), Map.of("environment", "UPPER"))) {
                api().contentType(ContentType.JSON).body(bad).put("/services/" + id).then().statusCode(400).contentType(PROBLEM);
            }
            ValidatableResponse conflict = api().contentType(ContentType.JSON).body(Map.of("name", otherName))
                    .put("/services/" + id).then();
            conflict.statusCode(409).contentType(PROBLEM);
            api().get("/services/" + id).then().statusCode(200).body("name", equalTo(registration.get("name")))
                    .body("url", equalTo(registration.get("url"))).body("revision", equalTo(1))
                    .body("health_check.timeout_seconds", equalTo(10));
            assertThat(probe.drain(Duration.ofMillis(500))).filteredOn(TopicProbe.keyed(id))
                    .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE)).containsExactly(ServiceSnapshot.REGISTERED);
        }
    }

    @Test
    void duplicateNameIs409() {
        Map<String, Object> body = Services.registration("dup");
        Services.registerOk(body);
        Services.register(body).then().statusCode(409).contentType(PROBLEM)
                .body("detail", containsString((String) body.get("name")));
    }

    @Test
    void healthHistoryWithMonitoringAwayIsA503AndItsLimitBounded() {
        String id = Services.registerOk(Services.registration("hist"));
        api().get("/services/" + id + "/health").then().statusCode(503).contentType(PROBLEM).header("Retry-After", "5");
        api().get("/services/" + id + "/health?limit=501").then().statusCode(400).contentType(PROBLEM);
    }
}
