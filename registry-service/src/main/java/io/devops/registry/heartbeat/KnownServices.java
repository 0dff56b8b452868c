package io.devops.registry.heartbeat;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.devops.registry.RegistrySettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Remembers for a short while which service ids exist, so that a heartbeat is answered from memory
 * and only an unknown id costs a database read. Another replica's deregistration is seen at most
 * {@code registry.heartbeat.known-service-ttl} later; until then its heartbeats update no row.
 */
@ApplicationScoped
public class KnownServices {
    private static final int MAX_ENTRIES = 200_000;

    private final Pool pool;
    private final String table;
    private final long ttlNanos;
    private final ConcurrentHashMap<UUID, Long> knownUntil = new ConcurrentHashMap<>();

    KnownServices(Pool pool, PlatformSettings platform, RegistrySettings settings) {
        this.pool = pool;
        this.table = platform.schema() + ".services";
        this.ttlNanos = settings.heartbeat().knownServiceTtl().toNanos();
    }

    /** Whether the service is known without asking the database; if not, ask {@link #lookUp}. */
    public boolean knownNow(UUID id) {
        Long until = knownUntil.get(id);
        return until != null && until - System.nanoTime() > 0;
    }

    public Uni<Boolean> lookUp(UUID id) {
        return pool.preparedQuery("select 1 from " + table + " where id = $1").execute(Tuple.of(id))
                .map(rows -> {
                    boolean exists = rows.size() > 0;
                    if (exists) {
                        if (knownUntil.size() >= MAX_ENTRIES) {
                            knownUntil.clear();
                        }
                        knownUntil.put(id, System.nanoTime() + ttlNanos);
                    }
                    return exists;
                });
    }

    public void forget(UUID id) {
        knownUntil.remove(id);
    }
}
