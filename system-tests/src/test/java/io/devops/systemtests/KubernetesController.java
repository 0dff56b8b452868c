package io.devops.systemtests;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

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
    private final Thread loop;
    private volatile boolean running = true;

    KubernetesController(KubernetesClient client) {
        this.client = client;
        this.loop = new Thread(this::run, "fake-deployment-controller");
        this.loop.setDaemon(true);
        this.loop.start();
    }

    /** Calls {@code watcher} with true once {@code <app>-canary} has ready replicas, with false once it has none or is gone. */
    void watchCanary(String app, Consumer<Boolean> watcher) {
        canaryReady.put(app, false);
        canaryWatchers.put(app, watcher);
    }

    private void run() {
        while (running) {
            try {
                Map<String, Boolean> ready = new HashMap<>();
                for (Deployment deployment : client.apps().deployments().inAnyNamespace().list().getItems()) {
                    DeploymentStatus status = reconcile(deployment);
                    String name = deployment.getMetadata().getName();
                    if (name.endsWith("-canary")) {
                        ready.put(name.substring(0, name.length() - "-canary".length()),
                                status.getReadyReplicas() != null && status.getReadyReplicas() > 0);
                    }
                }
                canaryWatchers.forEach((app, watcher) -> {
                    boolean now = ready.getOrDefault(app, false);
                    if (!Boolean.valueOf(now).equals(canaryReady.put(app, now))) {
                        watcher.accept(now);
                    }
                });
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The mock server may answer a conflict while the deployer edits the same object: try again.
            }
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
        running = false;
        loop.interrupt();
    }
}
