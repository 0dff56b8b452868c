package io.devops.monitoring.maintenance;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A maintenance window, with whether it is open now and when it next opens. */
public record MaintenanceWindowView(UUID id, UUID serviceId, OffsetDateTime startsAt, OffsetDateTime endsAt, String cron,
        Integer durationMinutes, String timeZone, String reason, String createdBy, OffsetDateTime createdAt, boolean activeNow,
        OffsetDateTime nextStart) {

    static MaintenanceWindowView of(MaintenanceWindow window, OffsetDateTime now) {
        WindowRule rule = WindowRule.of(window);
        return new MaintenanceWindowView(window.id, window.serviceId, window.startsAt, window.endsAt, window.cron,
                window.durationSeconds == null ? null : window.durationSeconds / 60, window.timeZone, window.reason,
                window.createdBy, window.createdAt, rule.covers(now), rule.nextStart(now).orElse(null));
    }
}
