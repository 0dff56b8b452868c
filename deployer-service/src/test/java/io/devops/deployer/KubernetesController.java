package io.devops.deployer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Plays Kubernetes' Deployment controller against fabric8's mock API server (CRUD mode has none):
 * a Deployment whose spec it has not seen yet gets a status saying every replica is updated and
 * available, unless its image is one {@link #neverReady} names; those get the condition the real
 * controller sets when the progress deadline passes.
 */
final class KubernetesController implements AutoCloseable {
    private final KubernetesClient client;
    private final Set<String> brokenImages = ConcurrentHashMap.newKeySet();
    private final Set<String> heldImages = ConcurrentHashMap.newKeySet();
    private final Thread loop;
    private volatile boolean running = true;

    KubernetesController(KubernetesClient client) {
        this.client = client;
        this.loop = new Thread(this::run, "fake-deployment-controller");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /** Pods of this image never become ready: the rollout exceeds its progress deadline. */
    void neverReady(String image) {
        brokenImages.add(image);
    }

    /** Pods of this image stay unready until {@link #release}: the rollout waits. */
    void hold(String image) {
        heldImages.add(image);
    }

    void release(String image) {
        heldImages.remove(image);
    }

    private void run() {
        while (running) {
            try {
                for (Deployment deployment : client.apps().deployments().inAnyNamespace().list().getItems()) {
                    reconcile(deployment);
                }
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The mock server may answer a conflict while the deployer edits the same object: try again.
            }
        }
    }

    private void reconcile(Deployment deployment) {
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        DeploymentStatus status = deployment.getStatus();
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        String image = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        boolean seen = status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                && status.getReplicas() != null && status.getReplicas() == replicas;
        if (seen || heldImages.contains(image)) {
            return;
        }
        DeploymentStatus next;
        if (brokenImages.contains(image)) {
            next = new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withAvailableReplicas(0).withReadyReplicas(0).withUnavailableReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                            .withReason("ProgressDeadlineExceeded")
                            .withMessage("ReplicaSet \"" + deployment.getMetadata().getName() + "\" has timed out progressing.")
                            .build())
                    .build();
        } else {
            next = new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas).withUpdatedReplicas(replicas)
                    .withAvailableReplicas(replicas).withReadyReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                            .withReason("NewReplicaSetAvailable").build())
                    .build();
        }
        deployment.setStatus(next);
        client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(deployment).updateStatus();
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
    }
}
