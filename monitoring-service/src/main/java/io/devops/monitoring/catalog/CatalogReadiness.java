package io.devops.monitoring.catalog;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.devops.monitoring.MonitoringSettings;

/** Ready while the catalog follower polls {@code registry.services} and keeps its share of the services. */
@Readiness
@ApplicationScoped
public class CatalogReadiness implements HealthCheck {
    private final CatalogFollower follower;
    private final MonitoringSettings settings;

    CatalogReadiness(CatalogFollower follower, MonitoringSettings settings) {
        this.follower = follower;
        this.settings = settings;
    }

    @Override
    public HealthCheckResponse call() {
        if (!settings.checks().enabled()) {
            return HealthCheckResponse.named("catalog").up().withData("checks", "disabled").build();
        }
        return HealthCheckResponse.named("catalog").status(follower.healthy())
                .withData("partitions", follower.assignedPartitions().toString())
                .withData("error", String.valueOf(follower.lastError())).build();
    }
}
