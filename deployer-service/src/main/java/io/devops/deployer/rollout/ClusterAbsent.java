package io.devops.deployer.rollout;

import jakarta.inject.Singleton;

import io.devops.deployer.kubernetes.Cluster;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/** Skips the driver's ticks when there is no cluster to drive rollouts in. */
@Singleton
public class ClusterAbsent implements Scheduled.SkipPredicate {
    private final Cluster cluster;

    ClusterAbsent(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !cluster.configured();
    }
}
