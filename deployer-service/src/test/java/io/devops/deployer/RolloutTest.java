package io.devops.deployer;

import static io.devops.deployer.Deployments.WAIT;
import static io.devops.deployer.Deployments.api;
import static io.devops.deployer.Deployments.awaitStatus;
import static io.devops.deployer.Deployments.canary;
import static io.devops.deployer.Deployments.deploy;
import static io.devops.deployer.Deployments.deployed;
import static io.devops.deployer.Deployments.name;
import static io.devops.deployer.Deployments.register;
import static io.devops.deployer.Deployments.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every strategy against fabric8's Kubernetes mock server in CRUD mode, with {@link KubernetesController}
 * playing the Deployment controller, and the gates fed through the real broker.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class RolloutTest {
    private static final String NAMESPACE = "production";

    @Inject
    KubernetesClient kubernetes;

    @Inject
    Pool pool;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private KubernetesController controller;

    @BeforeEach
    void startController() {
        controller = new KubernetesController(kubernetes);
    }

    @AfterEach
    void stopController() {
        controller.close();
    }

    @Test
    void aFirstRollingDeploymentCreatesTheDeploymentAndTheServiceAndAnnouncesItsSteps() {
        String service = name("cart");
        String serviceId = register(bootstrap, service);
        try (TopicProbe events = TopicProbe.open(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName())) {
            String id = deployed(request(service, "1.1.0", "rolling"));

            Deployment blue = workload(service + "-blue");
            assertThat(blue.getSpec().getReplicas()).isEqualTo(4);
            assertThat(blue.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("registry.example.com/shop/" + service + ":1.1.0");
            assertThat(blue.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().get(0).getName()).isEqualTo("LOG_LEVEL");
            assertThat(blue.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "devops-deployer");
            assertThat(route(service).getSpec().getSelector()).containsEntry("devops.io/color", "blue");

            List<ConsumerRecord<String, String>> published = events.await(TopicProbe.keyed(serviceId), 2, WAIT);
            assertThat(published).extracting(ConsumerRecord::value).anySatisfy(v -> assertThat(v).contains("\"status\":\"in_progress\""))
                    .anySatisfy(v -> assertThat(v).contains("\"status\":\"succeeded\"").contains("\"deployment_id\":\"" + id + "\""));
            api().get("/deployments/" + id).then().body("requested_by", equalTo(Deployments.OPERATOR))
                    .body("history.action", hasItems("requested", "started", "ready", "analysis", "succeeded"))
                    .body("started_at", org.hamcrest.Matchers.notNullValue()).body("completed_at", org.hamcrest.Matchers.notNullValue());
        }
    }

    @Test
    void aRollingUpdateReplacesTheImageInPlaceAndRemembersThePreviousVersion() {
        String service = name("orders");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String second = deployed(request(service, "1.2.0", "rolling"));

        assertThat(image(service + "-blue")).endsWith(":1.2.0");
        api().get("/deployments/" + second).then().body("previous_version", equalTo("1.1.0"));
    }

    @Test
    void blueGreenSwitchesTheServiceToTheNewColourAndKeepsTheOldOneRunning() {
        String service = name("search");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        Map<String, Object> body = request(service, "2.0.0", "blue_green");
        body.put("retention", "1h");
        String id = deployed(body);

        assertThat(route(service).getSpec().getSelector()).containsEntry("devops.io/color", "green");
        assertThat(image(service + "-green")).endsWith(":2.0.0");
        assertThat(workload(service + "-blue").getSpec().getReplicas()).isEqualTo(4);
        assertThat(image(service + "-blue")).endsWith(":1.1.0");
        api().get("/deployments/" + id).then().body("phase", equalTo("retain"))
                .body("history.action", hasItems("switched", "succeeded"));
    }

    @Test
    void aCanaryWalksItsStepsThenPromotesTheStableDeploymentAndRemovesTheCanary() {
        String service = name("pricing");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String id = deployed(canary(service, "1.2.0", List.of(Map.of("weight", 25, "pause", "200ms"),
                Map.of("weight", 50, "pause", "200ms"))));

        assertThat(image(service + "-blue")).endsWith(":1.2.0");
        assertThat(workload(service + "-blue").getSpec().getReplicas()).isEqualTo(4);
        assertThat(kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(service + "-canary").get()).isNull();
        api().get("/deployments/" + id).then().body("weight", equalTo(100))
                .body("history.detail", hasItems("step 1 of 2: 25% (1 of 4 replicas)", "step 2 of 2: 50% (2 of 4 replicas)"))
                .body("history.action", hasItems("promoting", "succeeded"));
    }

    @Test
    void aPersonCanHoldAResumeAndPromoteACanaryPastItsRemainingSteps() {
        String service = name("profile");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String id = deploy(canary(service, "1.2.0", List.of(Map.of("weight", 25, "pause", "10m"), Map.of("weight", 50, "pause", "10m"))));
        await().atMost(WAIT).until(() -> "analysis".equals(api().get("/deployments/" + id).then().extract().path("phase")));

        api().post("/deployments/" + id + "/pause").then().statusCode(200).body("held", equalTo(true));
        awaitStatus(id, "paused");
        api().post("/deployments/" + id + "/resume").then().statusCode(200).body("held", equalTo(false));
        awaitStatus(id, "in_progress");
        api().post("/deployments/" + id + "/resume").then().statusCode(409);

        api().post("/deployments/" + id + "/promote?full=true").then().statusCode(200);
        awaitStatus(id, "succeeded");
        assertThat(image(service + "-blue")).endsWith(":1.2.0");
        api().get("/deployments/" + id).then().body("history.action", hasItems("paused", "resumed", "promote_requested", "promoting"))
                .body("history.findAll { it.action == 'canary' }.size()", equalTo(1));
    }

    @Test
    void aRolloutThatNeverBecomesReadyFailsWithKubernetesReasonAndRollsBack() {
        String service = name("billing");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        controller.neverReady("registry.example.com/shop/" + service + ":1.2.0");
        String id = deploy(request(service, "1.2.0", "rolling"));

        awaitStatus(id, "rolled_back");
        assertThat(image(service + "-blue")).endsWith(":1.1.0");
        api().get("/deployments/" + id).then().body("error_message", containsString("did not roll out within 600s"))
                .body("error_message", containsString("has timed out progressing"))
                .body("history.action", hasItems("failed", "rolling_back", "rolled_back"));
    }

    @Test
    void aCanaryWhoseServiceTurnsUnhealthyRollsBackByItself() {
        String service = name("checkout");
        String serviceId = register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String id = deploy(canary(service, "1.2.0", List.of(Map.<String, Object>of("weight", 25))));
        awaitStatus(id, "paused");
        api().get("/deployments/" + id).then().body("waiting_for_promotion", equalTo(true)).body("held", equalTo(false))
                .body("weight", equalTo(25)).body("step", equalTo(1)).body("steps", equalTo(1));
        assertThat(workload(service + "-canary").getSpec().getReplicas()).isEqualTo(1);
        assertThat(workload(service + "-blue").getSpec().getReplicas()).isEqualTo(3);

        Deployments.publishHealth(bootstrap, serviceId, service, "unhealthy");

        awaitStatus(id, "rolled_back");
        assertThat(kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(service + "-canary").get()).isNull();
        assertThat(workload(service + "-blue").getSpec().getReplicas()).isEqualTo(4);
        assertThat(image(service + "-blue")).endsWith(":1.1.0");
        api().get("/deployments/" + id).then().body("error_message", equalTo("health gate failed: " + service
                + " turned unhealthy (http_status)"));
    }

    @Test
    void aCanaryWithAFiringAlertRollsBackByItselfButADeploymentAlertDoesNotCount() {
        String service = name("payments");
        String serviceId = register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String id = deploy(canary(service, "1.2.0", List.of(Map.<String, Object>of("weight", 50))));
        awaitStatus(id, "paused");

        Deployments.publishAlert(bootstrap, serviceId, service, "DeploymentFailed", "critical");
        Deployments.publishAlert(bootstrap, serviceId, service, "HighErrorRate", "critical");

        awaitStatus(id, "rolled_back");
        api().get("/deployments/" + id).then().body("error_message", equalTo("alert gate failed: alert HighErrorRate (critical) is firing"));
    }

    @Test
    void aRolloutClaimedByAReplicaThatDiedIsResumedOnceItsClaimLapses() {
        String service = name("inventory");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String id = deploy(canary(service, "1.2.0", List.of(Map.<String, Object>of("weight", 25))));
        awaitStatus(id, "paused");
        OffsetDateTime lapses = OffsetDateTime.now().plusSeconds(2);
        // The dead replica's claim, as it left it; a decision this replica had in flight is stale now.
        pool.preparedQuery("update deployer.deployment set claimed_by = 'replica-that-died', claimed_until = $2,"
                + " lock_version = lock_version + 1 where id = $1")
                .execute(Tuple.of(UUID.fromString(id), lapses)).await().indefinitely();

        api().post("/deployments/" + id + "/promote").then().statusCode(200);

        awaitStatus(id, "succeeded");
        OffsetDateTime completed = OffsetDateTime.parse(api().get("/deployments/" + id).then().extract().path("completed_at"));
        assertThat(completed).isAfter(lapses);
        assertThat(image(service + "-blue")).endsWith(":1.2.0");
    }

    @Test
    void aRollbackRedeploysTheLastSuccessAndARollbackOfThatRollbackRedeploysWhatItReplaced() {
        String service = name("catalog");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String second = deployed(request(service, "1.2.0", "rolling"));

        String rollback = api().post("/deployments/" + second + "/rollback").then().statusCode(201)
                .body("version", equalTo("1.1.0")).body("rollback_of", equalTo(second)).extract().path("id");
        awaitStatus(rollback, "succeeded");
        assertThat(image(service + "-blue")).endsWith(":1.1.0");
        api().get("/deployments/" + second).then().body("rolled_back_by", equalTo(rollback));

        String again = api().post("/deployments/" + rollback + "/rollback").then().statusCode(201)
                .body("version", equalTo("1.2.0")).extract().path("id");
        awaitStatus(again, "succeeded");
        assertThat(image(service + "-blue")).endsWith(":1.2.0");
    }

    @Test
    void aRollbackOfARolloutInFlightAbortsItAndPutsBackWhatRan() {
        String service = name("shipping");
        register(bootstrap, service);
        deployed(request(service, "1.1.0", "rolling"));
        String id = deploy(canary(service, "1.2.0", List.of(Map.<String, Object>of("weight", 25))));
        awaitStatus(id, "paused");

        api().post("/deployments/" + id + "/rollback").then().statusCode(200).body("id", equalTo(id));

        awaitStatus(id, "rolled_back");
        assertThat(kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(service + "-canary").get()).isNull();
        api().get("/deployments/" + id).then().body("error_message", equalTo("aborted by " + Deployments.OPERATOR));
    }

    private Deployment workload(String name) {
        await().atMost(WAIT).until(() -> kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name).get() != null);
        return kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name).get();
    }

    private String image(String name) {
        return workload(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private Service route(String service) {
        return kubernetes.services().inNamespace(NAMESPACE).withName(service).get();
    }
}
