package io.devops.monitoring.catalog;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthStatus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The {@code monitored_service} table: the services of this replica's partitions, as the catalog
 * has them, for every replica's dashboards and summaries. Called from the catalog follower's own
 * thread, so it waits for each statement.
 */
@ApplicationScoped
public class CatalogProjection {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;
    private final EventCodec codec;

    CatalogProjection(Pool pool, EventCodec codec) {
        this.pool = pool;
        this.codec = codec;
    }

    /** What an owner that takes over a service must know to go on where the previous one stopped. */
    public record KnownState(HealthStatus status, OffsetDateTime lastCheckedAt) {
        public static final KnownState NEW = new KnownState(HealthStatus.UNKNOWN, null);
    }

    /** Writes the newer of each definition and the stored row; returns each service's stored status and last check. */
    public Map<UUID, KnownState> upsert(Collection<ServiceDefinition> definitions) {
        int n = definitions.size();
        UUID[] ids = new UUID[n];
        String[] names = new String[n];
        String[] environments = new String[n];
        String[] urls = new String[n];
        String[] versions = new String[n];
        String[] checks = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] revisions = new Long[n];
        int i = 0;
        for (ServiceDefinition d : definitions) {
            ids[i] = d.id();
            names[i] = d.name();
            environments[i] = d.environment();
            urls[i] = d.url();
            versions[i] = d.version();
            checks[i] = codec.encode(d.check());
            partitions[i] = d.partition();
            revisions[i] = d.revision();
            i++;
        }
        pool.preparedQuery("""
                insert into monitored_service (id, name, environment, url, version, health_check, catalog_partition, revision)
                select id, name, environment, url, version, health_check::jsonb, catalog_partition, revision
                from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::bigint[])
                     as d(id, name, environment, url, version, health_check, catalog_partition, revision)
                on conflict (id) do update set name = excluded.name, environment = excluded.environment, url = excluded.url,
                    version = excluded.version, health_check = excluded.health_check,
                    catalog_partition = excluded.catalog_partition, revision = excluded.revision, updated_at = now()
                where monitored_service.revision < excluded.revision""")
                .execute(Tuple.from(new Object[] { ids, names, environments, urls, versions, checks, partitions, revisions }))
                .await().atMost(TIMEOUT);
        Map<UUID, KnownState> known = new HashMap<>(n * 2);
        Map<UUID, OffsetDateTime> lastChecks = new HashMap<>(n * 2);
        // A check interval is at most an hour, so an owner's last check of a live service is newer than that.
        for (Row row : pool.preparedQuery("""
                select service_id, max(checked_at) as last_checked_at from check_result
                where service_id = any($1) and checked_at > now() - interval '1 hour' group by service_id""")
                .execute(Tuple.of(ids)).await().atMost(TIMEOUT)) {
            lastChecks.put(row.getUUID("service_id"), row.getOffsetDateTime("last_checked_at"));
        }
        for (Row row : pool.preparedQuery("select id, status from monitored_service where id = any($1)")
                .execute(Tuple.of(ids)).await().atMost(TIMEOUT)) {
            UUID id = row.getUUID("id");
            known.put(id, new KnownState(HealthStatus.fromJson(row.getString("status")), lastChecks.get(id)));
        }
        return known;
    }

    /** Forgets services that are gone from the catalog. */
    public void remove(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        pool.preparedQuery("delete from monitored_service where id = any($1)").execute(Tuple.of(ids.toArray(UUID[]::new)))
                .await().atMost(TIMEOUT);
    }

    /**
     * After reading a partition to its end: the services stored for it that the topic no longer has
     * (their tombstones were compacted away while no replica was running).
     */
    public List<UUID> storedButGone(int partition, Collection<UUID> live) {
        return pool.preparedQuery("select id from monitored_service where catalog_partition = $1 and not (id = any($2))")
                .execute(Tuple.of(partition, live.toArray(UUID[]::new))).await().atMost(TIMEOUT).stream()
                .map(row -> row.getUUID("id")).toList();
    }
}
