package io.devops.common.events;

/**
 * The Kafka topics of the platform, as DESIGN.md fixes them. The local platform script creates
 * them from {@code tools/topics} and a test checks that the two lists agree.
 */
public enum Topic {
    REGISTRY_SERVICES("registry.services", 12, true),
    MONITORING_HEALTH("monitoring.health", 12, false),
    METRICS_SAMPLES("metrics.samples", 12, false),
    NODES_INVENTORY("nodes.inventory", 6, true),
    DEPLOYER_DEPLOYMENTS("deployer.deployments", 6, false),
    ALERTING_ALERTS("alerting.alerts", 6, false);

    private final String topicName;
    private final int partitions;
    private final boolean compacted;

    Topic(String topicName, int partitions, boolean compacted) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.compacted = compacted;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    public boolean compacted() {
        return compacted;
    }

    /** Where a consumer of this topic sends what it cannot process. */
    public String deadLetterTopic() {
        return topicName + ".dlq";
    }
}
