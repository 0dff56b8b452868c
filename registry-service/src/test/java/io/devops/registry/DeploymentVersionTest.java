package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.DeploymentEvent.Status;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The version follows {@code deployer.deployments}, published to the real broker as the deployer
 * would. Events of one service share a partition, so once a later event is applied the earlier
 * ones were processed: the snapshots on {@code registry.services} show what each changed.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DeploymentVersionTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @Test
    void succeededDeploymentSetsTheVersionAndPublishesIt() {
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = registerInProduction("deployed");
            publish(id, "production", Status.SUCCEEDED, "2.0.0", "1.0.0", OffsetDateTime.now(ZoneOffset.UTC));

            await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("version", equalTo("2.0.0")));
            List<ServiceSnapshot> snapshots = snapshots(services.await(TopicProbe.keyed(id), 2, WAIT));
            assertThat(snapshots).extracting(ServiceSnapshot::version).containsExactly("1.0.0", "2.0.0");
            assertThat(snapshots).extracting(ServiceSnapshot::revision).containsExactly(1L, 2L);
            assertThat(services.matching(TopicProbe.keyed(id))).extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                    .containsExactly(ServiceSnapshot.REGISTERED, ServiceSnapshot.UPDATED);
        }
    }

    @Test
    void anotherEnvironmentsDeploymentLeavesTheServiceAlone() {
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = registerInProduction("staged");
            OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
            publish(id, "staging", Status.SUCCEEDED, "9.0.0", "1.0.0", t0);
            // nor do the steps before a deployment succeeds
            publish(id, "production", Status.IN_PROGRESS, "2.0.0", "1.0.0", t0.plusSeconds(1));
            publish(id, "production", Status.FAILED, "2.0.0", "1.0.0", t0.plusSeconds(2));
            publish(id, "production", Status.SUCCEEDED, "2.0.1", "1.0.0", t0.plusSeconds(3));

            await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("version", equalTo("2.0.1")));
            services.await(TopicProbe.keyed(id), 2, WAIT);
            assertThat(snapshots(services.drain(Duration.ofSeconds(1)), id)).extracting(ServiceSnapshot::version)
                    .containsExactly("1.0.0", "2.0.1");
        }
    }

    @Test
    void rolledBackDeploymentRestoresThePreviousVersion() {
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = registerInProduction("rolled-back");
            OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
            publish(id, "production", Status.SUCCEEDED, "2.0.0", "1.0.0", t0);
            publish(id, "production", Status.ROLLED_BACK, "2.0.0", "1.0.0", t0.plusSeconds(1));

            assertThat(snapshots(services.await(TopicProbe.keyed(id), 3, WAIT))).extracting(ServiceSnapshot::version)
                    .containsExactly("1.0.0", "2.0.0", "1.0.0");
            api().get("/services/" + id).then().body("version", equalTo("1.0.0")).body("revision", equalTo(3));
        }
    }

    @Test
    void olderOrRepeatedEventsDoNotRollTheVersionBack() {
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = registerInProduction("reordered");
            OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC);
            String applied = publish(id, "production", Status.SUCCEEDED, "3.0.0", "2.0.0", t0.plusSeconds(2));
            // older events that arrive late are ignored
            publish(id, "production", Status.SUCCEEDED, "2.0.0", "1.0.0", t0.plusSeconds(1));
            publish(id, "production", Status.ROLLED_BACK, "2.0.0", "1.0.0", t0);
            // the same event again (a redelivery) is not applied twice, even with another body
            publish(id, "production", Status.ROLLED_BACK, "3.0.0", "2.0.0", t0.plusSeconds(3), applied);
            // a newer one is applied
            publish(id, "production", Status.SUCCEEDED, "4.0.0", "3.0.0", t0.plusSeconds(4));

            await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("version", equalTo("4.0.0")));
            services.await(TopicProbe.keyed(id), 3, WAIT);
            assertThat(snapshots(services.drain(Duration.ofSeconds(1)), id)).extracting(ServiceSnapshot::version)
                    .containsExactly("1.0.0", "3.0.0", "4.0.0");
        }
    }

    @Test
    void unprocessableEventsGoToTheDeadLetterTopicAndTheNextIsApplied() {
        String id = registerInProduction("after-dlq");
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.deadLetterTopic())) {
            String topic = Topic.DEPLOYER_DEPLOYMENTS.topicName();
            TopicProbe.publish(bootstrap, topic, id, DeploymentEvent.TYPE, "{not json");
            TopicProbe.publish(bootstrap, topic, id, DeploymentEvent.TYPE, "{\"service_id\": \"" + id + "\", \"status\": \"succeeded\"}");
            TopicProbe.publish(bootstrap, topic, id, null, "{}");
            var dead = dlq.await(TopicProbe.keyed(id), 3, WAIT);
            assertThat(dead).allSatisfy(r -> assertThat(TopicProbe.header(r, "dead-letter-reason")).isNotBlank());
        }
        publish(id, "production", Status.SUCCEEDED, "2.0.0", "1.0.0", OffsetDateTime.now(ZoneOffset.UTC));
        await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + id).then().body("version", equalTo("2.0.0")));
    }

    private static String registerInProduction(String prefix) {
        Map<String, Object> registration = Services.registration(prefix);
        registration.put("environment", "production");
        return Services.registerOk(registration);
    }

    private String publish(String serviceId, String environment, Status status, String version, String previous,
            OffsetDateTime occurredAt) {
        return publish(serviceId, environment, status, version, previous, occurredAt, UUID.randomUUID().toString());
    }

    private String publish(String serviceId, String environment, Status status, String version, String previous,
            OffsetDateTime occurredAt, String eventId) {
        DeploymentEvent event = new DeploymentEvent(UUID.randomUUID(), UUID.fromString(serviceId), "shop", environment,
                version, previous, "rolling", status, null, occurredAt, status.json(), null, null);
        return TopicProbe.publish(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName(), serviceId, DeploymentEvent.TYPE,
                codec.encode(event), eventId);
    }

    private List<ServiceSnapshot> snapshots(List<ConsumerRecord<String, String>> records, String id) {
        return snapshots(records.stream().filter(TopicProbe.keyed(id)).toList());
    }

    private List<ServiceSnapshot> snapshots(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> codec.decode(IncomingEvent.from(r), ServiceSnapshot.CONTRACT)).toList();
    }
}
