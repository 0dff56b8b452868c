package io.devops.monitoring.history;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.devops.common.PlatformSettings;
import io.devops.monitoring.MonitoringSettings;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps {@code check_result}'s daily partitions: creates today's and the next few ahead of time,
 * and drops every partition wholly older than the retention, which frees its space at once with
 * no row-by-row delete. Old hourly and daily aggregates go by their own, longer retention. Every
 * replica runs it; an advisory lock makes them take turns.
 */
@ApplicationScoped
public class CheckPartitions {
    private static final Logger LOG = Logger.getLogger(CheckPartitions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Pattern PARTITION = Pattern.compile("check_result_(\\d{8})");

    private final Pool pool;
    private final MonitoringSettings.History settings;
    private final String schema;

    CheckPartitions(Pool pool, MonitoringSettings settings, PlatformSettings platform) {
        this.pool = pool;
        this.settings = settings.history();
        this.schema = platform.schema();
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

    /** Creates the partitions from yesterday to the days ahead, and drops those past the retention. */
    public void maintain() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime oldestKept = now.minus(settings.retention());
        pool.withTransaction(connection -> lock(connection)
                .chain(() -> existing(connection))
                .chain(days -> createDays(connection, days, today.minusDays(1), today.plusDays(settings.partitionsAhead()))
                        .chain(() -> dropOlderThan(connection, days, oldestKept)))
                .chain(() -> connection.preparedQuery("delete from check_hourly where bucket < $1")
                        .execute(Tuple.of(now.minus(settings.aggregateRetention()))))
                .chain(() -> connection.preparedQuery("delete from check_daily where bucket < $1")
                        .execute(Tuple.of(now.minus(settings.aggregateRetention())))))
                .await().atMost(TIMEOUT);
    }

    /** Creates the partitions of the given days (both included) that do not exist yet. */
    public void create(LocalDate from, LocalDate to) {
        pool.withTransaction(connection -> lock(connection).chain(() -> existing(connection))
                .chain(days -> createDays(connection, days, from, to))).await().atMost(TIMEOUT);
    }

    /** The days that have a partition, oldest first. */
    public List<LocalDate> days() {
        return pool.withConnection(this::existing).await().atMost(TIMEOUT);
    }

    private Uni<Void> lock(SqlConnection connection) {
        return connection.query("select pg_advisory_xact_lock(hashtext('" + schema + ".check_result partitions'))").execute()
                .replaceWithVoid();
    }

    private Uni<Void> createDays(SqlConnection connection, List<LocalDate> existing, LocalDate from, LocalDate to) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            if (existing.contains(day)) {
                continue;
            }
            String sql = "create table " + schema + ".check_result_" + SUFFIX.format(day) + " partition of "
                    + schema + ".check_result for values from ('" + day + " 00:00:00+00') to ('" + day.plusDays(1)
                    + " 00:00:00+00')";
            chain = chain.chain(() -> connection.query(sql).execute().replaceWithVoid());
        }
        return chain;
    }

    private Uni<List<LocalDate>> existing(SqlConnection connection) {
        return connection.preparedQuery("""
                select c.relname from pg_inherits i join pg_class c on c.oid = i.inhrelid
                where i.inhparent = ($1::text || '.check_result')::regclass order by c.relname""").execute(Tuple.of(schema))
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

    private Uni<Void> dropOlderThan(SqlConnection connection, List<LocalDate> days, OffsetDateTime oldestKept) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (LocalDate day : days) {
            if (!day.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC).isAfter(oldestKept)) {
                String sql = "drop table if exists " + schema + ".check_result_" + SUFFIX.format(day);
                chain = chain.chain(() -> connection.query(sql).execute().invoke(() -> LOG.infof("dropped %s past retention",
                        "check_result_" + SUFFIX.format(day))).replaceWithVoid());
            }
        }
        return chain;
    }
}
