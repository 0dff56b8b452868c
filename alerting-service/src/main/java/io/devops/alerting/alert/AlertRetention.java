package io.devops.alerting.alert;

import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.AlertingSettings;
import io.devops.common.PlatformSettings;
import io.devops.common.time.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes what is over once its retention has passed: resolved alerts (their history, group
 * memberships and notification links go with them) and notifications (with their deliveries). A
 * batch at a time, rows another replica is deleting skipped, so replicas can all run it.
 */
@ApplicationScoped
public class AlertRetention {
    private static final int BATCH = 1000;

    private final Pool pool;
    private final AlertingSettings.Retention retention;
    private final MeterRegistry meters;
    private final String schema;
    private final InstantSource clock;

    AlertRetention(Pool pool, AlertingSettings settings, MeterRegistry meters, PlatformSettings platform, InstantSource clock) {
        this.clock = clock;
        this.pool = pool;
        this.retention = settings.retention();
        this.meters = meters;
        this.schema = platform.schema();
    }

    @Scheduled(every = "1h", delay = 1, delayUnit = TimeUnit.MINUTES, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> purge() {
        return purge("alerts", "delete from " + schema + ".alert where id in (select id from " + schema + ".alert"
                + " where status = 'resolved' and resolved_at < $1 limit $2 for update skip locked)",
                retention.resolvedAlerts().toMillis())
                .chain(() -> purge("notifications", "delete from " + schema + ".notification where id in (select id from "
                        + schema + ".notification where created_at < $1 limit $2 for update skip locked)",
                        retention.notifications().toMillis()));
    }

    private Uni<Void> purge(String what, String sql, long keptMillis) {
        return pool.preparedQuery(sql).execute(Tuple.of(Timestamps.now(clock).minusNanos(keptMillis * 1_000_000), BATCH)).chain(rows -> {
            meters.counter("alerting.retention.deleted", "what", what).increment(rows.rowCount());
            return rows.rowCount() == BATCH ? purge(what, sql, keptMillis) : Uni.createFrom().voidItem();
        });
    }
}
