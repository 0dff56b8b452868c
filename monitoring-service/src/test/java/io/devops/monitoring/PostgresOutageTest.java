package io.devops.monitoring;

import static io.devops.common.testing.TopicProbe.keyed;
import static io.devops.monitoring.Catalog.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.devops.common.events.EventCodec;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.PostgresProxyResource;
import io.devops.common.testing.PostgresProxyResource.InjectPostgresProxy;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.common.testing.TcpProxy;
import io.devops.common.testing.TopicProbe;
import io.devops.monitoring.history.ResultWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * PostgreSQL goes away while a service fails: checks go on, and once the database is back every
 * result made meanwhile is stored and the change to unhealthy is published, with its incident.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(PostgresProxyResource.class)
class PostgresOutageTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @AutoClose
    private static final TargetServer target = TargetServer.start();

    @InjectPostgresProxy
    TcpProxy postgres;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @Inject
    ResultWriter results;

    @Inject
    Pool pool;

    @Test
    void checksGoOnAndNothingIsLostWhenTheDatabaseReturns() {
        String name = Catalog.unique("outage");
        ServiceSnapshot service = Catalog.service(name, target.url(name), Catalog.fastCheck());
        try (TopicProbe health = TopicProbe.open(bootstrap, Topic.MONITORING_HEALTH.topicName())) {
            Catalog.publish(bootstrap, codec, service);
            health.await(keyed(service.id()), 1, WAIT);

            postgres.cut();
            int hitsAtCut;
            try {
                hitsAtCut = target.hits(name);
                target.respond(name, Behavior.status(500));
                await().atMost(WAIT).until(() -> target.hits(name) >= hitsAtCut + 5);
                await().atMost(WAIT).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(503));
            } finally {
                postgres.restore();
            }
            int hitsAtRestore = target.hits(name);

            health.await(keyed(service.id()).and(r -> r.value().contains("\"status\":\"unhealthy\"")), 1, WAIT);
            await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/incidents?service_id=" + service.id()).then()
                    .statusCode(200).body("size()", equalTo(1)).body("[0].first_error_reason", equalTo("unexpected_status")));
            results.flushNow();
            // every check made, the ones during the outage included, was stored
            assertThat(stored(service.id())).isGreaterThanOrEqualTo(hitsAtRestore - 1);
            await().atMost(WAIT).untilAsserted(() -> api().get("/q/health/ready").then().statusCode(200));
        }
    }

    private long stored(UUID serviceId) {
        return pool.preparedQuery("select count(*) from check_result where service_id = $1").execute(Tuple.of(serviceId))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }
}
