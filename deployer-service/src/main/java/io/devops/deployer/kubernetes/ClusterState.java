package io.devops.deployer.kubernetes;

import java.util.Map;
import java.util.Optional;

/**
 * What a rollout sees of its service in the cluster: the Deployments it owns, by name, and the
 * colour the Service sends traffic to (null when there is no Service yet).
 */
public record ClusterState(Map<String, Workload> workloads, String serviceColor) {

    public static final ClusterState EMPTY = new ClusterState(Map.of(), null);

    public ClusterState {
        workloads = Map.copyOf(workloads);
    }

    public Optional<Workload> workload(String name) {
        return Optional.ofNullable(workloads.get(name));
    }
}
