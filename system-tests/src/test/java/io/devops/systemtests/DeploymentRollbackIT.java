package io.devops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.security.Roles;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.common.testing.Tokens;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

/**
 * Rollouts end to end, every service a process: the registry announces a service, monitoring
 * checks it, the deployer rolls it out to a Kubernetes API server (fabric8's mock in CRUD mode, in
 * this JVM, with {@link KubernetesController} playing the Deployment controller) and alerting turns
 * its outcome into alerts. The service's pods are a {@link TargetServer} that turns unhealthy while
 * a bad canary runs: the deployer's gate rolls the canary back by itself, and alerting and
 * monitoring's diagnosis both name that deployment. A rollout's state lives in PostgreSQL: a
 * deployer killed while a canary waits for a promotion resumes it after a restart.
 */
class DeploymentRollbackIT {
    private static final String TOKEN = Tokens.issue("system-test", Roles.OPERATOR);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(2);
    /** The namespace of the environment {@code production} in the deployer's default settings. */
    private static final String NAMESPACE = "production";
    private static final int REPLICAS = 4;
    /** The mock API server logs every request, and the controller asks several times a second. */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    /** What {@link #stopPlatform} stops, in the order they started. */
    private static final List<AutoCloseable> running = Collections.synchronizedList(new ArrayList<>());
    private static KubernetesMockServer apiServer;
    private static KubernetesClient kubernetes;
    private static KubernetesController controller;
    private static TargetServer pods;
    private static ServiceProcess monitoring;
    private static ServiceProcess registry;
    private static ServiceProcess alerting;
    private static volatile ServiceProcess deployer;

    @BeforeAll
    static void startPlatform() throws Exception {
        MOCK_SERVER_LOG.setLevel(Level.WARNING);
        // CRUD mode: what the deployer creates, it reads back (the mixed dispatcher with no expectations set).
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        apiServer = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        apiServer.init(InetAddress.getByName("127.0.0.1"), 0);
        running.add(apiServer::destroy);
        kubernetes = apiServer.createClient();
        running.add(kubernetes);
        controller = new KubernetesController(kubernetes);
        running.add(controller);
        pods = TargetServer.start();
        running.add(pods);

        // The broker first, once, then the four services side by side. Nothing here reads the check
        // history through the registry, so it needs no address of monitoring (like its test profile).
        TestPlatform.bootstrap();
        Map<String, String> registrySettings = TestPlatform.settings("registry", true);
        registrySettings.put("quarkus.rest-client.monitoring.url", "http://127.0.0.1:1");
        ExecutorService starter = Executors.newFixedThreadPool(4);
        try {
            Future<ServiceProcess> monitoringStart = starter.submit(() -> started(ServiceProcess.start("monitoring-service",
                    "monitoring-deployments", TestPlatform.settings("monitoring", true))));
            Future<ServiceProcess> registryStart = starter.submit(() -> started(ServiceProcess.start("registry-service",
                    "registry-deployments", registrySettings)));
            Future<ServiceProcess> alertingStart = starter.submit(() -> started(ServiceProcess.start("alerting-service",
                    "alerting-deployments", TestPlatform.settings("alerting", true))));
            Future<ServiceProcess> deployerStart = starter.submit(() -> startDeployer("deployer", true));
            // Every start ends (in the list of what to stop, or failed) before a failure ends this method.
            starter.shutdown();
            starter.awaitTermination(5, TimeUnit.MINUTES);
            monitoring = monitoringStart.get();
            registry = registryStart.get();
            alerting = alertingStart.get();
            deployer = deployerStart.get();
        } finally {
            starter.shutdownNow();
        }
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        // The services side by side (each takes seconds to drain), then what they talked to.
        List<AutoCloseable> all = new ArrayList<>(running);
        Collections.reverse(all);
        ExecutorService stopper = Executors.newCachedThreadPool();
        for (AutoCloseable closeable : all) {
            if (closeable instanceof ServiceProcess process) {
                stopper.execute(process::close);
            }
        }
        stopper.shutdown();
        stopper.awaitTermination(2, TimeUnit.MINUTES);
        for (AutoCloseable closeable : all) {
            if (!(closeable instanceof ServiceProcess)) {
                closeable.close();
            }
        }
    }

