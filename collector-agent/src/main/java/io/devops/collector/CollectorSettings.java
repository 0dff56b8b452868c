package io.devops.collector;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The agent's settings, under {@code collector.*}: environment variables ({@code COLLECTOR_INTERVAL})
 * or the file {@code config/application.properties} in the working directory (in the container a
 * mounted ConfigMap).
 */
@ConfigMapping(prefix = "collector")
public interface CollectorSettings {

    /** The node's stable id; by default the host's machine id, else a hash of its host name. */
    Optional<String> nodeId();

    /** {@code server}, {@code vm} or {@code container}. */
    @WithDefault("server")
    String nodeType();

    /** How often the host is read and a batch is published. */
    @WithDefault("15s")
    Duration interval();

    /** How many processes are reported by CPU and by memory. */
    @WithDefault("5")
    int topProcesses();

    /** How often the node's facts are published again (they are also published at start). */
    @WithDefault("5m")
    Duration inventoryInterval();

    Host host();

    Buffer buffer();

    /** Where the host's kernel interfaces are: in a container, the host's {@code /proc} and {@code /sys} mounted read-only. */
    interface Host {
        @WithDefault("/proc")
        String procPath();

        @WithDefault("/sys")
        String sysPath();

        /** Read for the default node id: the host's {@code /etc/machine-id}. */
        @WithDefault("/etc/machine-id")
        Path machineIdFile();
    }

    /** The disk buffer batches wait in until Kafka acknowledges them. */
    interface Buffer {
        @WithDefault("data/buffer")
        Path directory();

        /** Beyond this the oldest batches are dropped (and counted). */
        @WithDefault("256M")
        MemorySize maxSize();

        /** Batches older than this are dropped (and counted): they no longer tell anyone anything useful. */
        @WithDefault("24h")
        Duration maxAge();

        /** A segment file is closed and a new one begun at this size. */
        @WithDefault("4M")
        MemorySize segmentSize();
    }
}
