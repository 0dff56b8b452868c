package io.devops.deployer.signal;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * What the gates of a rollout read: the service's health transitions into a failing status, and
 * its alerts firing at or above a severity, since the new version took traffic. Alerts about
 * deployments themselves ({@code Deployment*}) never fail a gate: they are this rollout's own
 * outcome, or an earlier one's.
 */
@ApplicationScoped
public class GateSignals {
    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    private final Pool pool;
    private final String health;
    private final String alerts;

    GateSignals(Pool pool, PlatformSettings settings) {
        this.pool = pool;
        this.health = settings.schema() + ".health_signal";
        this.alerts = settings.schema() + ".alert_signal";
    }

    /** Reasons to fail, oldest first; empty when the gate passes so far. */
    public Uni<List<GateFailure>> failures(UUID serviceId, String serviceName, OffsetDateTime since,
            Set<String> failingStatuses, String alertSeverity) {
        Uni<List<GateFailure>> healthFailures = failingStatuses.isEmpty() ? Uni.createFrom().item(List.of())
                : pool.preparedQuery("select status, reason, checked_at from " + health
                        + " where service_id = $1 and checked_at >= $2 and status = any($3) order by checked_at limit 5")
                        .execute(Tuple.of(serviceId, since, failingStatuses.toArray(String[]::new)))
                        .map(rows -> {
                            List<GateFailure> found = new ArrayList<>();
                            for (Row row : rows) {
                                found.add(new GateFailure(GateFailure.HEALTH, serviceName + " turned " + row.getString(0)
                                        + (row.getString(1) == null ? "" : " (" + row.getString(1) + ")"),
                                        row.getOffsetDateTime(2)));
                            }
                            return found;
                        });
        Uni<List<GateFailure>> alertFailures = alertSeverity == null ? Uni.createFrom().item(List.of())
                : pool.preparedQuery("select alertname, title, severity, starts_at from " + alerts
                        + " where (service_id = $1 or service_name = $2) and status <> 'resolved' and starts_at >= $3"
                        + " and severity = any($4) and coalesce(alertname, '') not like 'Deployment%' order by starts_at limit 5")
                        .execute(Tuple.of(serviceId, serviceName, since, atLeast(alertSeverity)))
                        .map(rows -> {
                            List<GateFailure> found = new ArrayList<>();
                            for (Row row : rows) {
                                found.add(new GateFailure(GateFailure.ALERT, "alert " + (row.getString(0) != null
                                        ? row.getString(0) : row.getString(1)) + " (" + row.getString(2) + ") is firing",
                                        row.getOffsetDateTime(3)));
                            }
                            return found;
                        });
        return Uni.combine().all().unis(healthFailures, alertFailures).with((byHealth, byAlert) -> {
            List<GateFailure> all = new ArrayList<>(byHealth);
            all.addAll(byAlert);
            all.sort((a, b) -> a.at().compareTo(b.at()));
            return all;
        });
    }

    static String[] atLeast(String severity) {
        int from = SEVERITIES.indexOf(severity);
        return SEVERITIES.subList(Math.max(from, 0), SEVERITIES.size()).toArray(String[]::new);
    }
}
