package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.common.events.MetricBatch;
import io.devops.common.events.Topic;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TopicProbe;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Threshold rules judged on real batches on the broker, in the batches' own time. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ThresholdRulesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void aConditionThatHoldsForItsDurationFiresOnceAndResolvesWhenItFalls() {
        String metric = "test_cpu_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String rule = rule("HighCpu-" + metric, metric, ">", 90, "30s", true);
        String node = "node-" + UUID.randomUUID();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(5);
        // 20 s above the line: not yet; a dip starts it afresh
        publish(node, t0, metric, 95);
        publish(node, t0.plusSeconds(20), metric, 96);
        publish(node, t0.plusSeconds(25), metric, 50);
        publish(node, t0.plusSeconds(30), metric, 97);
        publish(node, t0.plusSeconds(45), metric, 98);
        judged(node, metric, t0.plusSeconds(50));
        assertThat(byTitle("HighCpu-" + metric)).isEmpty();

        publish(node, t0.plusSeconds(60), metric, 99);
        await().atMost(WAIT).untilAsserted(() -> assertThat(byTitle("HighCpu-" + metric)).hasSize(1));
        String id = api().get("/alerts?label=alertname=HighCpu-" + metric).then().extract().path("[0].id");
        api().get("/alerts/" + id).then().body("source", equalTo("threshold")).body("title", equalTo("HighCpu-" + metric))
                .body("severity", equalTo("critical")).body("status", equalTo("open"))
                .body("annotations.value", equalTo("99.0")).body("annotations.threshold", equalTo("> 90.0"))
                .body("metadata.rule_id", equalTo(rule)).body("labels.team", equalTo("infra"))
                .body("labels.node_id", equalTo(node));
        // still above the line: the same alert, not fired again
        publish(node, t0.plusSeconds(75), metric, 99.5);
        publish(node, t0.plusSeconds(90), metric, 40);
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then().body("status", equalTo("resolved"))
                .body("resolved_by", equalTo("threshold")));
        api().get("/alerts/" + id).then().body("fire_count", equalTo(1));
    }

    @Test
    void aFleetWideRuleIsOneAlertUntilTheLastNodeRecovers() {
        String metric = "test_disk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        rule("DiskFull-" + metric, metric, ">=", 0.9, "0s", false);
        String a = "node-a-" + UUID.randomUUID();
        String b = "node-b-" + UUID.randomUUID();
        OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1);
        publish(a, t0, metric, 0.95);
        publish(b, t0, metric, 0.97);
        await().atMost(WAIT).untilAsserted(() -> assertThat(byTitle("DiskFull-" + metric)).hasSize(1));
        publish(a, t0.plusSeconds(15), metric, 0.5);
        publish(b, t0.plusSeconds(15), metric, 0.98);
        judged(a, metric, t0.plusSeconds(16));
        judged(b, metric, t0.plusSeconds(16));
        assertThat(byTitle("DiskFull-" + metric)).containsExactly("open");
        publish(b, t0.plusSeconds(30), metric, 0.6);
        await().atMost(WAIT).untilAsserted(() -> assertThat(byTitle("DiskFull-" + metric)).containsExactly("resolved"));
    }

    @Test
    void invalidRulesAreRefused() {
        int before = api().get("/rules").then().extract().path("size()");
        api().contentType("application/json").body(Map.of("name", "bad rule!", "metric", "", "comparison", "~", "for", "soon",
                "matchers", List.of("cpu=total", "what")))
                .post("/rules").then().statusCode(400).contentType("application/problem+json");
        api().contentType("application/json").body(Map.of("name", "BadRule", "metric", "m", "comparison", ">", "threshold", 1,
                "for", "soon", "matchers", List.of("what"))).post("/rules").then().statusCode(400)
                .body("errors.field", hasItems("for", "matchers[0]"));
        rule("Taken-" + UUID.randomUUID().toString().substring(0, 8), "m", ">", 1, "0s", true);
        String taken = api().get("/rules").then().extract().path("[0].name");
        api().contentType("application/json").body(Map.of("name", taken, "metric", "m", "comparison", ">", "threshold", 1))
                .post("/rules").then().statusCode(409);
        api().get("/rules/" + UUID.randomUUID()).then().statusCode(404);
        api().get("/rules").then().body("size()", equalTo(before + 1));
    }

    @Test
    void aRuleIsReplacedAndDeleted() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String id = rule("Replaced-" + suffix, "m", ">", 1, "0s", true);
        String created = api().get("/rules/" + id).then().extract().path("created_at");
        rule("Other-" + suffix, "m", ">", 1, "0s", true);
        api().contentType("application/json").body(Map.of("name", "Other-" + suffix, "metric", "m", "comparison", ">",
                "threshold", 1)).put("/rules/" + id).then().statusCode(409).body("detail", equalTo("a rule named 'Other-"
                        + suffix + "' exists"));
        api().contentType("application/json").body(Map.of("name", "Replaced-" + suffix, "metric", "m2", "comparison", "<",
                "threshold", 2.5, "for", "5m", "matchers", List.of("cpu=\"total\""), "group_by", List.of("mountpoint"),
                "annotations", Map.of("summary", "low"), "enabled", false)).put("/rules/" + id).then().statusCode(200)
                .body("metric", equalTo("m2")).body("comparison", equalTo("<")).body("threshold", equalTo(2.5f))
                .body("for", equalTo("5m")).body("severity", equalTo("warning")).body("per_node", equalTo(true))
                .body("enabled", equalTo(false));
        api().get("/rules/" + id).then().statusCode(200).body("metric", equalTo("m2")).body("matchers", equalTo(List.of("cpu=\"total\"")))
                .body("group_by", equalTo(List.of("mountpoint"))).body("labels", equalTo(Map.of()))
                .body("annotations.summary", equalTo("low")).body("enabled", equalTo(false)).body("created_at", equalTo(created));
        api().contentType("application/json").body(Map.of("name", "Gone-" + suffix, "metric", "m", "comparison", ">",
                "threshold", 1)).put("/rules/" + UUID.randomUUID()).then().statusCode(404);
        api().delete("/rules/" + id).then().statusCode(204);
        api().get("/rules/" + id).then().statusCode(404);
        api().delete("/rules/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("detail", equalTo("no rule with id " + id));
    }

    private static String rule(String name, String metric, String comparison, double threshold, String forDuration, boolean perNode) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("metric", metric);
        body.put("matchers", List.of("cpu=\"total\""));
        body.put("comparison", comparison);
        body.put("threshold", threshold);
        body.put("for", forDuration);
        body.put("severity", "critical");
        body.put("per_node", perNode);
        body.put("labels", Map.of("team", "infra"));
        return api().contentType("application/json").body(body).post("/rules").then().statusCode(201)
                .body("for", equalTo(forDuration)).extract().path("id");
    }

    /**
     * Returns once the node's batches published so far are judged: a batch after them on the same
     * partition fires a marker rule's alert for the node.
     */
    private void judged(String node, String metric, OffsetDateTime at) {
        String seen = "Seen-" + metric;
        if (api().get("/rules").then().extract().<List<String>>path("name").stream().noneMatch(seen::equals)) {
            rule(seen, metric + "_seen", ">", 0, "0s", true);
        }
        publish(node, at, metric + "_seen", 1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(api().get("/alerts?label=alertname=" + seen + "&label=node_id=" + node)
                .then().extract().<List<String>>path("status")).containsExactly("open"));
        publish(node, at, metric + "_seen", 0);
        await().atMost(WAIT).untilAsserted(() -> assertThat(api().get("/alerts?label=alertname=" + seen + "&label=node_id=" + node)
                .then().extract().<List<String>>path("status")).containsExactly("resolved"));
    }

    private List<String> byTitle(String title) {
        return api().get("/alerts?label=alertname=" + title).then().statusCode(200).extract().path("status");
    }

    private void publish(String node, OffsetDateTime at, String metric, double value) {
        String body = "{\"node_id\": \"" + node + "\", \"hostname\": \"" + node + ".example\", \"collected_at\": \"" + at
                + "\", \"sequence\": " + SEQUENCE.incrementAndGet() + ", \"samples\": [{\"name\": \"" + metric + "\", \"value\": "
                + value + ", \"labels\": {\"cpu\": \"total\"}}, {\"name\": \"" + metric + "\", \"value\": 100,"
                + " \"labels\": {\"cpu\": \"3\"}}]}";
        TopicProbe.publish(bootstrap, Topic.METRICS_SAMPLES.topicName(), node, MetricBatch.TYPE, body);
    }
}
