package io.devops.deployer.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.time.Timestamps;
import io.devops.deployer.deployment.Deployment;
import io.devops.deployer.deployment.RolloutPreview;
import io.devops.deployer.kubernetes.Cluster;
import io.devops.deployer.kubernetes.ClusterAction;
import io.devops.deployer.kubernetes.ClusterState;
import io.devops.deployer.kubernetes.Manifests;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * The dry run: the first step of the rollout, decided by the same state machine against the
 * cluster as it is (or an empty one when there is none), turned into the objects it would apply.
 */
@ApplicationScoped
public class ManifestPreview implements RolloutPreview {
    private final Cluster cluster;

    ManifestPreview(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public Uni<List<Object>> manifests(Deployment deployment) {
        return Uni.createFrom().item(() -> {
            Manifests manifests = cluster.manifests(deployment.serviceName);
            ClusterState state = cluster.configured() ? cluster.observe(deployment.namespace, manifests.app()) : ClusterState.EMPTY;
            RolloutPlan plan = new RolloutDecision(Duration.ofSeconds(1)).decide(deployment,
                    new RolloutDecision.Inputs(state, List.of(), false, Timestamps.now()));
            List<Object> objects = new ArrayList<>();
            for (ClusterAction action : plan.actions()) {
                if (action instanceof ClusterAction.ApplyWorkload apply) {
                    objects.add(manifests.workload(deployment.namespace, apply, deployment.id.toString()));
                } else if (action instanceof ClusterAction.RouteTo route) {
                    objects.add(manifests.service(deployment.namespace, route.color(), route.port()));
                } else if (action instanceof ClusterAction.Scale scale) {
                    objects.add(change("scale", deployment.namespace, scale.name(), scale.replicas()));
                } else if (action instanceof ClusterAction.Delete delete) {
                    objects.add(change("delete", deployment.namespace, delete.name(), null));
                }
            }
            return objects;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static Map<String, Object> change(String verb, String namespace, String name, Integer replicas) {
        Map<String, Object> change = new LinkedHashMap<>();
        change.put("action", verb);
        change.put("kind", "Deployment");
        change.put("namespace", namespace);
        change.put("name", name);
        if (replicas != null) {
            change.put("replicas", replicas);
        }
        return change;
    }
}
