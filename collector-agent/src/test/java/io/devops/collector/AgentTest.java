package io.devops.collector;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.collector.collection.HostCollector;
import io.devops.common.events.CloudEventHeaders;
import io.devops.common.events.MetricBatch;
import io.devops.common.events.NodeFacts;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.LocalKafkaBroker;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The agent against a real broker: batches, node facts, the Prometheus view, and a broker outage ridden out on disk. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class AgentTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    HostCollector collector;

    @Test
    void publishesBatchesAndFactsKeyedByTheNode() throws Exception {
        try (TopicProbe samples = TopicProbe.open(bootstrap, Topic.METRICS_SAMPLES.topicName());
                TopicProbe inventory = TopicProbe.open(bootstrap, Topic.NODES_INVENTORY.topicName())) {
            List<ConsumerRecord<String, String>> batches = samples.await(TopicProbe.keyed(collector.nodeId()), 2, WAIT);
            ConsumerRecord<String, String> batch = batches.get(batches.size() - 1);
            assertThat(TopicProbe.header(batch, CloudEventHeaders.TYPE)).isEqualTo(MetricBatch.TYPE);
            JsonNode body = JSON.readTree(batch.value());
            assertThat(body.get("node_id").asText()).isEqualTo(collector.nodeId());
            assertThat(body.get("sequence").asLong()).isPositive();
            assertThat(body.get("samples").findValuesAsText("name")).contains("system_cpu_usage_percent",
                    "system_memory_usage_percent", "system_disk_usage_percent", "system_network_bytes_recv", "system_load_1m",
                    "system_processes_total", "process_cpu_usage_percent");

            ConsumerRecord<String, String> facts = inventory.await(TopicProbe.keyed(collector.nodeId()), 1, WAIT).get(0);
            assertThat(TopicProbe.header(facts, CloudEventHeaders.TYPE)).isEqualTo(NodeFacts.TYPE);
            JsonNode node = JSON.readTree(facts.value());
            assertThat(node.get("cpu_cores").asInt()).isPositive();
            assertThat(node.get("memory_bytes").asLong()).isPositive();
            assertThat(node.get("hostname").asText()).isNotBlank();
            assertThat(node.get("os_family").asText()).isNotBlank();
            assertThat(node.get("agent_version").asText()).isEqualTo("0.1.0-SNAPSHOT");
        }
    }

    @Test
    void servesTheHostToPrometheusAndItsOwnMetrics() {
        await().atMost(WAIT).untilAsserted(() -> given().get("/metrics").then().statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE system_cpu_usage_percent gauge"))
                .body(containsString("# TYPE system_network_bytes_recv counter"))
                .body(containsString("node_id=\"" + collector.nodeId() + "\"")));
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].name", equalTo("host-collection"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("collector_buffer_batches"))
                .body(containsString("collector_batches_sent_total"))
                .body(containsString("collector_collection_seconds"));
        given().get("/q/openapi").then().statusCode(200).contentType(containsString("yaml"))
                .body(containsString("/metrics:")).body(containsString("version: 0.1.0-SNAPSHOT"));
    }

    @Test
    void ridesOutABrokerOutageOnDiskAndSendsEverythingInOrder() throws Exception {
        LocalKafkaBroker broker = KafkaBrokerResource.broker();
        try (TopicProbe samples = TopicProbe.open(bootstrap, Topic.METRICS_SAMPLES.topicName())) {
            broker.stop();
            try {
                await().atMost(WAIT).until(() -> collector.bufferedBatches() >= 3);
                given().get("/q/health/ready").then().statusCode(200);
            } finally {
                broker.start();
            }
            await().atMost(WAIT).until(() -> collector.bufferedBatches() == 0);
            List<ConsumerRecord<String, String>> received = TopicProbe.distinctEvents(samples.drain(Duration.ofSeconds(2)))
                    .stream().filter(TopicProbe.keyed(collector.nodeId())).toList();
            List<Long> sequences = received.stream().map(AgentTest::sequence).toList();
            assertThat(sequences).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates();
            for (int i = 1; i < sequences.size(); i++) {
                assertThat(sequences.get(i)).as("no batch missing").isEqualTo(sequences.get(i - 1) + 1);
            }
        }
    }

    private static long sequence(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value()).get("sequence").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
