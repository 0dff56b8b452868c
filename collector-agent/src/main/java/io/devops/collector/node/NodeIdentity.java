package io.devops.collector.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.devops.collector.CollectorSettings;

/**
 * The node's stable id: configured, else the host's machine id (stable across reboots and agent
 * restarts, and distinct per node), else a name-based UUID of the host name.
 */
public final class NodeIdentity {
    private NodeIdentity() {
    }

    public static String resolve(CollectorSettings settings, String hostname) {
        if (settings.nodeId().isPresent() && !settings.nodeId().get().isBlank()) {
            return settings.nodeId().get().trim();
        }
        Path machineId = settings.host().machineIdFile();
        try {
            if (Files.isReadable(machineId)) {
                String id = Files.readString(machineId).trim();
                if (!id.isEmpty()) {
                    return id;
                }
            }
        } catch (IOException e) {
            // fall through to the host name
        }
        return UUID.nameUUIDFromBytes(hostname.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
