package io.devops.registry.service;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.devops.common.PlatformSettings;
import io.devops.common.paging.NativePages;
import io.devops.common.paging.Page;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Every statement on the catalog table. Domain reads and locks go through Hibernate Reactive; the
 * list filters use SQL that HQL cannot say (jsonb containment, served by GIN indexes), so they are
 * native queries; the heartbeat path's statements go straight to the reactive pool.
 */
@ApplicationScoped
public class ServiceRepository implements PanacheRepositoryBase<RegisteredService, UUID> {

    /** {@link StatusRule} in SQL: finds the rows whose stored status no longer follows the rule. */
    static final String STATUS_SQL = "case when lease_expires_at is not null and lease_expires_at < now() then 'unknown' "
            + "when health_status <> 'unknown' then health_status "
            + "when lease_expires_at is not null then 'healthy' else 'unknown' end";

    /** Every column, with the JSON ones as text, as {@link RegisteredService} maps them. */
    private static final String COLUMNS = "id, name, url, environment, version, version_deployed_at, status, health_status, "
            + "health_checked_at, tags::text as tags, metadata::text as metadata, health_check::text as health_check, "
            + "lease_ttl_seconds, deregister_after_seconds, last_seen, lease_expires_at, lease_expired_at, created_at, "
            + "updated_at, revision";

    private final String table;
    private final Pool pool;

    ServiceRepository(PlatformSettings settings, Pool pool) {
        this.table = settings.schema() + ".services";
        this.pool = pool;
    }

    /** Whether the service exists; straight on the pool, without a session, for the heartbeat path. */
    public Uni<Boolean> exists(UUID id) {
        return pool.preparedQuery("select 1 from " + table + " where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }

    /**
     * Writes many heartbeats in one statement: each service's {@code last_seen} and lease expiry,
     * unless a later beat was written already. Returns how many rows changed.
     */
    public Uni<Integer> recordBeats(UUID[] ids, OffsetDateTime[] seen) {
        return pool.preparedQuery("update " + table + " s set last_seen = b.seen, "
                + "lease_expires_at = b.seen + make_interval(secs => s.lease_ttl_seconds) "
                + "from unnest($1::uuid[], $2::timestamptz[]) as b(id, seen) "
                + "where s.id = b.id and (s.last_seen is null or s.last_seen < b.seen)")
                .execute(Tuple.of(ids, seen))
                .map(rows -> rows.rowCount());
    }

    /** The row, locked until the transaction ends, so concurrent changes to one service queue up. */
    public Uni<RegisteredService> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    public Uni<Boolean> nameTaken(String name) {
        return count("name", name).map(n -> n > 0);
    }

    public Uni<Page<RegisteredService>> search(ServiceQuery query, String tagsJson, String metadataJson) {
        StringBuilder where = new StringBuilder(" where true");
        Map<String, Object> params = new HashMap<>();
        if (query.environment() != null) {
            where.append(" and environment = :environment");
            params.put("environment", query.environment());
        }
        if (query.status() != null) {
            where.append(" and status = :status");
            params.put("status", query.status().json());
        }
        if (!query.tags().isEmpty()) {
            where.append(" and tags @> cast(cast(:tags as text) as jsonb)");
            params.put("tags", tagsJson);
        }
        if (!query.metadata().isEmpty()) {
            where.append(" and metadata @> cast(cast(:metadata as text) as jsonb)");
            params.put("metadata", metadataJson);
        }
        return getSession().flatMap(session -> NativePages.page(session, RegisteredService.class,
                "select " + COLUMNS + " from " + table + where + " order by created_at, id",
                "select count(*) from " + table + where, params, query.limit(), query.skip()));
    }

    /** Services whose status must change because a lease lapsed or was renewed. */
    public Uni<List<UUID>> withStaleStatus(int max) {
        return ids("select id from " + table + " where status <> (" + STATUS_SQL + ") limit :max", max);
    }

    /** Services whose lease lapsed longer ago than their deregister-after time. */
    public Uni<List<UUID>> dueForDeregistration(int max) {
        return ids("select id from " + table + " where lease_expired_at is not null and deregister_after_seconds is not null "
                + "and lease_expired_at + make_interval(secs => deregister_after_seconds) < now() limit :max", max);
    }

    private Uni<List<UUID>> ids(String sql, int max) {
        return getSession().flatMap(session -> session.createNativeQuery(sql, UUID.class)
                .setParameter("max", max).getResultList())
                .map(ArrayList::new);
    }
}