    @Test
    void aCanaryThatMakesTheServiceUnhealthyIsRolledBackByItselfAndAlertingAndDiagnosisNameIt() throws Exception {
        String name = name("checkout");
        String serviceId = register(name);
        // The canary's pods answer 503, and while they run the service's health check sees them.
        controller.watchCanary(name, canaryReady -> pods.respond(name, canaryReady ? Behavior.status(503) : Behavior.healthy()));
        deployed(rolling(name, "1.0.0"));

        String canary = deploy(canary(name, "1.1.0", Map.of("weight", 25)));

        JsonNode rolledBack = awaitStatus(canary, "rolled_back");
        assertThat(rolledBack.get("error_message").asText()).startsWith("health gate failed: " + name + " turned unhealthy");
        assertThat(actions(rolledBack)).contains("canary", "failed", "rolling_back", "rolled_back").doesNotContain("promoting");
        assertThat(kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name + "-canary").get()).isNull();
        await().atMost(WAIT).untilAsserted(() -> {
            Deployment stable = kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name + "-blue").get();
            assertThat(stable.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                    .isEqualTo("registry.local/" + name + ":1.0.0");
            assertThat(stable.getSpec().getReplicas()).isEqualTo(REPLICAS);
            assertThat(stable.getStatus().getAvailableReplicas()).isEqualTo(REPLICAS);
        });

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode alerts = JSON.readTree(alerting.get("/alerts?service_name=" + name, TOKEN).body());
            assertThat(alerts).filteredOn(a -> a.get("labels").path("alertname").asText().equals("DeploymentRolledBack"))
                    .singleElement().satisfies(alert -> {
                        assertThat(alert.get("status").asText()).isEqualTo("open");
                        assertThat(alert.get("severity").asText()).isEqualTo("warning");
                        assertThat(alert.get("labels").get("service_id").asText()).isEqualTo(serviceId);
                        assertThat(alert.get("annotations").get("deployment_id").asText()).isEqualTo(canary);
                    });
        });

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode incidents = JSON.readTree(monitoring.get("/monitoring/incidents?service_id=" + serviceId, TOKEN).body());
            assertThat(incidents).hasSize(1);
            String incident = incidents.get(0).get("id").asText();
            HttpResponse<String> response = monitoring.get("/monitoring/incidents/" + incident + "/diagnosis", TOKEN);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode diagnosis = JSON.readTree(response.body());
            assertThat(diagnosis.get("findings")).filteredOn(f -> f.get("kind").asText().equals("after_deployment"))
                    .singleElement().satisfies(finding -> {
                        assertThat(finding.get("evidence").get("deployment_id").asText()).isEqualTo(canary);
                        assertThat(finding.get("evidence").get("version").asText()).isEqualTo("1.1.0");
                        assertThat(finding.get("evidence").get("previous_version").asText()).isEqualTo("1.0.0");
                        assertThat(finding.get("summary").asText()).contains("version 1.1.0 was deployed");
                    });
        });
    }

    @Test
    void aCanaryWaitingForPromotionOutlivesAKilledDeployerAndIsPromotedAfterItsRestart() throws Exception {
        String name = name("ledger");
        register(name);
        deployed(rolling(name, "1.0.0"));
        String canary = deploy(canary(name, "1.1.0", Map.of("weight", 50)));
        awaitStatus(canary, "paused");
        assertThat(workload(name + "-canary").getSpec().getReplicas()).isEqualTo(REPLICAS / 2);

        deployer.kill();
        deployer = startDeployer("deployer-restarted", false);

        JsonNode resumed = deployment(canary);
        assertThat(resumed.get("status").asText()).isEqualTo("paused");
        assertThat(resumed.get("step").asInt()).isEqualTo(1);
        assertThat(resumed.get("weight").asInt()).isEqualTo(50);
        HttpResponse<String> promoted = deployer.post("/deployments/" + canary + "/promote", TOKEN, null);
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);

        JsonNode succeeded = awaitStatus(canary, "succeeded");
        assertThat(actions(succeeded)).contains("paused", "promote_requested", "promoting", "succeeded");
        assertThat(kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name + "-canary").get()).isNull();
        Deployment stable = workload(name + "-blue");
        assertThat(stable.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("registry.local/" + name + ":1.1.0");
        assertThat(stable.getSpec().getReplicas()).isEqualTo(REPLICAS);
    }

    /**
     * The deployer against the mock API server, as fabric8 finds a cluster from its environment.
     * Rollouts that wait for the cluster are looked at twice a second, a killed replica's claim
     * lapses after 5 s rather than 30 s, and its Kafka partitions pass on after 6 s rather than 45 s.
     */
    private static ServiceProcess startDeployer(String name, boolean clean) {
        Map<String, String> settings = TestPlatform.settings("deployer", clean);
        settings.put("deployer.rollout.tick", "1s");
        settings.put("deployer.rollout.poll-interval", "500ms");
        settings.put("deployer.rollout.claim", "5s");
        settings.put("kafka.session.timeout.ms", "6000");
        settings.put("kafka.heartbeat.interval.ms", "1000");
        Map<String, String> environment = Map.of("KUBERNETES_MASTER", "http://127.0.0.1:" + apiServer.getPort(),
                "KUBERNETES_TRUST_CERTIFICATES", "true", "KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        return started(ServiceProcess.start("deployer-service", name, settings, environment));
    }

    private static ServiceProcess started(ServiceProcess process) {
        running.add(process);
        return process;
    }

    /**
     * Registers {@code name} with the registry, checked every 5 s; returns its id once monitoring
     * found it healthy and the deployer knows it.
     */
    private static String register(String name) throws Exception {
        String registration = JSON.writeValueAsString(Map.of("name", name, "url", pods.url(name), "environment", "production",
                "version", "0.9.0", "health_check",
                Map.of("interval_seconds", 5, "timeout_seconds", 2, "failure_threshold", 1, "success_threshold", 1)));
        HttpResponse<String> created = registry.post("/services", TOKEN, registration);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = JSON.readTree(created.body()).get("id").asText();
        await().atMost(WAIT).untilAsserted(() -> assertThat(JSON.readTree(registry.get("/services/" + id, TOKEN).body())
                .get("status").asText()).isEqualTo("healthy"));
        String probe = JSON.writeValueAsString(Map.of("service", name, "version", "1.0.0"));
        await().atMost(WAIT).until(() -> deployer.post("/deployments?dry_run=true", TOKEN, probe).statusCode() == 200);
        return id;
    }

    private static Map<String, Object> rolling(String name, String version) {
        Map<String, Object> body = new HashMap<>();
        body.put("service", name);
        body.put("version", version);
        body.put("strategy", "rolling");
        body.put("replicas", REPLICAS);
        body.put("analysis", "1s");
        return body;
    }

    /** A canary of one step that waits for a person: only its gate or a promotion ends it. */
    private static Map<String, Object> canary(String name, String version, Map<String, Object> step) {
        Map<String, Object> body = rolling(name, version);
        body.put("strategy", "canary");
        body.remove("analysis");
        body.put("canary", Map.of("steps", List.of(step)));
        return body;
    }

    private static String deploy(Map<String, Object> body) throws Exception {
        HttpResponse<String> created = deployer.post("/deployments", TOKEN, JSON.writeValueAsString(body));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JSON.readTree(created.body()).get("id").asText();
    }

    private static void deployed(Map<String, Object> body) throws Exception {
        awaitStatus(deploy(body), "succeeded");
    }

    private static JsonNode deployment(String id) throws Exception {
        HttpResponse<String> response = deployer.get("/deployments/" + id, TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Waits for deployment {@code id} to reach {@code status}, and returns it then. */
    private static JsonNode awaitStatus(String id, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last.set(deployment(id));
            assertThat(last.get().get("status").asText()).as("status of %s", last.get()).isEqualTo(status);
        });
        return last.get();
    }

    private static List<String> actions(JsonNode deployment) {
        return StreamSupport.stream(deployment.get("history").spliterator(), false).map(s -> s.get("action").asText()).toList();
    }

    private static Deployment workload(String name) {
        return await().atMost(WAIT).until(() -> kubernetes.apps().deployments().inNamespace(NAMESPACE).withName(name).get(),
                Objects::nonNull);
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
