package io.devops.deployer.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.devops.deployer.DeployerSettings;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The deployer's one door to the cluster (fabric8, blocking: call it from a worker thread). It
 * reads and changes only what it labels as its own, in the namespaces of its environments.
 */
@ApplicationScoped
public class Cluster {
    private final KubernetesClient client;
    private final DeployerSettings settings;
    private final boolean configured;

    Cluster(KubernetesClient client, DeployerSettings settings,
            @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url") Optional<String> apiServer) {
        this.client = client;
        this.settings = settings;
        // The places fabric8 itself takes a cluster from: configuration, its master property, in-cluster, kubeconfig.
        this.configured = settings.kubernetes().enabled() && (apiServer.isPresent()
                || System.getProperty("kubernetes.master") != null || System.getenv("KUBERNETES_MASTER") != null
                || System.getenv("KUBERNETES_SERVICE_HOST") != null || kubeconfig().map(Files::isRegularFile).orElse(false));
    }

    /** Whether there is a cluster to deploy to: a kubeconfig, an in-cluster account or a configured API server. */
    public boolean configured() {
        return configured;
    }

    public Manifests manifests(String serviceName) {
        return new Manifests(Manifests.appName(serviceName), settings.kubernetes().managedBy(),
                settings.kubernetes().imagePullSecret().orElse(null));
    }

    /** The Deployments of {@code app} that the deployer owns, and where its Service points. */
    public ClusterState observe(String namespace, String app) {
        Map<String, Workload> workloads = new HashMap<>();
        for (Deployment deployment : client.apps().deployments().inNamespace(namespace).withLabel(Manifests.NAME, app)
                .withLabel(Manifests.MANAGED_BY, settings.kubernetes().managedBy()).list().getItems()) {
            workloads.put(deployment.getMetadata().getName(), workload(deployment));
        }
        Service service = client.services().inNamespace(namespace).withName(app).get();
        String color = service == null || service.getSpec() == null || service.getSpec().getSelector() == null ? null
                : service.getSpec().getSelector().get(Manifests.COLOR);
        return new ClusterState(workloads, color);
    }

    public void apply(String namespace, Manifests manifests, ClusterAction action, String deploymentId) {
        var deployments = client.apps().deployments().inNamespace(namespace);
        if (action instanceof ClusterAction.ApplyWorkload apply) {
            Deployment wanted = manifests.workload(namespace, apply, deploymentId);
            var resource = deployments.withName(apply.name());
            if (resource.get() == null) {
                deployments.resource(wanted).create();
            } else {
                resource.edit(live -> {
                    live.getMetadata().setLabels(wanted.getMetadata().getLabels());
                    live.getMetadata().setAnnotations(wanted.getMetadata().getAnnotations());
                    live.getSpec().setReplicas(wanted.getSpec().getReplicas());
                    live.getSpec().setProgressDeadlineSeconds(wanted.getSpec().getProgressDeadlineSeconds());
                    live.getSpec().setTemplate(wanted.getSpec().getTemplate());
                    return live;
                });
            }
        } else if (action instanceof ClusterAction.Scale scale) {
            var resource = deployments.withName(scale.name());
            if (resource.get() != null) {
                resource.edit(live -> {
                    live.getSpec().setReplicas(scale.replicas());
                    return live;
                });
            }
        } else if (action instanceof ClusterAction.Delete delete) {
            deployments.withName(delete.name()).delete();
        } else if (action instanceof ClusterAction.RouteTo route) {
            var resource = client.services().inNamespace(namespace).withName(manifests.app());
            if (resource.get() == null) {
                client.services().inNamespace(namespace).resource(manifests.service(namespace, route.color(), route.port()))
                        .create();
            } else {
                resource.edit(live -> {
                    live.getSpec().setSelector(manifests.serviceSelector(route.color()));
                    return live;
                });
            }
        }
    }

    /** Whether retrying can help: the API server was away or busy, or an object changed under us. */
    public static boolean transientFault(KubernetesClientException e) {
        int code = e.getCode();
        return code == 0 || code == 409 || code == 429 || code >= 500;
    }

    static Workload workload(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        boolean deadlineExceeded = false;
        String message = null;
        if (status.getConditions() != null) {
            for (DeploymentCondition condition : status.getConditions()) {
                if ("Progressing".equals(condition.getType()) && "False".equals(condition.getStatus())
                        && "ProgressDeadlineExceeded".equals(condition.getReason())) {
                    deadlineExceeded = true;
                    message = condition.getMessage();
                } else if ("ReplicaFailure".equals(condition.getType()) && "True".equals(condition.getStatus())) {
                    message = condition.getMessage();
                }
            }
        }
        Long generation = deployment.getMetadata().getGeneration();
        Integer replicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        var podAnnotations = deployment.getSpec() == null || deployment.getSpec().getTemplate() == null
                || deployment.getSpec().getTemplate().getMetadata() == null ? null
                        : deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        String version = podAnnotations == null ? null : podAnnotations.get(Manifests.VERSION);
        return new Workload(deployment.getMetadata().getName(), Manifests.template(deployment), version,
                replicas == null ? 1 : replicas,
                generation == null ? 0 : generation, status.getObservedGeneration() == null ? 0 : status.getObservedGeneration(),
                value(status.getReplicas()), value(status.getUpdatedReplicas()), value(status.getAvailableReplicas()),
                deadlineExceeded, message);
    }

    private static int value(Integer count) {
        return count == null ? 0 : count;
    }

    private static Optional<Path> kubeconfig() {
        String explicit = System.getenv("KUBECONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return Optional.of(Path.of(explicit.split(java.io.File.pathSeparator)[0]));
        }
        return Optional.of(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }
}
