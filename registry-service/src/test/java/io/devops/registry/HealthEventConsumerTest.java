package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The status follows {@code monitoring.health}, published to the real broker as the monitoring service would. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HealthEventConsumerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void statusFollowsTransitionsOnceEachAndInOrder() {
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = Services.registerOk(Services.registration("checked"));
            OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
            String eventId = publish(id, "unhealthy", t0, UUID.randomUUID().toString());
            await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("status", equalTo("unhealthy")));

            // the same event again (a redelivery) is not applied twice, even with another body
            publish(id, "healthy", t0.plusSeconds(1), eventId);
            // an older transition that arrives late does not roll the status back
            publish(id, "degraded", t0.minusSeconds(60), UUID.randomUUID().toString());
            // a newer one is applied
            publish(id, "degraded", t0.plusSeconds(2), UUID.randomUUID().toString());
            await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("status", equalTo("degraded")));

            assertThat(services.await(TopicProbe.keyed(id), 3, WAIT))
                    .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                    .containsExactly(ServiceSnapshot.REGISTERED, ServiceSnapshot.STATUS_CHANGED, ServiceSnapshot.STATUS_CHANGED);
            assertThat(services.drain(Duration.ofSeconds(1))).filteredOn(TopicProbe.keyed(id)).hasSize(3);
        }
    }

    @Test
    void unprocessableEventsGoToTheDeadLetterTopic() {
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.deadLetterTopic())) {
            String key = UUID.randomUUID().toString();
            TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), key, HealthTransition.TYPE, "{not json");
            TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), key, null, "{}");
            var dead = dlq.await(TopicProbe.keyed(key), 2, WAIT);
            assertThat(dead).allSatisfy(r -> assertThat(TopicProbe.header(r, "dead-letter-reason")).isNotBlank());
        }
        // the consumer goes on after them
        String id = Services.registerOk(Services.registration("after-dlq"));
        publish(id, "unhealthy", OffsetDateTime.now(ZoneOffset.UTC), UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("status", equalTo("unhealthy")));
    }

    private String publish(String serviceId, String status, OffsetDateTime checkedAt, String eventId) {
        String body = "{\"service_id\": \"" + serviceId + "\", \"service_name\": \"x\", \"previous_status\": \"unknown\", "
                + "\"status\": \"" + status + "\", \"reason\": \"test\", \"status_code\": 500, \"response_time_ms\": 12, "
                + "\"checked_at\": \"" + checkedAt + "\"}";
        return TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE, body, eventId);
    }
}
