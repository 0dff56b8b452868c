package io.devops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.security.Roles;
import io.devops.common.testing.Tokens;

/**
 * The metrics pipeline end to end, every part a process: the collector agent reads this machine
 * and ships to the broker, monitoring-service stores it in PostgreSQL, and the query paths show it.
 */
class MetricsPipelineIT {
    private static final String TOKEN = Tokens.issue("system-test", Roles.VIEWER);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NODE_ID = Pattern.compile("node_id=\"([^\"]+)\"");

    @Test
    void hostMetricsFlowFromTheAgentToTheQueryPaths() throws Exception {
        Path buffer = Files.createTempDirectory("collector-buffer");
        Map<String, String> agentSettings = Map.of("kafka.bootstrap.servers", TestPlatform.bootstrap(),
                "collector.buffer.directory", buffer.toString(), "collector.interval", "2s",
                "collector.inventory-interval", "5s");
        try (ServiceProcess monitoring = ServiceProcess.start("monitoring-service", "monitoring-metrics",
                TestPlatform.settings("monitoring", true));
                ServiceProcess agent = ServiceProcess.start("collector-agent", "collector-agent", agentSettings)) {
            Matcher matcher = NODE_ID.matcher(agent.get("/metrics", null).body());
            assertThat(matcher.find()).isTrue();
            String node = matcher.group(1);

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode infrastructure = JSON.readTree(monitoring.get("/monitoring/infrastructure", TOKEN).body());
                JsonNode found = null;
                for (JsonNode n : infrastructure.get("nodes")) {
                    if (n.get("id").asText().equals(node)) {
                        found = n;
                    }
                }
                assertThat(found).isNotNull();
                assertThat(found.get("status").asText()).isEqualTo("active");
                assertThat(found.get("cpu_cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
                assertThat(found.get("memory_gb").asDouble()).isPositive();
            });
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode metrics = JSON.readTree(monitoring.get("/monitoring/metrics?name=system_cpu_usage_percent&node=" + node,
                        TOKEN).body());
                assertThat(metrics.size()).isGreaterThanOrEqualTo(2);
                assertThat(metrics.get(0).get("value").asDouble()).isBetween(0.0, 100.0);
            });
            JsonNode detail = JSON.readTree(monitoring.get("/monitoring/nodes/" + node, TOKEN).body());
            assertThat(detail.get("latest").findValuesAsText("name")).contains("system_memory_usage_percent",
                    "system_disk_usage_percent", "process_memory_rss_bytes");
            JsonNode dashboard = JSON.readTree(monitoring.get("/monitoring/dashboard", TOKEN).body());
            assertThat(dashboard.get("infrastructure_stats").get("active_nodes").asInt()).isGreaterThanOrEqualTo(1);
        }
    }
}
