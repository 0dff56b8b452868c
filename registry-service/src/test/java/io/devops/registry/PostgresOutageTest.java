package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.PostgresProxyResource.InjectPostgresProxy;
import io.devops.common.testing.PostgresProxyResource;
import io.devops.common.testing.TcpProxy;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * PostgreSQL goes away and comes back: requests that need it get a 503 problem meanwhile,
 * heartbeats are still taken and written later, and the service recovers by itself with nothing
 * acknowledged lost.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresProxyResource.class)
class PostgresOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @InjectPostgresProxy
    TcpProxy postgres;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void serviceRecoversByItselfAndLosesNothingAcknowledged() {
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            String before = Services.registerOk(Services.registration("before-db-outage"));
            api().post("/services/" + before + "/heartbeat").then().statusCode(200);
            postgres.cut();
            try {
                await().atMost(WAIT).untilAsserted(() -> Services.register(Services.registration("during-db-outage"))
                        .then().statusCode(503).contentType("application/problem+json")
                        .header("Retry-After", notNullValue()));
                api().post("/services/" + before + "/heartbeat").then().statusCode(200);
                await().atMost(WAIT).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(503));
            } finally {
                postgres.restore();
            }

            await().atMost(WAIT).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(200));
            String after = Services.registerOk(Services.registration("after-db-outage"));
            // the heartbeat taken during the outage was written once the database was back
            await().atMost(WAIT).untilAsserted(() -> api().get("/services/" + before).then()
                    .body("status", equalTo("healthy")).body("last_seen", notNullValue()));

            // the relay may repeat a batch Kafka had acknowledged when the database went away
            // before it marked it sent: at least once, the same ids, nothing lost
            services.await(TopicProbe.keyed(before), 2, WAIT);
            services.await(TopicProbe.keyed(after), 1, WAIT);
            var distinct = TopicProbe.distinctEvents(services.drain(Duration.ofMillis(500)));
            assertThat(distinct).filteredOn(TopicProbe.keyed(before))
                    .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                    .containsExactly(ServiceSnapshot.REGISTERED, ServiceSnapshot.LEASE_RENEWED);
            assertThat(distinct).filteredOn(TopicProbe.keyed(after))
                    .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                    .containsExactly(ServiceSnapshot.REGISTERED);
        }
    }
}
