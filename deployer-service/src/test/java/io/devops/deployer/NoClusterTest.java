package io.devops.deployer;

import static io.devops.deployer.Deployments.api;
import static io.devops.deployer.Deployments.name;
import static io.devops.deployer.Deployments.post;
import static io.devops.deployer.Deployments.register;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** Without a cluster the deployer refuses rollouts with a clear answer, and serves the rest. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@TestProfile(NoClusterTest.WithoutCluster.class)
class NoClusterTest {

    public static class WithoutCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("deployer.kubernetes.enabled", "false");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aRolloutIsRefusedWithA503ButTheDryRunTheHistoryAndTheHealthChecksWork() {
        String service = name("ads");
        register(bootstrap, service);

        post(Map.of("service", service, "version", "1.0.0")).then().statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("no Kubernetes cluster is configured"));
        api().contentType("application/json").body(Map.of("service", service, "version", "1.0.0"))
                .post("/deployments?dry_run=true").then().statusCode(200)
                .body("manifests.kind", equalTo(List.of("Deployment", "Service")));
        api().get("/deployments?service=" + service).then().statusCode(200).header("X-Total-Count", "0");
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }
}
