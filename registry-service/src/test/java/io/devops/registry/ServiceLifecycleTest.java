package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServiceLifecycleTest {
    private static final Duration EVENT_WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private TopicProbe services;

    @BeforeEach
    void openProbe() {
        services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName());
    }

    @AfterEach
    void closeProbe() {
        services.close();
    }

    @Test
    void registerListUpdateHeartbeatLapseAndDelete() throws Exception {
        Map<String, Object> body = Services.registration("payments");
        body.put("tags", List.of("team-a", "pci", "team-a"));
        body.put("metadata", Map.of("owner", "alice", "tier", "1"));
        body.put("health_check", Map.of("path", "/q/health", "interval_seconds", 15, "expected_status", List.of(200, 204)));
        body.put("lease_ttl_seconds", 5);
        String id = Services.register(body).then().statusCode(201)
                .header("Location", containsString("/services/"))
                .body("name", equalTo(body.get("name")))
                .body("status", equalTo("unknown"))
                .body("tags", containsInAnyOrder("team-a", "pci"))
                .body("metadata.owner", equalTo("alice"))
                .body("health_check.path", equalTo("/q/health"))
                .body("health_check.interval_seconds", equalTo(15))
                .body("health_check.timeout_seconds", equalTo(10))
                .body("health_check.failure_threshold", equalTo(3))
                .body("lease.ttl_seconds", equalTo(5))
                .body("created_at", notNullValue())
                .extract().path("id");

        api().get("/services/" + id).then().statusCode(200).body("id", equalTo(id)).body("version", equalTo("1.0.0"));

        // every filter, alone and together
        api().get("/services?environment=staging&limit=1000").then().statusCode(200).body("id", hasItem(id));
        api().get("/services?environment=production&limit=1000").then().statusCode(200).body("id", not(hasItem(id)));
        api().get("/services?tags=pci,team-a&limit=1000").then().statusCode(200).body("id", hasItem(id));
        api().get("/services?tags=pci,other&limit=1000").then().statusCode(200).body("id", not(hasItem(id)));
        api().get("/services?metadata=owner=alice&metadata=tier=1&limit=1000").then().statusCode(200).body("id", hasItem(id));
        api().get("/services?metadata=owner=bob&limit=1000").then().statusCode(200).body("id", not(hasItem(id)));
        api().get("/services?status=unknown&limit=1000").then().statusCode(200).body("id", hasItem(id));
        api().get("/services?status_filter=healthy&limit=1000").then().statusCode(200).body("id", not(hasItem(id)));

        // partial update: only the fields sent change
        api().contentType(ContentType.JSON).body(Map.of("version", "1.1.0", "health_check", Map.of("timeout_seconds", 5)))
                .put("/services/" + id).then().statusCode(200)
                .body("version", equalTo("1.1.0"))
                .body("environment", equalTo("staging"))
                .body("health_check.path", equalTo("/q/health"))
                .body("health_check.timeout_seconds", equalTo(5))
                .body("revision", equalTo(2));

        // the first heartbeat starts the lease; with no check reported yet the service counts as healthy
        api().post("/services/" + id + "/heartbeat").then().statusCode(200).body("message", equalTo("Heartbeat received"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                api().get("/services/" + id).then().body("status", equalTo("healthy")).body("last_seen", notNullValue()));
        api().get("/services?status=healthy&limit=1000").then().statusCode(200).body("id", hasItem(id));

        // no more heartbeats: the lease lapses within its TTL plus the check interval
        await().atMost(Duration.ofSeconds(9)).untilAsserted(() ->
                api().get("/services/" + id).then().body("status", equalTo("unknown")).body("lease.expired", equalTo(true)));

        api().delete("/services/" + id).then().statusCode(204);
        api().get("/services/" + id).then().statusCode(404).contentType("application/problem+json");
        api().post("/services/" + id + "/heartbeat").then().statusCode(404);

        List<ConsumerRecord<String, String>> events = services.await(TopicProbe.keyed(id), 5, EVENT_WAIT);
        assertThat(events).extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE)).containsExactly(
                ServiceSnapshot.REGISTERED, ServiceSnapshot.UPDATED, ServiceSnapshot.LEASE_RENEWED,
                ServiceSnapshot.LEASE_EXPIRED, ServiceSnapshot.DEREGISTERED);
        ObjectMapper json = new ObjectMapper();
        JsonNode registered = json.readTree(events.get(0).value());
        assertThat(registered.get("name").asText()).isEqualTo(body.get("name"));
        assertThat(registered.get("health_check").get("path").asText()).isEqualTo("/q/health");
        assertThat(json.readTree(events.get(2).value()).get("status").asText()).isEqualTo("healthy");
        assertThat(json.readTree(events.get(3).value()).get("status").asText()).isEqualTo("unknown");
        assertThat(events.get(4).value()).as("a deregistration is a tombstone").isNull();
        assertThat(events).allSatisfy(r -> {
            assertThat(TopicProbe.header(r, CloudEventHeaders.ID)).isNotBlank();
            assertThat(TopicProbe.header(r, CloudEventHeaders.SOURCE)).isEqualTo("/registry-service");
            assertThat(TopicProbe.header(r, CloudEventHeaders.TIME)).isNotBlank();
        });
        assertThat(events).extracting(r -> TopicProbe.header(r, CloudEventHeaders.ID)).doesNotHaveDuplicates();
    }

    @Test
    void listIsPagedInAStableOrderWithTheTotalInAHeader() {
        String env = Services.uniqueName("paging");
        for (int i = 0; i < 5; i++) {
            Map<String, Object> body = Services.registration("page" + i);
            body.put("environment", env);
            Services.registerOk(body);
        }
        List<String> all = api().get("/services?environment=" + env).then().statusCode(200)
                .header("X-Total-Count", "5").extract().path("id");
        List<String> first = api().get("/services?environment=" + env + "&limit=2").then().statusCode(200)
                .header("X-Total-Count", "5").extract().path("id");
        List<String> rest = api().get("/services?environment=" + env + "&limit=10&skip=2").then().statusCode(200)
                .extract().path("id");
        assertThat(first).containsExactlyElementsOf(all.subList(0, 2));
        assertThat(rest).containsExactlyElementsOf(all.subList(2, 5));
    }

    @Test
    void heartbeatsAreCoalescedAndShowUpAsLastSeen() {
        String id = Services.registerOk(Services.registration("beats"));
        for (int i = 0; i < 50; i++) {
            api().post("/services/" + id + "/heartbeat").then().statusCode(200);
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                api().get("/services/" + id).then().body("last_seen", notNullValue()).body("status", equalTo("healthy")));
        // fifty heartbeats, one lease renewal: beats themselves publish nothing
        List<ConsumerRecord<String, String>> events = services.await(TopicProbe.keyed(id), 2, EVENT_WAIT);
        assertThat(services.drain(Duration.ofSeconds(1)).stream().filter(TopicProbe.keyed(id)))
                .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                .containsExactly(ServiceSnapshot.REGISTERED, ServiceSnapshot.LEASE_RENEWED);
        assertThat(events).hasSize(2);
    }
}
