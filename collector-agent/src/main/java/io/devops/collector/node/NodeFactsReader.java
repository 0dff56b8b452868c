package io.devops.collector.node;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.devops.collector.host.HostSampler;
import io.devops.common.events.NodeFacts;
import oshi.hardware.NetworkIF;
import oshi.software.os.OperatingSystem;

/** What a node is: the body of its {@code nodes.inventory} record. */
public final class NodeFactsReader {
    private NodeFactsReader() {
    }

    public static NodeFacts read(HostSampler sampler, String nodeId, String nodeType, String agentVersion) {
        OperatingSystem os = sampler.os();
        List<NodeFacts.Disk> disks = sampler.realFileSystems().stream()
                .map(fs -> new NodeFacts.Disk(fs.getVolume(), fs.getMount(), fs.getType(), fs.getTotalSpace())).toList();
        List<String> addresses = new ArrayList<>();
        for (NetworkIF nic : sampler.hardware().getNetworkIFs(false)) {
            if (nic.queryNetworkInterface() != null && !isLoopback(nic)) {
                addresses.addAll(List.of(nic.getIPv4addr()));
                addresses.addAll(List.of(nic.getIPv6addr()));
            }
        }
        var processor = sampler.hardware().getProcessor();
        return new NodeFacts(nodeId, os.getNetworkParams().getHostName(), nodeType, os.getFamily(),
                os.getVersionInfo().getVersion(), os.getVersionInfo().getBuildNumber(),
                processor.getProcessorIdentifier().getName().trim(), processor.getLogicalProcessorCount(),
                sampler.hardware().getMemory().getTotal(), disks, addresses, agentVersion, OffsetDateTime.now(ZoneOffset.UTC));
    }

    private static boolean isLoopback(NetworkIF nic) {
        try {
            return nic.queryNetworkInterface().isLoopback();
        } catch (java.net.SocketException e) {
            return false;
        }
    }
}
