package io.devops.monitoring.history;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.common.events.HealthStatus;
import io.devops.common.retry.Backoff;
import io.devops.monitoring.MonitoringSettings;
import io.devops.monitoring.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores check results in batches: one multi-row insert per batch into the day-partitioned
 * {@code check_result}, and in the same transaction the batch's sums added to the hourly and daily
 * aggregates. It runs on a thread of its own; while PostgreSQL is away it keeps the results (up to
 * a bound, dropping the oldest) and retries.
 */
@ApplicationScoped
public class ResultWriter {
    private static final Logger LOG = Logger.getLogger(ResultWriter.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /** About ten minutes of results at 1,000 checks/s: enough to ride out a database restart. */
    private static final int MAX_PENDING = 600_000;

    private final Pool pool;
    private final DailyPartitions partitions;
    private final MonitoringSettings.History settings;
    private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong added = new AtomicLong();
    private final Object progress = new Object();
    private final Counter stored;
    private final Counter dropped;
    private final Timer flushes;

    /** Results written or dropped so far, in queue order; guarded by {@link #progress}. */
    private long done;
    private volatile boolean running;
    private Thread worker;

    ResultWriter(Pool pool, DailyPartitions partitions, MonitoringSettings settings, MeterRegistry meters) {
        this.pool = pool;
        this.partitions = partitions;
        this.settings = settings.history();
        this.stored = Counter.builder("monitoring.results.stored").description("Check results written to PostgreSQL")
                .register(meters);
        this.dropped = Counter.builder("monitoring.results.dropped")
                .description("Check results dropped because PostgreSQL was away too long").register(meters);
        this.flushes = Timer.builder("monitoring.results.flush").description("Time to write one batch of results")
                .register(meters);
        meters.gauge("monitoring.results.pending", pending);
    }

    private record Pending(UUID serviceId, ProbeResult result, boolean tlsChanged) {
    }

    void start(@Observes @Priority(10) StartupEvent event) {
        partitions.maintain();
        running = true;
        worker = new Thread(this::run, "result-writer");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent event) {
        flushNow();
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    /** Queues a result; {@code tlsChanged} also records the service's new certificate expiry. */
    public void add(UUID serviceId, ProbeResult result, boolean tlsChanged) {
        queue.add(new Pending(serviceId, result, tlsChanged));
        added.incrementAndGet();
        if (pending.incrementAndGet() > MAX_PENDING && queue.poll() != null) {
            pending.decrementAndGet();
            dropped.increment();
            advance(1);
        }
        if (pending.get() >= settings.flushSize()) {
            wake();
        }
    }

    /** Waits until every result queued before the call is stored (or dropped), at most 10 s. */
    public void flushNow() {
        long target = added.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        wake();
        synchronized (progress) {
            while (done < target && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warnf("results not stored within 10 s (%d pending)", pending.get());
                    return;
                }
                try {
                    progress.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void wake() {
        Thread w = worker;
        if (w != null) {
            java.util.concurrent.locks.LockSupport.unpark(w);
        }
    }

    private void advance(long count) {
        synchronized (progress) {
            done += count;
            progress.notifyAll();
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        while (running || !queue.isEmpty()) {
            if (batch.isEmpty()) {
                if (pending.get() < settings.flushSize()) {
                    java.util.concurrent.locks.LockSupport.parkNanos(settings.flushInterval().toNanos());
                }
                Pending next;
                while (batch.size() < settings.flushSize() && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    continue;
                }
            }
            try {
                write(batch);
                pending.addAndGet(-batch.size());
                stored.increment(batch.size());
                advance(batch.size());
                batch.clear();
                int failedRounds = backoff.succeeded();
                if (failedRounds > 0) {
                    LOG.infof("storing check results works again after %d failed rounds", failedRounds);
                }
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                int failedRounds = backoff.failed();
                if (backoff.worthLogging()) {
                    LOG.warnf("storing %d check results failed (%d rounds in a row), retrying: %s", batch.size(),
                            failedRounds, e.getMessage());
                }
                if (String.valueOf(e.getMessage()).contains("no partition of relation")) {
                    partitions.maintain();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(backoff.delay().toNanos());
            }
        }
    }

    private void write(List<Pending> batch) {
        Timer.Sample sample = Timer.start();
        int n = batch.size();
        UUID[] services = new UUID[n];
        OffsetDateTime[] times = new OffsetDateTime[n];
        String[] statuses = new String[n];
        String[] reasons = new String[n];
        Integer[] codes = new Integer[n];
        Integer[] responseTimes = new Integer[n];
        String[] messages = new String[n];
        Map<Bucket, Sums> hourly = new HashMap<>();
        Map<Bucket, Sums> daily = new HashMap<>();
        Map<UUID, OffsetDateTime> certificates = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Pending p = batch.get(i);
            ProbeResult r = p.result();
            services[i] = p.serviceId();
            times[i] = r.checkedAt();
            statuses[i] = r.status().json();
            reasons[i] = r.reason().json();
            codes[i] = r.statusCode();
            responseTimes[i] = (int) Math.min(Integer.MAX_VALUE, r.responseTimeMs());
            messages[i] = r.message();
            hourly.computeIfAbsent(new Bucket(p.serviceId(), r.checkedAt().truncatedTo(ChronoUnit.HOURS)), b -> new Sums())
                    .add(r);
            daily.computeIfAbsent(new Bucket(p.serviceId(), r.checkedAt().truncatedTo(ChronoUnit.DAYS)), b -> new Sums()).add(r);
            if (p.tlsChanged()) {
                certificates.put(p.serviceId(), r.tlsExpiresAt());
            }
        }
        pool.withTransaction(connection -> connection.preparedQuery("""
                insert into check_result (service_id, checked_at, status, reason, status_code, response_time_ms, message)
                select * from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::int[], $6::int[], $7::text[])""")
                .execute(Tuple.from(new Object[] { services, times, statuses, reasons, codes, responseTimes, messages }))
                .chain(() -> connection.preparedQuery(upsertAggregate("check_hourly")).execute(aggregateTuple(hourly)))
                .chain(() -> connection.preparedQuery(upsertAggregate("check_daily")).execute(aggregateTuple(daily)))
                .chain(() -> certificates.isEmpty() ? io.smallrye.mutiny.Uni.createFrom().nullItem()
                        : connection.preparedQuery("""
                                update monitored_service m set tls_expires_at = c.expires_at
                                from unnest($1::uuid[], $2::timestamptz[]) as c(id, expires_at) where m.id = c.id""")
                                .execute(Tuple.of(certificates.keySet().toArray(UUID[]::new),
                                        certificates.values().toArray(OffsetDateTime[]::new)))))
                .await().atMost(TIMEOUT);
        sample.stop(flushes);
    }

    private static String upsertAggregate(String table) {
        return "insert into " + table + """
                 as a (service_id, bucket, checks, healthy, degraded, unhealthy, response_time_sum_ms, response_time_max_ms)
                select * from unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[], $8::int[])
                on conflict (service_id, bucket) do update set checks = a.checks + excluded.checks,
                    healthy = a.healthy + excluded.healthy, degraded = a.degraded + excluded.degraded,
                    unhealthy = a.unhealthy + excluded.unhealthy,
                    response_time_sum_ms = a.response_time_sum_ms + excluded.response_time_sum_ms,
                    response_time_max_ms = greatest(a.response_time_max_ms, excluded.response_time_max_ms)""";
    }

    private static Tuple aggregateTuple(Map<Bucket, Sums> sums) {
        int n = sums.size();
        UUID[] services = new UUID[n];
        OffsetDateTime[] buckets = new OffsetDateTime[n];
        Integer[] checks = new Integer[n];
        Integer[] healthy = new Integer[n];
        Integer[] degraded = new Integer[n];
        Integer[] unhealthy = new Integer[n];
        Long[] responseSum = new Long[n];
        Integer[] responseMax = new Integer[n];
        int i = 0;
        for (Map.Entry<Bucket, Sums> e : sums.entrySet()) {
            Sums s = e.getValue();
            services[i] = e.getKey().serviceId();
            buckets[i] = e.getKey().start();
            checks[i] = s.checks;
            healthy[i] = s.healthy;
            degraded[i] = s.degraded;
            unhealthy[i] = s.unhealthy;
            responseSum[i] = s.responseSum;
            responseMax[i] = s.responseMax;
            i++;
        }
        return Tuple.from(new Object[] { services, buckets, checks, healthy, degraded, unhealthy, responseSum, responseMax });
    }

    private record Bucket(UUID serviceId, OffsetDateTime start) {
    }

    private static final class Sums {
        int checks;
        int healthy;
        int degraded;
        int unhealthy;
        long responseSum;
        int responseMax;

        void add(ProbeResult r) {
            checks++;
            if (r.status() == HealthStatus.HEALTHY) {
                healthy++;
            } else if (r.status() == HealthStatus.DEGRADED) {
                degraded++;
            } else {
                unhealthy++;
            }
            int ms = (int) Math.min(Integer.MAX_VALUE, r.responseTimeMs());
            responseSum += ms;
            responseMax = Math.max(responseMax, ms);
        }
    }
}
