package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of a {@code nodes.inventory} event: what a node is, keyed by its stable node id. */
@RegisterForReflection
public record NodeFacts(
        String nodeId,
        String hostname,
        String type,
        String osFamily,
        String osVersion,
        String kernel,
        String cpuModel,
        int cpuCores,
        long memoryBytes,
        List<Disk> disks,
        List<String> ipAddresses,
        String agentVersion,
        OffsetDateTime reportedAt) {

    public static final String TYPE = "io.devops.collector.node.facts";

    /** What every {@code nodes.inventory} consumer may rely on. */
    public static final EventContract<NodeFacts> CONTRACT = EventContract.of(NodeFacts.class, TYPE)
            .requires("node_id", NodeFacts::nodeId)
            .requires("hostname", NodeFacts::hostname)
            .requires("reported_at", NodeFacts::reportedAt);

    @RegisterForReflection
    public record Disk(String name, String mount, String fsType, long totalBytes) {
    }
}
