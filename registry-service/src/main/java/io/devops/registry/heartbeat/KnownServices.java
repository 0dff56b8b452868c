package io.devops.registry.heartbeat;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.registry.RegistrySettings;
import io.devops.registry.service.ServiceRepository;
import io.smallrye.mutiny.Uni;

/**
 * Remembers for a short while which service ids exist, so that a heartbeat is answered from memory
 * and only an unknown id costs a database read. Another replica's deregistration is seen at most
 * {@code registry.heartbeat.known-service-ttl} later; until then its heartbeats update no row.
 */
@ApplicationScoped
public class KnownServices {
    private static final int MAX_ENTRIES = 200_000;

    private final ServiceRepository repository;
    private final long ttlNanos;
    private final ConcurrentHashMap<UUID, Long> knownUntil = new ConcurrentHashMap<>();

    KnownServices(ServiceRepository repository, RegistrySettings settings) {
        this.repository = repository;
        this.ttlNanos = settings.heartbeat().knownServiceTtl().toNanos();
    }

    /** Whether the service is known without asking the database; if not, ask {@link #lookUp}. */
    public boolean knownNow(UUID id) {
        Long until = knownUntil.get(id);
        return until != null && until - System.nanoTime() > 0;
    }

    public Uni<Boolean> lookUp(UUID id) {
        return repository.exists(id)
                .map(exists -> {
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
