package io.devops.deployer.kubernetes;

import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a workload's pods run: the image and how its one container is set up. The template a
 * rollout replaced is kept in this form, so that rolling back applies exactly what ran before.
 */
@RegisterForReflection
public record WorkloadTemplate(String image, Map<String, String> env, Map<String, String> requests,
        Map<String, String> limits, int port, String readinessPath) {

    public WorkloadTemplate {
        env = env == null ? Map.of() : Map.copyOf(env);
        requests = requests == null ? Map.of() : Map.copyOf(requests);
        limits = limits == null ? Map.of() : Map.copyOf(limits);
    }
}
