package io.devops.systemtests;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;

/**
 * Plays Kubernetes' Deployment controller against fabric8's mock API server (CRUD mode has none):
 * a Deployment whose spec it has not seen yet gets a status saying every replica is updated, ready
 * and available. It also stands in for the pods' effect on traffic: it tells a watcher of an app
 * when that app's canary Deployment comes to have ready replicas, and when it is gone again.
 */
final class KubernetesController implements AutoCloseable {
    private final KubernetesClient client;
    private final Map<String, Consumer<Boolean>> canaryWatchers = new ConcurrentHashMap<>();
    private final Map<String, Boolean> canaryReady = new ConcurrentHashMap<>();
    private final Watch watch;

    KubernetesController(KubernetesClient client) {
        this.client = client;
        this.watch = client.apps().deployments().inAnyNamespace().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                try {
                    boolean gone = action == Action.DELETED;
                    DeploymentStatus status = gone ? null : reconcile(deployment);
                    String name = deployment.getMetadata().getName();
                    if (name.endsWith("-canary")) {
                        canaryChanged(name.substring(0, name.length() - "-canary".length()),
                                !gone && status.getReadyReplicas() != null && status.getReadyReplicas() > 0);
                    }
                } catch (RuntimeException e) {
                    // A conflict with the deployer's own edit: that edit's event brings the Deployment back here.
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                // closed by the test, or the mock server stopping with it
            }
        });
    }

    /** Calls {@code watcher} with true once {@code <app>-canary} has ready replicas, with false once it has none or is gone. */
    void watchCanary(String app, Consumer<Boolean> watcher) {
        canaryReady.put(app, false);
        canaryWatchers.put(app, watcher);
    }

    private void canaryChanged(String app, boolean ready) {
        Consumer<Boolean> watcher = canaryWatchers.get(app);
        if (watcher != null && !Boolean.valueOf(ready).equals(canaryReady.put(app, ready))) {
            watcher.accept(ready);
        }
    }

    /** Writes the status of a Deployment whose spec changed; returns the status it has now. */
    private DeploymentStatus reconcile(Deployment deployment) {
        long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
        DeploymentStatus status = deployment.getStatus();
        int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        boolean seen = status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                && status.getReplicas() != null && status.getReplicas() == replicas;
        if (seen) {
            return status;
        }
        DeploymentStatus next = new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).withReadyReplicas(replicas)
                .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                        .withReason("NewReplicaSetAvailable").build())
                .build();
        deployment.setStatus(next);
        client.apps().deployments().inNamespace(deployment.getMetadata().getNamespace()).resource(deployment).updateStatus();
        return next;
    }

    @Override
    public void close() {
        watch.close();
    }
}
