package io.devops.monitoring.dashboard;

import java.time.OffsetDateTime;

/**
 * {@code GET /monitoring/health-summary}, in the shape SEED-API.md gives it.
 *
 * @param recentIncidents unhealthy checks in the last hour
 */
public record HealthSummary(String environment, long totalServices, long healthyServices, long degradedServices,
        long unhealthyServices, long unknownServices, double healthPercentage, long recentIncidents,
        OffsetDateTime lastUpdated) {
}
