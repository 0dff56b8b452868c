package io.devops.deployer.kubernetes;

/** A change a rollout makes to its service's objects; each says the state it wants, so repeating one is harmless. */
public sealed interface ClusterAction {

    /** The Deployment {@code name} (colour and track) runs {@code template} with {@code replicas}. */
    record ApplyWorkload(String name, String color, String track, WorkloadTemplate template, int replicas, String version,
            int progressDeadlineSeconds) implements ClusterAction {
    }

    /** The Deployment {@code name} runs {@code replicas}, whatever it runs. */
    record Scale(String name, int replicas) implements ClusterAction {
    }

    /** The Deployment {@code name} is gone. */
    record Delete(String name) implements ClusterAction {
    }

    /** The Service sends traffic to the pods of {@code color}. */
    record RouteTo(String color, int port) implements ClusterAction {
    }
}
