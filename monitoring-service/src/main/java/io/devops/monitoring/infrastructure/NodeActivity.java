package io.devops.monitoring.infrastructure;

import java.time.OffsetDateTime;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Whether nodes are active: samples arrived within {@code monitoring.metrics.node-silence}. */
@ApplicationScoped
public class NodeActivity {
    private final Pool pool;
    private final MonitoringSettings settings;

    NodeActivity(Pool pool, MonitoringSettings settings) {
        this.pool = pool;
        this.settings = settings;
    }

    /** Nodes last heard from before this are inactive. */
    public OffsetDateTime activeSince() {
        return Timestamps.now().minus(settings.metrics().nodeSilence());
    }

    /** Every node, and those active now. */
    public record Counts(long total, long active) {
    }

    public Uni<Counts> counts() {
        return pool.preparedQuery("select count(*), count(*) filter (where last_seen >= $1) from node")
                .execute(Tuple.of(activeSince())).map(rows -> {
                    Row row = rows.iterator().next();
                    return new Counts(row.getLong(0), row.getLong(1));
                });
    }
}
