package io.devops.monitoring.catalog;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.events.HealthStatus;
import io.devops.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads what monitoring knows of a service, for the API: whichever replica checks it wrote it. */
@ApplicationScoped
public class ServiceDirectory {
    private final Pool pool;

    ServiceDirectory(Pool pool) {
        this.pool = pool;
    }

    /** A service as monitoring sees it. */
    public record MonitoredService(UUID id, String name, String environment, String url, String version, HealthStatus status,
            String statusReason, String statusMessage, OffsetDateTime statusChangedAt, OffsetDateTime tlsExpiresAt,
            int intervalSeconds) {
    }

    /** The service, or a 404 problem. */
    public Uni<MonitoredService> get(UUID id) {
        return pool.preparedQuery("""
                select id, name, environment, url, version, status, status_reason, status_message, status_changed_at,
                       tls_expires_at, (health_check ->> 'interval_seconds')::int as interval_seconds
                from monitored_service where id = $1""").execute(Tuple.of(id)).map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("no service with id '" + id + "' is monitored");
                    }
                    return map(rows.iterator().next());
                });
    }

    private static MonitoredService map(Row row) {
        return new MonitoredService(row.getUUID("id"), row.getString("name"), row.getString("environment"),
                row.getString("url"), row.getString("version"), HealthStatus.fromJson(row.getString("status")),
                row.getString("status_reason"), row.getString("status_message"), row.getOffsetDateTime("status_changed_at"),
                row.getOffsetDateTime("tls_expires_at"), row.getInteger("interval_seconds"));
    }
}
