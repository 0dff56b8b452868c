package io.devops.registry.heartbeat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.registry.service.ServiceRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;

/**
 * Coalesces heartbeats: each one only records the time in memory, and {@link #flush()} writes the
 * latest time of every service that beat since the last flush in one statement. A thousand services
 * beating every few seconds cost one UPDATE a second, not a thousand. If the write fails the times
 * go back into the buffer for the next flush, so a database outage loses no heartbeat that arrived.
 */
@ApplicationScoped
public class HeartbeatBuffer {
    private static final Logger LOG = Logger.getLogger(HeartbeatBuffer.class);

    private final ServiceRepository repository;
    private final AtomicReference<ConcurrentHashMap<UUID, OffsetDateTime>> pending = new AtomicReference<>(new ConcurrentHashMap<>());
    private final Counter heartbeats;
    private final Timer flushes;

    HeartbeatBuffer(ServiceRepository repository, MeterRegistry meters) {
        this.repository = repository;
        this.heartbeats = Counter.builder("registry.heartbeats").description("Heartbeats received").register(meters);
        this.flushes = Timer.builder("registry.heartbeat.flush").description("Writing buffered heartbeats").register(meters);
        meters.gauge("registry.heartbeat.pending", pending, p -> p.get().size());
    }

    public OffsetDateTime record(UUID serviceId) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        pending.get().merge(serviceId, now, HeartbeatBuffer::later);
        heartbeats.increment();
        return now;
    }

    /** The newest heartbeat of a service not yet written, so reads can show it before the flush. */
    public Optional<OffsetDateTime> pendingBeat(UUID serviceId) {
        return Optional.ofNullable(pending.get().get(serviceId));
    }

    /** Writes the buffered heartbeats; returns how many services it updated. */
    public Uni<Integer> flush() {
        ConcurrentHashMap<UUID, OffsetDateTime> batch = pending.getAndSet(new ConcurrentHashMap<>());
        if (batch.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        UUID[] ids = new UUID[batch.size()];
        OffsetDateTime[] times = new OffsetDateTime[batch.size()];
        int i = 0;
        for (Map.Entry<UUID, OffsetDateTime> beat : batch.entrySet()) {
            ids[i] = beat.getKey();
            times[i++] = beat.getValue();
        }
        long start = System.nanoTime();
        return repository.recordBeats(ids, times)
                .invoke(() -> flushes.record(Duration.ofNanos(System.nanoTime() - start)))
                .onFailure().invoke(e -> {
                    LOG.warnf("could not write %d heartbeats, keeping them for the next flush: %s", batch.size(), e.getMessage());
                    batch.forEach((id, seen) -> pending.get().merge(id, seen, HeartbeatBuffer::later));
                });
    }

    private static OffsetDateTime later(OffsetDateTime a, OffsetDateTime b) {
        return a.isAfter(b) ? a : b;
    }
}
