package io.devops.deployer.kubernetes;

/**
 * A Deployment as the cluster reports it. It has finished rolling out when the controller has
 * seen its latest spec ({@code observedGeneration}) and every replica runs that spec and is
 * available, with no old replica left; it has failed when its progress deadline passed.
 */
public record Workload(String name, WorkloadTemplate template, String version, int replicas, long generation, long observedGeneration,
        int statusReplicas, int updatedReplicas, int availableReplicas, boolean deadlineExceeded, String message) {

    public boolean rolledOut() {
        return observedGeneration >= generation && updatedReplicas >= replicas && availableReplicas >= replicas
                && statusReplicas <= replicas;
    }

    public String image() {
        return template == null ? null : template.image();
    }
}
