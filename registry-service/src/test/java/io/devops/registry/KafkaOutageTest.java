package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.LocalKafkaBroker;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Writes acknowledged while Kafka is down reach the topic, once each and in order, when it is back. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class KafkaOutageTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void noEventIsLostWhileKafkaIsAway() {
        LocalKafkaBroker broker = KafkaBrokerResource.broker();
        try (TopicProbe services = TopicProbe.open(bootstrap, Topic.REGISTRY_SERVICES.topicName())) {
            List<String> ids = new ArrayList<>();
            ids.add(Services.registerOk(Services.registration("before-outage")));
            broker.stop();
            try {
                for (int i = 0; i < 10; i++) {
                    ids.add(Services.registerOk(Services.registration("during-outage")));
                }
                api().contentType(io.restassured.http.ContentType.JSON)
                        .body(java.util.Map.of("version", "2.0.0")).put("/services/" + ids.get(1)).then().statusCode(200);
            } finally {
                broker.start();
            }
            ids.add(Services.registerOk(Services.registration("after-outage")));

            var events = services.await(r -> ids.contains(r.key()), ids.size() + 1, Duration.ofSeconds(90));
            assertThat(events).extracting(r -> r.key()).containsAll(ids);
            // every registration once (by event id), and the update after it
            var distinct = TopicProbe.distinctEvents(services.drain(Duration.ofSeconds(1)));
            assertThat(distinct).filteredOn(r -> ids.contains(r.key())).hasSize(ids.size() + 1);
            assertThat(distinct).filteredOn(TopicProbe.keyed(ids.get(1)))
                    .extracting(r -> TopicProbe.header(r, CloudEventHeaders.TYPE))
                    .containsExactly(ServiceSnapshot.REGISTERED, ServiceSnapshot.UPDATED);
        }
    }
}
