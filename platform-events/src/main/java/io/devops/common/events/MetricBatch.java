package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a {@code metrics.samples} event: one collection interval of one node. */
@RegisterForReflection
public record MetricBatch(String nodeId, String hostname, OffsetDateTime collectedAt, long sequence, List<Sample> samples) {

    public static final String TYPE = "io.devops.collector.metrics.batch";

    /** What every {@code metrics.samples} consumer may rely on. */
    public static final EventContract<MetricBatch> CONTRACT = EventContract.of(MetricBatch.class, TYPE)
            .requires("node_id", MetricBatch::nodeId)
            .requires("collected_at", MetricBatch::collectedAt)
            .requires("samples", MetricBatch::samples);

    @RegisterForReflection
    public record Sample(String name, double value, Map<String, String> labels) {
    }
}
