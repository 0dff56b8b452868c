package io.devops.monitoring.maintenance;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A new maintenance window: either one-off ({@code starts_at} and {@code ends_at}) or recurring (a
 * five-field {@code cron} expression, such as {@code 0 2 * * SUN}, with {@code duration_minutes}, in
 * {@code time_zone}).
 */
public record MaintenanceWindowRequest(
        @NotNull UUID serviceId,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt,
        @Size(max = 100) String cron,
        @Min(1) @Max(10_080) Integer durationMinutes,
        @Size(max = 64) String timeZone,
        @Size(max = 500) String reason) {

    @AssertTrue(message = "give either starts_at and ends_at, or cron and duration_minutes")
    boolean isOneKind() {
        boolean once = startsAt != null || endsAt != null;
        boolean recurring = cron != null || durationMinutes != null;
        return once != recurring && (once ? startsAt != null && endsAt != null : cron != null && durationMinutes != null);
    }

    @AssertTrue(message = "ends_at must be after starts_at")
    boolean isEndAfterStart() {
        return startsAt == null || endsAt == null || endsAt.isAfter(startsAt);
    }
}
