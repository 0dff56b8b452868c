package io.devops.deployer;

import static io.devops.deployer.Deployments.WAIT;
import static io.devops.deployer.Deployments.api;
import static io.devops.deployer.Deployments.deployed;
import static io.devops.deployer.Deployments.name;
import static io.devops.deployer.Deployments.post;
import static io.devops.deployer.Deployments.register;
import static io.devops.deployer.Deployments.request;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;

/** The API's answers to bad input, races and dry runs: each refusal a 4xx problem, with nothing applied or published. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithKubernetesTestServer(crud = true)
class DeploymentApiTest {

    @Inject
    KubernetesClient kubernetes;

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
    void badRequestsAreProblemsAndChangeNothing() {
        String service = name("ledger");
        register(bootstrap, service);
        List<Consumer<Map<String, Object>>> mistakes = List.of(
                body -> body.remove("version"),
                body -> body.put("version", "1.0 beta"),
                body -> body.put("strategy", "big_bang"),
                body -> body.put("service", "no-such-service"),
                body -> body.put("environment", "moon"),
                body -> body.put("replicas", -1),
                body -> body.put("env", Map.of("1BAD", "x")),
                body -> body.put("resources", Map.of("requests", Map.of("cpu", "lots"))),
                body -> body.put("analysis", "forever"),
                body -> body.put("analysis", "2d"),
                body -> body.put("commit_time", OffsetDateTime.now().plusDays(1).toString()),
                body -> body.put("canary", Map.of("steps", List.of(Map.of("weight", 10)))),
                body -> {
                    body.put("strategy", "canary");
                    body.put("canary", Map.of("steps", List.of(Map.of("weight", 50), Map.of("weight", 20))));
                },
                body -> {
                    body.put("strategy", "canary");
                    body.put("canary", Map.of("steps", List.of(Map.of("weight", 50, "pause", "soon"))));
                },
                body -> body.put("gate", Map.of("alert_severity", "panic")),
                body -> body.put("colour", "blue"));
        try (TopicProbe events = TopicProbe.open(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName())) {
            for (Consumer<Map<String, Object>> mistake : mistakes) {
                Map<String, Object> body = request(service, "2.0.0", "rolling");
                mistake.accept(body);
                post(body).then().statusCode(400).contentType("application/problem+json")
                        .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
            }
            api().contentType(ContentType.JSON).post("/deployments").then().statusCode(400).contentType("application/problem+json");
            api().contentType(ContentType.JSON).body("{\"service\": ").post("/deployments").then().statusCode(400);

            api().get("/deployments?service=" + service).then().statusCode(200).header("X-Total-Count", "0");
            assertThat(kubernetes.apps().deployments().inAnyNamespace().withLabel("app.kubernetes.io/name", service).list()
                    .getItems()).isEmpty();
            assertThat(events.drain(Duration.ofMillis(500))).noneMatch(TopicProbe.keyed(service));
        }
        post(Map.of("service", service, "version", "2.0.0", "environment", "moon")).then()
                .body("detail", equalTo("environment 'moon' is not configured; known: development, production, staging"));
        post(Map.of("service", "no-such-service", "version", "2.0.0")).then()
                .body("detail", containsString("no service 'no-such-service' in the catalog"));
    }

    @Test
    void rolesQueriesAndIdsAreChecked() {
        given().get("/deployments").then().statusCode(401);
        given().auth().oauth2(Deployments.VIEWER_TOKEN).contentType(ContentType.JSON).body(Map.of("service", "x", "version", "1"))
                .post("/deployments").then().statusCode(403);
        given().auth().oauth2(Deployments.VIEWER_TOKEN).get("/deployments").then().statusCode(200);
        api().get("/deployments/not-an-id").then().statusCode(404).contentType("application/problem+json");
        api().get("/deployments/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        api().get("/deployments?status=exploded").then().statusCode(400);
        api().get("/deployments?limit=5000").then().statusCode(400);
        api().get("/deployments?from=2026-13-01").then().statusCode(400);
        api().post("/deployments/" + UUID.randomUUID() + "/promote").then().statusCode(404);
    }

    @Test
    void ofConcurrentStartsForOneServiceAndEnvironmentExactlyOneWins() throws Exception {
        String service = name("fx");
        register(bootstrap, service);
        controller.hold("registry.example.com/shop/" + service + ":3.0.0");
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<Integer> start = () -> post(request(service, "3.0.0", "rolling")).statusCode();
                answers.add(clients.submit(start));
            }
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                codes.add(answer.get());
            }
            assertThat(codes).containsOnly(201, 409).filteredOn(code -> code == 201).hasSize(1);
        } finally {
            clients.shutdownNow();
        }
        api().get("/deployments?service=" + service).then().header("X-Total-Count", "1");
        post(request(service, "3.0.1", "rolling")).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("is in flight"));
        post(Map.of("service", service, "version", "3.0.1", "environment", "staging")).then().statusCode(201);
    }

    @Test
    void aDryRunShowsTheObjectsItWouldApplyAndChangesNothing() {
        String service = name("quotes");
        register(bootstrap, service);
        try (TopicProbe events = TopicProbe.open(bootstrap, Topic.DEPLOYER_DEPLOYMENTS.topicName())) {
            api().contentType(ContentType.JSON).body(request(service, "1.4.0", "blue_green")).post("/deployments?dry_run=true")
                    .then().statusCode(200)
                    .body("deployment.status", equalTo("pending")).body("deployment.strategy", equalTo("blue_green"))
                    .body("manifests.kind", equalTo(List.of("Deployment", "Service")))
                    .body("manifests[0].metadata.name", equalTo(service + "-blue"))
                    .body("manifests[0].spec.template.spec.containers[0].image", equalTo("registry.example.com/shop/" + service + ":1.4.0"))
                    .body("manifests[1].spec.selector.'devops.io/color'", equalTo("blue"));
            assertThat(events.drain(Duration.ofMillis(500))).isEmpty();
        }
        api().get("/deployments?service=" + service).then().header("X-Total-Count", "0");
        assertThat(kubernetes.apps().deployments().inNamespace("production").withName(service + "-blue").get()).isNull();

        deployed(request(service, "1.4.0", "rolling"));
        api().contentType(ContentType.JSON).body(request(service, "1.5.0", "blue_green")).post("/deployments?dry_run=true").then()
                .statusCode(200).body("manifests[0].metadata.name", equalTo(service + "-green"));
    }

    @Test
    void theHistoryFiltersAndPagesAndRefusesWhatCannotBeDone() {
        String service = name("wallet");
        register(bootstrap, service);
        String first = deployed(request(service, "1.0.1", "rolling"));
        String second = deployed(request(service, "1.0.2", "rolling"));

        api().get("/deployments?service=" + service + "&limit=1").then().header("X-Total-Count", "2").body("id", equalTo(List.of(second)));
        api().get("/deployments?service=" + service + "&limit=1&skip=1").then().body("id", equalTo(List.of(first)));
        api().get("/deployments?service=" + service + "&status=failed").then().header("X-Total-Count", "0");
        api().get("/deployments?service=" + service + "&environment=production&status=succeeded").then()
                .body("version", equalTo(List.of("1.0.2", "1.0.1"))).body("[0].history.actor", hasItem(Deployments.OPERATOR));
        api().post("/deployments/" + second + "/promote").then().statusCode(409).contentType("application/problem+json");
        api().post("/deployments/" + first + "/rollback").then().statusCode(409)
                .body("detail", containsString("there is nothing to roll back to"));
        api().get("/deployments/metrics?service=" + service).then().statusCode(200).body("[0].deployments", equalTo(2))
                .body("[0].changes", equalTo(2)).body("[0].change_failure_rate", equalTo(0.0f));
        api().get("/deployments/metrics?window=forever").then().statusCode(400);
        org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("deployer_rollout_steps_total")));
    }
}
