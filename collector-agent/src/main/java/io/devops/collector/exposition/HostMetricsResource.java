package io.devops.collector.exposition;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import io.devops.collector.HostCollector;
import io.devops.common.events.MetricBatch.Sample;

/**
 * {@code GET /metrics}: the latest reading of the host in the Prometheus text format, so that a
 * Prometheus can scrape the agent in place of node_exporter. The agent's own metrics stay at
 * {@code /q/metrics}.
 */
@Path("/metrics")
public class HostMetricsResource {
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Counters: cumulative since the host or interface started. Everything else is a gauge. */
    private static final List<String> COUNTER_SUFFIXES = List.of("_bytes_sent", "_bytes_recv", "_packets_sent",
            "_packets_recv", "_errors_in", "_errors_out", "_drops_in", "_io_read_bytes", "_io_write_bytes", "_io_reads",
            "_io_writes", "_io_time_ms");

    private final HostCollector collector;

    HostMetricsResource(HostCollector collector) {
        this.collector = collector;
    }

    @GET
    @Produces(PROMETHEUS_TEXT)
    public Response scrape() {
        HostCollector.Reading reading = collector.latest();
        if (reading == null) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).entity("# no reading of the host yet\n").build();
        }
        Map<String, StringBuilder> families = new TreeMap<>();
        String node = collector.nodeId();
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
        return Response.ok(body.toString()).build();
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
