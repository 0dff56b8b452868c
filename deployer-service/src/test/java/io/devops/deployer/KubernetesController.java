package io.devops.deployer;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Plays Kubernetes' Deployment controller against fabric8's mock API server (CRUD mode has none),
 * from a watch, as the real one does: a Deployment whose spec it has not seen yet gets a status saying every replica is updated and
 * available, unless its image is one {@link #neverReady} names; those get the condition the real
 * controller sets when the progress deadline passes.
 */
final class KubernetesController implements AutoCloseable {
    private final KubernetesClient client;
    private final Set<String> brokenImages = ConcurrentHashMap.newKeySet();
    private final Set<String> heldImages = ConcurrentHashMap.newKeySet();
    private final Watch watch;

    KubernetesController(KubernetesClient client) {
        this.client = client;
        this.watch = client.apps().deployments().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    reconcileQuietly(deployment);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the test, or the mock server stopping with it
            }
        });
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
        client.apps().deployments().inAnyNamespace().list().getItems().forEach(this::reconcileQuietly);
    }

    private void reconcileQuietly(Deployment deployment) {
        try {
            reconcile(deployment);
        } catch (RuntimeException e) {
            // A conflict with the deployer's own edit: that edit's event brings the Deployment back here.
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
        watch.close();
    }
}
