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
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.PostgresProxyResource;
import io.devops.common.testing.PostgresProxyResource.InjectPostgresProxy;
import io.devops.common.testing.TcpProxy;
import io.devops.common.testing.TopicProbe;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * PostgreSQL away while a canary runs: the health transition that arrives meanwhile is neither
 * lost nor dead-lettered, and once the database is back the gate rolls the canary back by itself.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresProxyResource.class)
@WithKubernetesTestServer(crud = true)
class PostgresOutageTest {

    @InjectPostgresProxy
    TcpProxy postgres;

    @Inject
    KubernetesClient kubernetes;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aSignalArrivingWhileThePoolIsCutIsKeptAndTheRolloutRecoversByItself() {
        try (KubernetesController controller = new KubernetesController(kubernetes);
                TopicProbe deadLetters = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.deadLetterTopic())) {
            String service = name("orders");
            String serviceId = register(bootstrap, service);
            deployed(request(service, "1.0.0", "rolling"));
            String id = deploy(canary(service, "1.1.0", List.of(Map.<String, Object>of("weight", 25))));
            awaitStatus(id, "paused");

            postgres.cut();
            try {
                await().atMost(WAIT).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(503));
                Deployments.publishHealth(bootstrap, serviceId, service, "unhealthy");
                assertThat(deadLetters.drain(Duration.ofSeconds(2))).noneMatch(TopicProbe.keyed(serviceId));
            } finally {
                postgres.restore();
            }

            awaitStatus(id, "rolled_back");
            api().get("/deployments/" + id).then().body("error_message", startsWith("health gate failed"));
            await().atMost(WAIT).until(() -> kubernetes.apps().deployments().inNamespace("production")
                    .withName(service + "-canary").get() == null);
            assertThat(deadLetters.drain(Duration.ofMillis(500))).noneMatch(TopicProbe.keyed(serviceId));
        }
    }
}
