package io.devops.monitoring.maintenance;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;

import io.devops.common.problem.ProblemException;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.catalog.ServiceDirectory;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Owns the maintenance windows: creates, lists and deletes them (nothing else writes
 * {@code maintenance_window}), and has the calendar pick changes up at once.
 */
@ApplicationScoped
public class MaintenanceBook {
    private final ServiceDirectory directory;
    private final MaintenanceCalendar calendar;

    MaintenanceBook(ServiceDirectory directory, MaintenanceCalendar calendar) {
        this.directory = directory;
        this.calendar = calendar;
    }

    @WithSpan
    public Uni<MaintenanceWindowView> create(@Valid MaintenanceWindowRequest request, String createdBy) {
        MaintenanceWindow window = new MaintenanceWindow();
        window.id = UUID.randomUUID();
        window.serviceId = request.serviceId();
        window.reason = request.reason();
        window.createdBy = createdBy;
        window.createdAt = Timestamps.now();
        window.timeZone = zone(request.timeZone());
        if (request.cron() != null) {
            window.cron = request.cron().trim();
            window.durationSeconds = request.durationMinutes() * 60;
            try {
                WindowRule.recurring(window.cron, Duration.ofSeconds(window.durationSeconds), ZoneId.of(window.timeZone));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("cron: '" + request.cron()
                        + "' is not a five-field cron expression (minute hour day-of-month month day-of-week): " + e.getMessage());
            }
        } else {
            window.startsAt = request.startsAt();
            window.endsAt = request.endsAt();
        }
        return directory.get(request.serviceId()).chain(service -> Panache.withTransaction(window::<MaintenanceWindow>persist))
                .call(calendar::reload)
                .map(saved -> MaintenanceWindowView.of(saved, Timestamps.now()));
    }

    @WithSession
    @WithSpan
    public Uni<List<MaintenanceWindowView>> list(UUID serviceId) {
        OffsetDateTime now = Timestamps.now();
        Uni<List<MaintenanceWindow>> windows = serviceId == null
                ? MaintenanceWindow.list("order by createdAt desc")
                : MaintenanceWindow.list("serviceId = ?1 order by createdAt desc", serviceId);
        return windows.map(list -> list.stream().map(w -> MaintenanceWindowView.of(w, now)).toList());
    }

    @WithSession
    @WithSpan
    public Uni<MaintenanceWindowView> get(UUID id) {
        return MaintenanceWindow.<MaintenanceWindow>findById(id).map(window -> {
            if (window == null) {
                throw ProblemException.notFound("no maintenance window with id '" + id + "'");
            }
            return MaintenanceWindowView.of(window, Timestamps.now());
        });
    }

    @WithSpan
    public Uni<Void> delete(UUID id) {
        return Panache.withTransaction(() -> MaintenanceWindow.deleteById(id)).map(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("no maintenance window with id '" + id + "'");
            }
            return (Void) null;
        }).call(calendar::reload);
    }

    private static String zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return "UTC";
        }
        try {
            return ZoneId.of(timeZone.trim()).getId();
        } catch (DateTimeException e) {
            throw ProblemException.badRequest("time_zone: '" + timeZone + "' is not a time zone such as UTC or Europe/Berlin");
        }
    }
}
