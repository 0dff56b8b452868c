package io.devops.deployer;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The deployer's own settings, under {@code deployer.*}. */
@ConfigMapping(prefix = "deployer")
public interface DeployerSettings {

    /** The environments a deployment may name, each with the namespace it deploys into. */
    Map<String, Environment> environments();

    Images images();

    Rollout rollout();

    Defaults defaults();

    Kubernetes kubernetes();

    interface Environment {
        String namespace();
    }

    interface Images {
        /**
         * Where images live when a deployment names only a tag and the service's catalog entry has
         * no {@code image} in its metadata: {@code <registry>/<service name>:<tag>}.
         */
        @WithDefault("registry.local")
        String registry();
    }

    interface Rollout {
        /** How often the driver looks for rollouts that are due; health and alert signals wake it at once. */
        @WithDefault("1s")
        Duration tick();

        /** How long a replica holds a rollout it claimed; another replica takes it over after that. */
        @WithDefault("30s")
        Duration claim();

        /** How many rollouts one replica drives at the same time. */
        @WithDefault("8")
        int workers();

        /** How many due rollouts one tick claims. */
        @WithDefault("64")
        int batch();

        /** How often a rollout that waits for the cluster is looked at. */
        @WithDefault("2s")
        Duration pollInterval();

        /** The longest wait between retries when the cluster cannot be reached. */
        @WithDefault("30s")
        Duration maxBackoff();
    }

    interface Defaults {
        /** How long a rolling or blue-green deployment is watched by its gate once it takes traffic. */
        @WithDefault("60s")
        Duration analysis();

        /** How long a blue-green deployment keeps the old colour running for an instant rollback. */
        @WithDefault("15m")
        Duration blueGreenRetention();

        @WithDefault("600")
        int progressDeadlineSeconds();

        @WithDefault("8080")
        int port();

        /** The canary steps of a deployment that names none. */
        @WithDefault("10:1m,50:1m")
        String canarySteps();
    }

    interface Kubernetes {
        /**
         * Whether rollouts are applied to a cluster. Without one (no kubeconfig, no in-cluster
         * account) the deployer refuses rollouts with a clear message and serves everything else.
         */
        @WithName("enabled")
        @WithDefault("true")
        boolean enabled();

        /** The label value that marks what the deployer owns. */
        @WithDefault("devops-deployer")
        String managedBy();

        /** A pull secret every pod gets, if the images need one. */
        Optional<String> imagePullSecret();
    }
}
