package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.alerting.source.HealthAlerts;
import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Alerts follow {@code monitoring.health}, published to the real broker as monitoring-service would. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class HealthAlertsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Inject
    HealthAlerts health;

    @Test
    void unhealthyFiresOnceRepeatsDeduplicateAndRecoveryResolves() {
        String serviceId = UUID.randomUUID().toString();
        String service = "checkout-" + serviceId.substring(0, 8);
        String firstEvent = publish(serviceId, service, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=" + service).then()
                .body("size()", equalTo(1)).body("[0].status", equalTo("open")));
        String id = api().get("/alerts?service_name=" + service).then().extract().path("[0].id");
        api().get("/alerts/" + id).then().body("source", equalTo("health")).body("severity", equalTo("critical"))
                .body("title", equalTo("Service " + service + " is unhealthy"))
                .body("labels.alertname", equalTo("ServiceUnhealthy")).body("labels.service_id", equalTo(serviceId))
                .body("annotations.reason", equalTo("connection_refused")).body("annotations.status_code", equalTo("503"));

        // a redelivery of the same event changes nothing; another unhealthy transition is the same alert again
        publish(serviceId, service, "unhealthy", firstEvent);
        publish(serviceId, service, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then().body("fire_count", equalTo(2)));

        // unknown says nothing about recovery; degraded is a recovery from unhealthy
        publish(serviceId, service, "unknown", UUID.randomUUID().toString());
        publish(serviceId, service, "degraded", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then().body("status", equalTo("resolved"))
                .body("resolved_by", equalTo("monitoring.health")));
        // the repeat said nothing new, so it is counted but not a history step
        api().get("/alerts/" + id).then().body("history.action", equalTo(List.of("fired", "resolved")));

        publish(serviceId, service, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=" + service).then()
                .body("size()", equalTo(2)).body("[0].status", equalTo("open")));
        assertThat((String) api().get("/alerts?service_name=" + service).then().extract().path("[0].id")).isNotEqualTo(id);
    }

    @Test
    void unprocessableEventsGoToTheDeadLetterTopicAndTheConsumerGoesOn() {
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.deadLetterTopic())) {
            String key = UUID.randomUUID().toString();
            TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), key, HealthTransition.TYPE, "{not json");
            TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), key, HealthTransition.TYPE, "{}");
            assertThat(dlq.await(TopicProbe.keyed(key), 2, WAIT))
                    .allSatisfy(r -> assertThat(TopicProbe.header(r, "dead-letter-reason")).isNotBlank());
        }
        String serviceId = UUID.randomUUID().toString();
        String service = "after-dlq-" + serviceId.substring(0, 8);
        publish(serviceId, service, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=" + service).then().body("size()", equalTo(1)));
    }

    @Test
    void aPollIsAppliedInItsOrderAndABadRecordInItGoesToTheDeadLetterTopicAlone() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String serviceA = "poll-a-" + a.substring(0, 8);
        String serviceB = "poll-b-" + b.substring(0, 8);
        // one poll: a fires, recovers and fires again (a new alert); a bad record sits among the good ones
        List<ConsumerRecord<String, String>> records = List.of(record(0, a, transition(a, serviceA, "unhealthy")),
                record(1, a, transition(a, serviceA, "healthy")), record(2, b, "{not json"),
                record(3, a, transition(a, serviceA, "unhealthy")), record(4, b, transition(b, serviceB, "unhealthy")));
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.deadLetterTopic())) {
            health.consume(new ConsumerRecords<>(Map.of(new TopicPartition(Topic.MONITORING_HEALTH.topicName(), 0), records),
                    Map.of()));
            assertThat(dlq.await(TopicProbe.keyed(b), 1, WAIT)).singleElement()
                    .satisfies(r -> assertThat(r.value()).isEqualTo("{not json"));
        }
        // written when consume returns, before the offsets move
        api().get("/alerts?service_name=" + serviceA).then().body("status", containsInAnyOrder("resolved", "open"));
        api().get("/alerts?service_name=" + serviceB).then().body("size()", equalTo(1)).body("[0].status", equalTo("open"));
    }

    @Test
    void aServiceRenamedWhileUnhealthyKeepsItsAlert() {
        String serviceId = UUID.randomUUID().toString();
        String before = "old-" + serviceId.substring(0, 8);
        String after = "new-" + serviceId.substring(0, 8);
        publish(serviceId, before, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?label=service_id=" + serviceId).then().body("size()", equalTo(1)));
        String id = api().get("/alerts?label=service_id=" + serviceId).then().extract().path("[0].id");
        publish(serviceId, after, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then().body("fire_count", equalTo(2))
                .body("service_name", equalTo(after)).body("labels.service", equalTo(after))
                .body("title", equalTo("Service " + after + " is unhealthy")));
        publish(serviceId, after, "healthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then().body("status", equalTo("resolved")));
        api().get("/alerts?label=service_id=" + serviceId).then().body("size()", equalTo(1));
    }

    @Test
    void aServiceTaggedWithASeverityGetsItsHealthAlertsAtThatSeverity() throws Exception {
        String serviceId = UUID.randomUUID().toString();
        String service = "tagged-" + serviceId.substring(0, 8);
        String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        TopicProbe.publish(bootstrap, Topic.REGISTRY_SERVICES.topicName(), serviceId, ServiceSnapshot.REGISTERED,
                "{\"id\": \"" + serviceId + "\", \"name\": \"" + service + "\", \"url\": \"http://x.test\", \"environment\": \"prod\","
                        + " \"version\": \"1\", \"status\": \"unknown\", \"tags\": [\"team:payments\", \"severity:warning\"],"
                        + " \"metadata\": {}, \"created_at\": \"" + now + "\", \"updated_at\": \"" + now + "\", \"revision\": 1}");
        try (Connection db = DriverManager.getConnection(jdbcUrl, "alerting", "alerting")) {
            await().atMost(WAIT).until(() -> {
                try (PreparedStatement query = db.prepareStatement("select count(*) from alerting.catalog_service where id = ?")) {
                    query.setObject(1, UUID.fromString(serviceId));
                    ResultSet rows = query.executeQuery();
                    return rows.next() && rows.getInt(1) == 1;
                }
            });
        }
        publish(serviceId, service, "unhealthy", UUID.randomUUID().toString());
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts?service_name=" + service).then()
                .body("size()", equalTo(1)).body("[0].severity", equalTo("warning")));
    }

    private String publish(String serviceId, String service, String status, String eventId) {
        return TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE,
                transition(serviceId, service, status), eventId);
    }

    private static String transition(String serviceId, String service, String status) {
        return "{\"service_id\": \"" + serviceId + "\", \"service_name\": \"" + service + "\", "
                + "\"previous_status\": \"healthy\", \"status\": \"" + status + "\", \"reason\": \"connection_refused\", "
                + "\"message\": \"connection refused\", \"status_code\": 503, \"response_time_ms\": 12, \"checked_at\": \""
                + OffsetDateTime.now(ZoneOffset.UTC) + "\"}";
    }

    /** A record as the broker hands it over, with the CloudEvent headers monitoring-service writes. */
    private static ConsumerRecord<String, String> record(long offset, String key, String json) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, HealthTransition.TYPE.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.SOURCE, "/tests".getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TIME, OffsetDateTime.now(ZoneOffset.UTC).toString().getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(Topic.MONITORING_HEALTH.topicName(), 0, offset, System.currentTimeMillis(),
                TimestampType.CREATE_TIME, -1, -1, key, json, headers, Optional.empty());
    }
}
