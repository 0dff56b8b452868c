package io.devops.monitoring.metrics;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.common.PlatformSettings;
import io.devops.monitoring.MonitoringSettings;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Brings the minute and hour rollups up to date: recomputes every minute that ingest marked
 * (including minutes a late batch touched again), then the hours those minutes belong to, and
 * takes the marks away; a failed run puts the marks back for the next. A minute is left alone until 70 s after it
 * began, when its samples have arrived, and until ingest has not marked it for {@code rollup-settle}: a minute that
 * late samples still reach (an agent's backlog being drained) is computed once they stop, not after every batch.
 * Every replica runs it; an advisory lock makes them take turns.
 */
@ApplicationScoped
public class MetricRollups {
    private static final Logger LOG = Logger.getLogger(MetricRollups.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Pool pool;
    private final String schema;
    private final Duration settle;

    MetricRollups(Pool pool, PlatformSettings platform, MonitoringSettings settings) {
        this.pool = pool;
        this.schema = platform.schema();
        this.settle = settings.metrics().rollupSettle();
    }

    @Scheduled(every = "${monitoring.metrics.rollup-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            rollUp();
        } catch (RuntimeException e) {
            LOG.warnf("rollups not brought up to date, retrying at the next run: %s", e.getMessage());
        }
    }

    /** Recomputes the marked minutes that are complete and their hours; returns how many minutes. */
    public int rollUp() {
        List<OffsetDateTime> minutes = take();
        if (minutes.isEmpty()) {
            return 0;
        }
        try {
            compute(minutes);
        } catch (RuntimeException e) {
            // Put the marks back, so the next run computes these minutes.
            pool.preparedQuery("insert into metric_rollup_pending (bucket) select unnest($1::timestamptz[]) on conflict do nothing")
                    .execute(Tuple.of(minutes.toArray(OffsetDateTime[]::new))).await().atMost(TIMEOUT);
            throw e;
        }
        return minutes.size();
    }

    /**
     * Takes the marks of complete minutes in a short transaction of its own: ingest marks minutes as
     * it writes, and must never wait for a long rollup to finish.
     */
    private List<OffsetDateTime> take() {
        return pool.withTransaction(connection -> connection
                .query("select pg_try_advisory_xact_lock(hashtext('" + schema + " metric rollups'))").execute()
                .chain(lock -> !lock.iterator().next().getBoolean(0) ? Uni.createFrom().item(List.<OffsetDateTime>of())
                        : connection.preparedQuery("""
                                delete from metric_rollup_pending
                                where bucket < now() - interval '70 seconds' and marked_at < now() - $1::text::interval
                                returning bucket""").execute(Tuple.of(settle.toMillis() + " milliseconds")).map(rows -> {
                            List<OffsetDateTime> taken = new ArrayList<>(rows.size());
                            rows.forEach(row -> taken.add(row.getOffsetDateTime(0)));
                            return taken;
                        })))
                .await().atMost(TIMEOUT);
    }

    private void compute(List<OffsetDateTime> minutes) {
        OffsetDateTime[] hours = minutes.stream().map(m -> m.truncatedTo(ChronoUnit.HOURS)).distinct()
                .toArray(OffsetDateTime[]::new);
        pool.withTransaction(connection -> connection.preparedQuery("""
                insert into metric_rollup_1m as r (series_id, bucket, samples, sum, min, max, last)
                select series_id, date_trunc('minute', ts), count(*), sum(value), min(value), max(value),
                       (array_agg(value order by ts desc))[1]
                from metric_sample
                where ts >= $2 and ts < $3 and date_trunc('minute', ts) = any($1)
                group by 1, 2
                on conflict (series_id, bucket) do update set samples = excluded.samples, sum = excluded.sum,
                    min = excluded.min, max = excluded.max, last = excluded.last""")
                .execute(Tuple.of(minutes.toArray(OffsetDateTime[]::new), Collections.min(minutes),
                        Collections.max(minutes).plusMinutes(1)))
                .chain(() -> connection.preparedQuery("""
                        insert into metric_rollup_1h as r (series_id, bucket, samples, sum, min, max, last)
                        select series_id, date_trunc('hour', bucket), sum(samples), sum(sum), min(min), max(max),
                               (array_agg(last order by bucket desc))[1]
                        from metric_rollup_1m
                        where bucket >= $2 and bucket < $3 and date_trunc('hour', bucket) = any($1)
                        group by 1, 2
                        on conflict (series_id, bucket) do update set samples = excluded.samples,
                            sum = excluded.sum, min = excluded.min, max = excluded.max, last = excluded.last""")
                        .execute(Tuple.of(hours, Arrays.stream(hours).min(OffsetDateTime::compareTo).orElseThrow(),
                                Arrays.stream(hours).max(OffsetDateTime::compareTo).orElseThrow().plusHours(1)))))
                .await().atMost(TIMEOUT);
    }
}
