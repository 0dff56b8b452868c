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

    @RegisterForReflection
    public record Disk(String name, String mount, String fsType, long totalBytes) {
    }
}
