package io.devops.monitoring.catalog;

import java.util.UUID;

import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.ServiceSnapshot;

/**
 * What the checker needs of a registered service, taken from its latest snapshot on
 * {@code registry.services}, with every absent health-check setting at the platform's default.
 *
 * @param partition the partition of {@code registry.services} the service's key lands in: the replica assigned it checks it
 */
public record ServiceDefinition(UUID id, String name, String environment, String url, String version, HealthCheckSpec check,
        int partition, long revision) {

    public static ServiceDefinition of(ServiceSnapshot snapshot, int partition) {
        HealthCheckSpec spec = snapshot.healthCheck() == null ? HealthCheckSpec.defaults()
                : snapshot.healthCheck().withDefaultsFrom(HealthCheckSpec.defaults());
        return new ServiceDefinition(snapshot.id(), snapshot.name(), snapshot.environment(), snapshot.url(), snapshot.version(),
                spec, partition, snapshot.revision());
    }

    /** Whether checking this definition differs from checking {@code other} (a status-only update does not). */
    public boolean checksDifferentlyFrom(ServiceDefinition other) {
        return !url.equals(other.url) || !check.equals(other.check);
    }
}
