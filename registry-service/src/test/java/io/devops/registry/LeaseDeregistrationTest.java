package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With automatic deregistration on, a service whose lease stayed lapsed is removed, like Consul's deregister_critical_service_after. */
@QuarkusTest
@TestProfile(LeaseDeregistrationTest.QuickDeregistration.class)
@WithTestResource(KafkaBrokerResource.class)
class LeaseDeregistrationTest {

    public static class QuickDeregistration implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.lease.deregister-after", "1s");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void lapsedServiceIsDeregisteredAfterTheConfiguredTime() {
        Map<String, Object> body = Services.registration("ephemeral");
        body.put("lease_ttl_seconds", 5);
        String kept = Services.registerOk(Services.registration("never-beats"));
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String id = Services.registerOk(body);
            api().post("/services/" + id + "/heartbeat").then().statusCode(200);
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> api().get("/services/" + id).then().statusCode(404));
            assertThat(services.await(TopicProbe.keyed(id), 4, Duration.ofSeconds(20)))
                    .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                    .containsExactly(ServiceSnapshot.REGISTERED, ServiceSnapshot.LEASE_RENEWED, ServiceSnapshot.LEASE_EXPIRED, ServiceSnapshot.DEREGISTERED);
        }
        // a service that never sent a heartbeat holds no lease, so it is never deregistered for lack of one
        api().get("/services/" + kept).then().statusCode(200);
    }
}
