package io.devops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.devops.monitoring.history.DailyPartitions;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Results live in daily partitions; retention drops whole partitions, and old aggregates go by their own retention. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RetentionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    DailyPartitions partitions;

    @Inject
    Pool pool;

    @Test
    void partitionsPastTheRetentionAreDroppedAndTheRestKept() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate old = today.minusDays(10);
        LocalDate edge = today.minusDays(7);
        partitions.create(DailyPartitions.CHECK_RESULTS, old, edge);
        partitions.create(DailyPartitions.METRIC_SAMPLES, old, edge);
        UUID service = UUID.randomUUID();
        insertResult(service, old.atTime(12, 0).atOffset(ZoneOffset.UTC));
        insertResult(service, today.atStartOfDay().atOffset(ZoneOffset.UTC).plusMinutes(1));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        insertHourly(service, now.minusDays(500));
        insertHourly(service, now.minusDays(30));

        partitions.maintain();

        assertThat(partitions.days(DailyPartitions.CHECK_RESULTS)).doesNotContain(old, old.plusDays(1), old.plusDays(2))
                .contains(today.minusDays(1), today, today.plusDays(1), today.plusDays(3));
        assertThat(count("select count(*) from check_result where service_id = $1", service)).isEqualTo(1);
        // the 7-day retention keeps the partition of 7 days ago, whose end lies within it
        assertThat(partitions.days(DailyPartitions.CHECK_RESULTS)).contains(edge);
        // metric samples keep 7 days too by default
        assertThat(partitions.days(DailyPartitions.METRIC_SAMPLES)).doesNotContain(old).contains(edge, today, today.plusDays(3));
        assertThat(count("select count(*) from check_hourly where service_id = $1", service)).isEqualTo(1);
    }

    private void insertResult(UUID service, OffsetDateTime at) {
        pool.preparedQuery("""
                insert into check_result (service_id, checked_at, status, reason, response_time_ms)
                values ($1, $2, 'healthy', 'ok', 5)""").execute(Tuple.of(service, at)).await().atMost(TIMEOUT);
    }

    private void insertHourly(UUID service, OffsetDateTime bucket) {
        pool.preparedQuery("""
                insert into check_hourly (service_id, bucket, checks, healthy, degraded, unhealthy, response_time_sum_ms,
                    response_time_max_ms) values ($1, date_trunc('hour', $2::timestamptz), 1, 1, 0, 0, 5, 5)""")
                .execute(Tuple.of(service, bucket)).await().atMost(TIMEOUT);
    }

    private long count(String sql, UUID service) {
        return pool.preparedQuery(sql).execute(Tuple.of(service)).await().atMost(TIMEOUT).iterator().next().getLong(0);
    }
}
