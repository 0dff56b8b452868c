package io.devops.monitoring;

import static io.devops.monitoring.Catalog.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.devops.common.events.EventCodec;
import io.devops.common.events.MetricBatch;
import io.devops.common.events.NodeFacts;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.devops.monitoring.metrics.MetricRollups;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Metric batches and node facts from the broker into PostgreSQL, and out through the query paths. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class MetricsPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @Inject
    MetricRollups rollups;

    @Inject
    Pool pool;

    @Test
    void batchesAreStoredOnceAndQueriedNewestFirst() {
        String node = "node-" + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        String first = publish(node, now.minusSeconds(30), 1, 40.0);
        publish(node, now.minusSeconds(15), 2, 60.0);
        // the agent resends a batch Kafka had (a crash before it noted the acknowledgement): same ce_id
        publish(node, now.minusSeconds(30), 1, 40.0, first);

        await().atMost(WAIT).untilAsserted(() -> api().get("/monitoring/metrics?name=system_cpu_usage_percent&node=" + node)
                .then().statusCode(200).body("size()", equalTo(2)));
        api().get("/monitoring/metrics?name=system_cpu_usage_percent&node=" + node).then()
                .body("[0].value", equalTo(60.0f))
                .body("[0].node_id", equalTo(node))
                .body("[1].value", equalTo(40.0f));
        api().get("/monitoring/metrics?name=system_disk_usage_percent&node=" + node + "&label=mount=/").then().statusCode(200)
                .body("size()", equalTo(2)).body("[0].labels.mount", equalTo("/"));
        api().get("/monitoring/metrics?name=system_disk_usage_percent&node=" + node + "&label=mount=/var").then()
                .body("size()", equalTo(0));
        assertThat(count("select count(*) from metric_sample m join metric_series s on s.id = m.series_id where s.node_id = $1",
                node)).isEqualTo(6);
    }

    @Test
    void nodesAreActiveWhileSamplesArriveAndShowTheirFacts() {
        String node = "node-" + UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        NodeFacts facts = new NodeFacts(node, "worker-7", "vm", "Debian GNU/Linux", "12", "6.1.0", "Test CPU", 8,
                16L * 1024 * 1024 * 1024, List.of(new NodeFacts.Disk("/dev/sda1", "/", "ext4", 100L * 1024 * 1024 * 1024)),
                List.of("10.0.0.7", "fe80::1"), "0.1.0", now);
        TopicProbe.publish(bootstrap, Topic.NODES_INVENTORY.topicName(), node, NodeFacts.TYPE, codec.encode(facts));
        publish(node, now.truncatedTo(ChronoUnit.SECONDS), 1, 12.5);

        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath infrastructure = api().get("/monitoring/infrastructure").then().statusCode(200).extract().jsonPath();
            Map<String, Object> found = infrastructure.getMap("nodes.find { it.id == '" + node + "' }");
            assertThat(found).isNotNull().containsEntry("status", "active").containsEntry("name", "worker-7")
                    .containsEntry("cpu_cores", 8).containsEntry("ip_address", "10.0.0.7").containsEntry("type", "vm");
            assertThat(((Number) found.get("memory_gb")).doubleValue()).isEqualTo(16.0);
            assertThat(infrastructure.getInt("summary.active")).isGreaterThanOrEqualTo(1);
        });
        api().get("/monitoring/nodes/" + node).then().statusCode(200)
                .body("node.hostname", equalTo("worker-7"))
                .body("disks[0].mount", equalTo("/"))
                .body("latest.name", hasItem("system_cpu_usage_percent"));
        api().get("/monitoring/dashboard").then().statusCode(200).body("infrastructure_stats.total_nodes", greaterThanOrEqualTo(1))
                .body("infrastructure_stats.active_nodes", greaterThanOrEqualTo(1));
        api().get("/monitoring/nodes/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void rollupsGiveAggregatedSeriesPerStep() {
        String node = "node-" + UUID.randomUUID();
        OffsetDateTime minute = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).minusMinutes(5);
        publish(node, minute.plusSeconds(0), 1, 10.0);
        publish(node, minute.plusSeconds(20), 2, 30.0);
        publish(node, minute.plusSeconds(40), 3, 20.0);
        publish(node, minute.plusMinutes(1), 4, 50.0);
        await().atMost(WAIT).until(() -> count("select count(*) from metric_series where node_id = $1", node) > 0
                && count("select count(*) from metric_sample m join metric_series s on s.id = m.series_id where s.node_id = $1",
                        node) == 12);
        // Just marked by ingest: the minutes wait for rollup-settle (5 s here) in case more samples reach them.
        rollups.rollUp();
        assertThat(count("select count(*) from metric_rollup_1m r join metric_series s on s.id = r.series_id where s.node_id = $1",
                node)).isZero();
        await().atMost(WAIT).until(() -> rollups.rollUp() >= 0
                && count("select count(*) from metric_rollup_1m r join metric_series s on s.id = r.series_id where s.node_id = $1",
                        node) == 6);

        String query = "/monitoring/metrics?name=system_cpu_usage_percent&node=" + node + "&from=" + minute.minusMinutes(1)
                + "&to=" + minute.plusMinutes(3);
        api().get(query + "&step=1m").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].points.size()", equalTo(2))
                .body("[0].points[0].avg", equalTo(20.0f))
                .body("[0].points[0].min", equalTo(10.0f))
                .body("[0].points[0].max", equalTo(30.0f))
                .body("[0].points[0].last", equalTo(20.0f))
                .body("[0].points[0].samples", equalTo(3))
                .body("[0].points[1].avg", equalTo(50.0f));
        api().get(query + "&step=20s").then().statusCode(200).body("[0].points.size()", equalTo(4));
        api().get("/monitoring/metrics?name=system_cpu_usage_percent&node=" + node + "&hours=2&step=1h").then().statusCode(200)
                .body("[0].points.last().max", equalTo(50.0f));
    }

    @Test
    void batchesFromDaysAgoFindTheirPartitionAndThosePastRetentionAreDropped() {
        String node = "node-" + UUID.randomUUID();
        OffsetDateTime twoDaysAgo = OffsetDateTime.now(ZoneOffset.UTC).minusDays(2).truncatedTo(ChronoUnit.SECONDS);
        publish(node, OffsetDateTime.now(ZoneOffset.UTC).minusDays(30), 1, 1.0);
        publish(node, twoDaysAgo, 2, 2.0);
        await().atMost(WAIT).until(() -> count(
                "select count(*) from metric_sample m join metric_series s on s.id = m.series_id where s.node_id = $1", node) == 3);
        api().get("/monitoring/metrics?name=system_cpu_usage_percent&node=" + node + "&from=" + twoDaysAgo.minusHours(1)
                + "&to=" + twoDaysAgo.plusHours(1)).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].value", equalTo(2.0f));
    }

    @Test
    void recordsThatAreNotBatchesGoToTheDeadLetterTopic() {
        try (TopicProbe dlq = TopicProbe.open(bootstrap, Topic.METRICS_SAMPLES.deadLetterTopic())) {
            String node = "node-" + UUID.randomUUID();
            TopicProbe.publish(bootstrap, Topic.METRICS_SAMPLES.topicName(), node, MetricBatch.TYPE, "{\"node_id\": ");
            TopicProbe.publish(bootstrap, Topic.METRICS_SAMPLES.topicName(), node, "io.devops.something.else", "{}");
            assertThat(dlq.await(TopicProbe.keyed(node), 2, WAIT)).hasSize(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "hours=0", "hours=169", "limit=0", "limit=10001", "step=5s&name=x", "step=8d&name=x",
            "step=soon&name=x", "step=1m", "label=novalue", "from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z", "from=today" })
    void badQueriesAre400(String query) {
        api().get("/monitoring/metrics?" + query).then().statusCode(400).contentType("application/problem+json");
    }

    private String publish(String node, OffsetDateTime at, long sequence, double cpu) {
        return publish(node, at, sequence, cpu, UUID.randomUUID().toString());
    }

    private String publish(String node, OffsetDateTime at, long sequence, double cpu, String eventId) {
        MetricBatch batch = new MetricBatch(node, "worker-7", at, sequence, List.of(
                new MetricBatch.Sample("system_cpu_usage_percent", cpu, Map.of()),
                new MetricBatch.Sample("system_disk_usage_percent", 71.5, Map.of("mount", "/", "device", "/dev/sda1")),
                new MetricBatch.Sample("system_memory_usage_percent", 55.0, Map.of())));
        return TopicProbe.publish(bootstrap, Topic.METRICS_SAMPLES.topicName(), node, MetricBatch.TYPE, codec.encode(batch),
                eventId);
    }

    private long count(String sql, String node) {
        return pool.preparedQuery(sql).execute(Tuple.of(node)).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0);
    }
}
