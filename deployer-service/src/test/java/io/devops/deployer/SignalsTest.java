package io.devops.deployer;

import static io.devops.deployer.Deployments.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.AlertEvent;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The signals the gates read arrive over the real broker: a record that cannot be read goes to
 * its topic's dead-letter topic, alone, and the consumer goes on; a redelivered one changes nothing.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class SignalsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Pool pool;

    @Test
    void aMalformedHealthTransitionIsDeadLetteredAndTheNextOneIsKeptOnce() {
        String serviceId = UUID.randomUUID().toString();
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.deadLetterTopic())) {
            TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE,
                    "{\"service_id\": \"" + serviceId + "\", \"status\": \"on fire\"}");
            String body = "{\"service_id\": \"" + serviceId + "\", \"service_name\": \"s\", \"status\": \"unhealthy\","
                    + " \"checked_at\": \"2026-12-01T10:00:00Z\"}";
            String id = TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE, body);
            TopicProbe.publish(bootstrap, Topic.MONITORING_HEALTH.topicName(), serviceId, HealthTransition.TYPE, body, id);

            assertThat(dlq.await(TopicProbe.keyed(serviceId), 1, WAIT)).hasSize(1);
            await().atMost(WAIT).until(() -> count("select count(*) from deployer.health_signal where service_id = $1", serviceId) == 1);
            assertThat(dlq.drain(java.time.Duration.ofMillis(500)).stream().filter(TopicProbe.keyed(serviceId))).hasSize(1);
        }
    }

    @Test
    void anOlderAlertStateDoesNotOverwriteANewerOneAndAMalformedOneIsDeadLettered() {
        String fingerprint = UUID.randomUUID().toString();
        String serviceId = UUID.randomUUID().toString();
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.ALERTING_ALERTS.deadLetterTopic())) {
            TopicProbe.publish(bootstrap, Topic.ALERTING_ALERTS.topicName(), fingerprint, AlertEvent.TYPE, "{\"fingerprint\": 5");
            TopicProbe.publish(bootstrap, Topic.ALERTING_ALERTS.topicName(), fingerprint, AlertEvent.TYPE,
                    alert(fingerprint, serviceId, "resolved", "2026-12-01T10:05:00Z"));
            TopicProbe.publish(bootstrap, Topic.ALERTING_ALERTS.topicName(), fingerprint, AlertEvent.TYPE,
                    alert(fingerprint, serviceId, "open", "2026-12-01T10:00:00Z"));

            assertThat(dlq.await(TopicProbe.keyed(fingerprint), 1, WAIT)).hasSize(1);
            await().atMost(WAIT).until(() -> count("select count(*) from deployer.alert_signal where service_id = $1", serviceId) == 1);
            TopicProbe.publish(bootstrap, Topic.ALERTING_ALERTS.topicName(), fingerprint, AlertEvent.TYPE,
                    alert(fingerprint, UUID.randomUUID().toString(), "open", "2026-12-01T10:10:00Z"));
            await().atMost(WAIT).until(() -> count("select count(*) from deployer.alert_signal where service_id = $1", serviceId) == 0);
        }
        String status = pool.preparedQuery("select status from deployer.alert_signal where fingerprint = $1")
                .execute(Tuple.of(fingerprint)).await().indefinitely().iterator().next().getString(0);
        assertThat(status).isEqualTo("open");
    }

    private long count(String sql, String serviceId) {
        return pool.preparedQuery(sql).execute(Tuple.of(UUID.fromString(serviceId))).await().indefinitely().iterator().next().getLong(0);
    }

    private static String alert(String fingerprint, String serviceId, String status, String at) {
        return "{\"alert_id\": \"" + UUID.randomUUID() + "\", \"fingerprint\": \"" + fingerprint + "\", \"title\": \"Down\","
                + " \"severity\": \"critical\", \"status\": \"" + status + "\", \"service_name\": \"s\", \"labels\": {\"alertname\":"
                + " \"ServiceDown\", \"service_id\": \"" + serviceId + "\"}, \"starts_at\": \"2026-12-01T09:59:00Z\","
                + " \"ends_at\": null, \"occurred_at\": \"" + at + "\"}";
    }
}
