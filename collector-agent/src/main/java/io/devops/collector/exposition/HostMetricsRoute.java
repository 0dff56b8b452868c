package io.devops.collector.exposition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.devops.collector.collection.HostCollector;
import io.devops.common.events.MetricBatch.Sample;
import io.vertx.ext.web.Router;

/**
 * {@code GET /metrics}: the latest reading of the host in the Prometheus text format, so that a
 * Prometheus can scrape the agent in place of node_exporter. The agent's own metrics stay at
 * {@code /q/metrics}. A plain Vert.x route rather than a JAX-RS resource: the agent runs on every
 * node, and a REST stack for one endpoint would cost it several MB of memory (docs/benchmarks.md).
 */
@ApplicationScoped
public class HostMetricsRoute {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Counters: cumulative since the host or interface started. Everything else is a gauge. */
    private static final List<String> COUNTER_SUFFIXES = List.of("_bytes_sent", "_bytes_recv", "_packets_sent",
            "_packets_recv", "_errors_in", "_errors_out", "_drops_in", "_io_read_bytes", "_io_write_bytes", "_io_reads",
            "_io_writes", "_io_time_ms");

    void routes(@Observes Router router, HostCollector collector) {
        router.get("/metrics").handler(context -> {
            HostCollector.Reading reading = collector.latest();
            if (reading == null) {
                context.response().setStatusCode(503).putHeader("content-type", PROMETHEUS_TEXT)
                        .end("# no reading of the host yet\n");
                return;
            }
            context.response().putHeader("content-type", PROMETHEUS_TEXT).end(render(reading, collector.nodeId()));
        });
    }

    static String render(HostCollector.Reading reading, String node) {
        Map<String, StringBuilder> families = new TreeMap<>();
        for (Sample sample : reading.samples()) {
            StringBuilder family = families.computeIfAbsent(sample.name(), name -> new StringBuilder()
                    .append("# TYPE ").append(name).append(isCounter(name) ? " counter" : " gauge").append('\n'));
            Map<String, String> labels = new LinkedHashMap<>(new TreeMap<>(sample.labels()));
            labels.put("node_id", node);
            family.append(sample.name()).append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!first) {
                    family.append(',');
                }
                first = false;
                family.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
            }
            family.append("} ").append(format(sample.value())).append('\n');
        }
        StringBuilder body = new StringBuilder(16 * 1024);
        families.values().forEach(body::append);
        return body.toString();
    }

    private static boolean isCounter(String name) {
        return COUNTER_SUFFIXES.stream().anyMatch(name::endsWith);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
