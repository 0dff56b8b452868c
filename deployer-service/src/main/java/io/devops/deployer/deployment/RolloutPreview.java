package io.devops.deployer.deployment;

import java.util.List;

import io.smallrye.mutiny.Uni;

/** What a dry run shows: the Kubernetes objects the first step of a deployment would apply. */
public interface RolloutPreview {

    Uni<List<Object>> manifests(Deployment deployment);
}
