package io.devops.monitoring.dashboard;

import java.time.OffsetDateTime;
import java.util.List;

import io.devops.common.events.HealthStatus;

/** {@code GET /monitoring/dashboard}, in the shape SEED-API.md gives it. */
public record Dashboard(ServiceStats serviceStats, InfrastructureStats infrastructureStats,
        List<RecentCheck> recentHealthChecks, List<ResponseTimePoint> responseTimeTrends) {

    public record ServiceStats(long total, long healthy, long degraded, long unhealthy, long unknown,
            double healthPercentage) {
    }

    /** Host nodes reporting to the platform. */
    public record InfrastructureStats(long totalNodes, long activeNodes) {
    }

    public record RecentCheck(String serviceName, HealthStatus status, Long responseTimeMs, OffsetDateTime checkedAt) {
    }

    public record ResponseTimePoint(OffsetDateTime timestamp, double avgResponseTimeMs) {
    }
}
