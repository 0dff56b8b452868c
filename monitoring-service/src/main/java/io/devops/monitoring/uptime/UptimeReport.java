package io.devops.monitoring.uptime;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import io.devops.common.events.HealthStatus;

/**
 * The status report over a window: each service's uptime (healthy or degraded checks over all
 * checks) and mean response time, the overall uptime, and the worst service.
 *
 * @param from the window's start, aligned to the hour (windows up to 7 days) or the day (longer ones)
 */
public record UptimeReport(String window, OffsetDateTime from, OffsetDateTime to, long checks, Double overallUptimePercentage,
        ServiceUptime worstService, List<ServiceUptime> services) {

    /** {@code uptime_percentage} and {@code avg_response_time_ms} are null for a service without checks in the window. */
    public record ServiceUptime(UUID serviceId, String serviceName, String environment, HealthStatus status, long checks,
            long failedChecks, Double uptimePercentage, Double avgResponseTimeMs) {
    }
}
