package io.devops.monitoring.history;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.common.PlatformSettings;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the daily partitions of the high-volume tables ({@code check_result}, {@code metric_sample}):
 * creates today's and the next few ahead of time, and drops every partition wholly older than its
 * table's retention, which frees its space at once with no row-by-row delete. Aggregates and
 * rollups go by their own, longer retention. Every replica runs it; an advisory lock makes them
 * take turns.
 */
@ApplicationScoped
public class DailyPartitions {
    public static final String CHECK_RESULTS = "check_result";
    public static final String METRIC_SAMPLES = "metric_sample";

    private static final Logger LOG = Logger.getLogger(DailyPartitions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Pattern PARTITION = Pattern.compile(".*_(\\d{8})");

    private final Pool pool;
    private final MonitoringSettings settings;
    private final String schema;
    private final Map<String, Duration> retention;

    DailyPartitions(Pool pool, MonitoringSettings settings, PlatformSettings platform) {
        this.pool = pool;
        this.settings = settings;
        this.schema = platform.schema();
        this.retention = Map.of(CHECK_RESULTS, settings.history().retention(), METRIC_SAMPLES, settings.metrics().retention());
    }

    @Scheduled(every = "1h", delay = 1, delayUnit = java.util.concurrent.TimeUnit.HOURS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledMaintenance() {
        try {
            maintain();
        } catch (RuntimeException e) {
            LOG.warnf("partition maintenance failed, retrying in an hour: %s", e.getMessage());
        }
    }

    /** Creates each table's partitions from yesterday to the days ahead, and drops those past the retention. */
    public void maintain() {
        OffsetDateTime now = Timestamps.now();
        LocalDate today = now.toLocalDate();
        int ahead = settings.history().partitionsAhead();
        pool.withTransaction(connection -> {
            Uni<Void> chain = lock(connection);
            for (Map.Entry<String, Duration> table : retention.entrySet()) {
                OffsetDateTime oldestKept = now.minus(table.getValue());
                chain = chain.chain(() -> existing(connection, table.getKey()))
                        .chain(days -> createDays(connection, table.getKey(), days, today.minusDays(1), today.plusDays(ahead))
                                .chain(() -> dropOlderThan(connection, table.getKey(), days, oldestKept)));
            }
            OffsetDateTime aggregates = now.minus(settings.history().aggregateRetention());
            OffsetDateTime minuteRollups = now.minus(settings.metrics().minuteRollupRetention());
            OffsetDateTime hourRollups = now.minus(settings.metrics().hourRollupRetention());
            return chain
                    .chain(() -> connection.preparedQuery("delete from check_hourly where bucket < $1").execute(Tuple.of(aggregates)))
                    .chain(() -> connection.preparedQuery("delete from check_daily where bucket < $1").execute(Tuple.of(aggregates)))
                    .chain(() -> connection.preparedQuery("delete from metric_rollup_1m where bucket < $1")
                            .execute(Tuple.of(minuteRollups)))
                    .chain(() -> connection.preparedQuery("delete from metric_rollup_1h where bucket < $1")
                            .execute(Tuple.of(hourRollups)));
        }).await().atMost(TIMEOUT);
    }

    /** Creates the partitions of {@code table} for the given days (both included) that do not exist yet. */
    public void create(String table, LocalDate from, LocalDate to) {
        pool.withTransaction(connection -> lock(connection).chain(() -> existing(connection, table))
                .chain(days -> createDays(connection, table, days, from, to))).await().atMost(TIMEOUT);
    }

    /** The days {@code table} has a partition for, oldest first. */
    public List<LocalDate> days(String table) {
        return pool.withConnection(connection -> existing(connection, table)).await().atMost(TIMEOUT);
    }

    private Uni<Void> lock(SqlConnection connection) {
        return connection.query("select pg_advisory_xact_lock(hashtext('" + schema + " partitions'))").execute()
                .replaceWithVoid();
    }

    private Uni<Void> createDays(SqlConnection connection, String table, List<LocalDate> existing, LocalDate from,
            LocalDate to) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            if (existing.contains(day)) {
                continue;
            }
            String sql = "create table " + schema + "." + table + "_" + SUFFIX.format(day) + " partition of "
                    + schema + "." + table + " for values from ('" + day + " 00:00:00+00') to ('" + day.plusDays(1)
                    + " 00:00:00+00')";
            chain = chain.chain(() -> connection.query(sql).execute().replaceWithVoid());
        }
        return chain;
    }

    private Uni<List<LocalDate>> existing(SqlConnection connection, String table) {
        return connection.preparedQuery("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = ($1::text || '.' || $2::text)::regclass order by c.relname""").execute(Tuple.of(schema, table))
                .map(rows -> {
                    List<LocalDate> days = new java.util.ArrayList<>();
                    rows.forEach(row -> {
                        Matcher m = PARTITION.matcher(row.getString(0));
                        if (m.matches()) {
                            days.add(LocalDate.parse(m.group(1), SUFFIX));
                        }
                    });
                    return days;
                });
    }

    private Uni<Void> dropOlderThan(SqlConnection connection, String table, List<LocalDate> days, OffsetDateTime oldestKept) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LocalDate day : days) {
            if (!day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).isAfter(oldestKept)) {
                String partition = table + "_" + SUFFIX.format(day);
                chain = chain.chain(() -> connection.query("drop table if exists " + schema + "." + partition).execute()
                        .invoke(() -> LOG.infof("dropped %s past retention", partition)).replaceWithVoid());
            }
        }
        return chain;
    }
}
