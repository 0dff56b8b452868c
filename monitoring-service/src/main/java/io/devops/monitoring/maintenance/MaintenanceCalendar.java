package io.devops.monitoring.maintenance;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.common.time.Timestamps;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * The maintenance windows of every service, held in memory so that a check asks without a query.
 * It reloads every few seconds, which brings in windows another replica stored, and at once
 * after this replica changes one.
 */
@ApplicationScoped
public class MaintenanceCalendar {
    private static final Logger LOG = Logger.getLogger(MaintenanceCalendar.class);

    private volatile Map<UUID, List<WindowRule>> windows = Map.of();

    public boolean isUnderMaintenance(UUID serviceId, OffsetDateTime instant) {
        List<WindowRule> rules = windows.get(serviceId);
        if (rules == null) {
            return false;
        }
        for (WindowRule rule : rules) {
            if (rule.covers(instant)) {
                return true;
            }
        }
        return false;
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledReload() {
        return reload().onFailure().invoke(e -> LOG.warnf("maintenance windows not reloaded, keeping the last ones: %s",
                e.getMessage())).onFailure().recoverWithNull();
    }

    /** Reads every window that has not ended. */
    public Uni<Void> reload() {
        return Panache.withSession(() -> MaintenanceWindow.<MaintenanceWindow>list("cron is not null or endsAt > ?1",
                Timestamps.now())).invoke(list -> {
                    Map<UUID, List<WindowRule>> loaded = new HashMap<>();
                    for (MaintenanceWindow window : list) {
                        loaded.computeIfAbsent(window.serviceId, id -> new ArrayList<>()).add(WindowRule.of(window));
                    }
                    windows = loaded;
                }).replaceWithVoid();
    }
}
