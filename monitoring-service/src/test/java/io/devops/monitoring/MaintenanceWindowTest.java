package io.devops.monitoring;

import static io.devops.common.testing.TopicProbe.keyed;
import static io.devops.monitoring.Catalog.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.devops.common.events.EventCodec;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** In a maintenance window checks go on and are stored, but no change to unhealthy is published. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class MaintenanceWindowTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @AutoClose
    private static final TargetServer target = TargetServer.start();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @Test
    void failuresInAWindowPageNobodyUntilItEnds() {
        String name = Catalog.unique("patched");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        try (TopicProbe health = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.topicName())) {
            Catalog.publish(bootstrap, codec, service);
            health.await(keyed(service.id()), 1, WAIT);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            String windowId = api().contentType(ContentType.JSON)
                    .body(Map.of("service_id", service.id(), "starts_at", now.minusMinutes(1).toString(), "ends_at",
                            now.plusHours(1).toString(), "reason", "database upgrade"))
                    .post("/monitoring/maintenance-windows").then().statusCode(201)
                    .body("active_now", equalTo(true))
                    .body("created_by", equalTo("test-operator"))
                    .extract().path("id");

            target.respond(name, Behavior.status(500));
            int start = target.hits(name);
            await().atMost(WAIT).until(() -> target.hits(name) >= start + 5);
            // the probe holds every event it read: only the first change, to healthy, is there
            assertThat(TopicProbe.distinctEvents(health.drain(Duration.ofSeconds(1)))).filteredOn(keyed(service.id()))
                    .hasSize(1);
            api().get("/monitoring/services/" + service.id()).then().statusCode(200).body("status", equalTo("healthy"));
            await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/services/" + service.id() + "/checks?status=unhealthy")
                    .then().statusCode(200).body("size()", greaterThanOrEqualTo(3)));

            api().delete("/monitoring/maintenance-windows/" + windowId).then().statusCode(204);
            health.await(keyed(service.id()).and(r -> r.value().contains("\"status\":\"unhealthy\"")), 1, WAIT);
        }
    }

    @Test
    void aRecurringWindowIsOpenWhenItsScheduleSays() {
        String name = Catalog.unique("nightly");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        Catalog.publish(bootstrap, codec, service);
        await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/services/" + service.id()).then().statusCode(200));

        String always = api().contentType(ContentType.JSON)
                .body(Map.of("service_id", service.id(), "cron", "* * * * *", "duration_minutes", 2, "time_zone",
                        "Europe/Berlin"))
                .post("/monitoring/maintenance-windows").then().statusCode(201)
                .body("active_now", equalTo(true))
                .body("time_zone", equalTo("Europe/Berlin"))
                .body("next_start", notNullValue())
                .extract().path("id");
        api().contentType(ContentType.JSON)
                .body(Map.of("service_id", service.id(), "cron", "0 3 1 1 *", "duration_minutes", 60))
                .post("/monitoring/maintenance-windows").then().statusCode(201)
                .body("active_now", equalTo(false))
                .body("time_zone", equalTo("UTC"));
        api().get("/monitoring/maintenance-windows?service_id=" + service.id()).then().statusCode(200)
                .body("size()", equalTo(2)).body("id", hasItem(always));
        api().get("/monitoring/maintenance-windows/" + always).then().statusCode(200).body("cron", equalTo("* * * * *"))
                .body("duration_minutes", equalTo(2));
    }
}
