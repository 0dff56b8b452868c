package io.devops.monitoring;

import static io.devops.common.testing.TopicProbe.keyed;
import static io.devops.monitoring.Catalog.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.EventCodec;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Deployments from deployer.deployments feed the diagnosis of an incident that follows one. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class DeploymentDiagnosisTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @AutoClose
    private static final TargetServer target = TargetServer.start();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @Inject
    Pool pool;

    @Test
    void anIncidentRightAfterADeploymentNamesIt() {
        String name = Catalog.unique("deployed");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        Catalog.publish(bootstrap, codec, service);
        await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/services/" + service.id()).then().statusCode(200)
                .body("status", equalTo("healthy")));

        UUID deploymentId = UUID.randomUUID();
        DeploymentEvent deployed = new DeploymentEvent(deploymentId, service.id(), name, "staging", "2.0.0", "1.9.3", "rolling",
                DeploymentEvent.Status.SUCCEEDED, null, OffsetDateTime.now(ZoneOffset.UTC), "succeeded", null, null);
        String eventId = UUID.randomUUID().toString();
        TopicProbe.publish(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName(), service.id().toString(), DeploymentEvent.TYPE,
                codec.encode(deployed), eventId);
        // the same event again: stored once
        TopicProbe.publish(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName(), service.id().toString(), DeploymentEvent.TYPE,
                codec.encode(deployed), eventId);
        await().atMost(WAIT).until(() -> deployments(service.id()) == 1);

        target.respond(name, Behavior.status(502));
        await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/incidents?service_id=" + service.id()).then()
                .statusCode(200).body("size()", equalTo(1)));
        String incidentId = api().get("/monitoring/incidents?service_id=" + service.id()).then().extract().path("[0].id");

        JsonPath diagnosis = api().get("/monitoring/incidents/" + incidentId + "/diagnosis").then().statusCode(200)
                .body("incident_id", equalTo(incidentId))
                .body("findings.kind", hasItem("after_deployment"))
                .extract().jsonPath();
        assertThat(diagnosis.getString("findings.find { it.kind == 'after_deployment' }.evidence.version")).isEqualTo("2.0.0");
        assertThat(diagnosis.getString("findings.find { it.kind == 'after_deployment' }.recommendation"))
                .contains("roll back to 1.9.3");
        assertThat(diagnosis.getString("summary")).isNotBlank();
        assertThat(deployments(service.id())).isEqualTo(1);
    }

    @Test
    void aDeploymentEventThatCannotBeReadGoesToTheDeadLetterTopic() {
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.deadLetterTopic())) {
            String key = UUID.randomUUID().toString();
            TopicProbe.publish(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName(), key, DeploymentEvent.TYPE, "{\"service_id\": 7");
            TopicProbe.publish(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName(), key, DeploymentEvent.TYPE,
                    "{\"deployment_id\": \"" + UUID.randomUUID() + "\"}");
            assertThat(dlq.await(keyed(key), 2, WAIT)).hasSize(2);
        }
    }

    private long deployments(UUID serviceId) {
        return pool.preparedQuery("select count(*) from deployment_event where service_id = $1").execute(Tuple.of(serviceId))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
