package io.devops.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TopicProbe;

/**
 * Two monitoring-service processes share the catalog by Kafka partitions: together they check
 * every service once per interval, never twice; when one is killed, the other takes over its
 * partitions and skips no service.
 */
class ShardedCheckingIT {
    private static final int SERVICES = 48;
    private static final long INTERVAL_MS = 2_000;
    /** The session timeout the processes run with: how long a killed replica's partitions wait for a new owner. */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final ObjectMapper JSON = new EventCodec().mapper();

    private static TargetServer target;
    private static final List<String> names = new ArrayList<>();

    @BeforeAll
    static void publishCatalog() throws Exception {
        target = TargetServer.start();
        HealthCheckSpec check = new HealthCheckSpec(HealthCheckSpec.CheckType.HTTP, "GET", "/health", Map.of(), List.of(),
                (int) (INTERVAL_MS / 1000), 1, 3, 1, null, null, 14, true);
        for (int i = 0; i < SERVICES; i++) {
            String name = "sharded-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
            names.add(name);
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            ServiceSnapshot snapshot = new ServiceSnapshot(UUID.randomUUID(), name, target.url(name), "staging", "1.0.0",
                    HealthStatus.UNKNOWN, List.of(), Map.of(), check, null, null, now, now, 1);
            TopicProbe.publish(TestPlatform.bootstrap(), Topic.REGISTRY_SERVICES.topicName(), snapshot.id().toString(),
                    ServiceSnapshot.REGISTERED, JSON.writeValueAsString(snapshot));
        }
    }

    @AfterAll
    static void stopTarget() {
        target.close();
    }

    @Test
    void twoReplicasShareTheChecksAndOneTakesOverWhenTheOtherIsKilled() {
        try (TopicProbe health = TopicProbe.open(TestPlatform.bootstrap(), Topic.MONITORING_HEALTH.topicName());
                ServiceProcess first = ServiceProcess.start("monitoring-service", "monitoring-1", monitoring(true));
                ServiceProcess second = ServiceProcess.start("monitoring-service", "monitoring-2", monitoring(false))) {
            // Both own a share, and together all of them (other tests' services may be in the catalog too).
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(first.metric("monitoring_services_owned")).isPositive();
                assertThat(second.metric("monitoring_services_owned")).isPositive();
                assertThat(first.metric("monitoring_services_owned") + second.metric("monitoring_services_owned"))
                        .isGreaterThanOrEqualTo(SERVICES);
            });
            double catalog = first.metric("monitoring_services_owned") + second.metric("monitoring_services_owned");

            long windowStart = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() - windowStart > 4 * INTERVAL_MS
                    && names.stream().allMatch(n -> target.hits(n) > 0));
            assertCheckedOncePerInterval(windowStart, System.currentTimeMillis());

            second.kill();
            long killedAt = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(first.metric("monitoring_services_owned")).isEqualTo(catalog));
            long takenOver = System.currentTimeMillis();
            // No service waited longer for its next check than the session timeout and two intervals.
            for (String name : names) {
                List<Long> after = target.hitTimes(name).stream().filter(t -> t >= killedAt).toList();
                long previous = target.hitTimes(name).stream().filter(t -> t < killedAt).reduce((a, b) -> b).orElse(killedAt);
                long firstAfter = after.isEmpty() ? Long.MAX_VALUE : after.get(0);
                if (after.isEmpty()) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> target.hitTimes(name).stream().anyMatch(t -> t >= killedAt));
                    firstAfter = target.hitTimes(name).stream().filter(t -> t >= killedAt).findFirst().orElseThrow();
                }
                assertThat(firstAfter - previous).as("wait for the next check of %s across the takeover", name)
                        .isLessThan(SESSION_TIMEOUT.toMillis() + 4 * INTERVAL_MS);
            }
            long settled = System.currentTimeMillis();
            await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() - settled > 4 * INTERVAL_MS);
            assertCheckedOncePerInterval(Math.max(settled, takenOver), System.currentTimeMillis());

            // Each service became healthy once, whichever replica checked it.
            List<ConsumerRecord<String, String>> events = TopicProbe.distinctEvents(health.drain(Duration.ofSeconds(2)))
                    .stream().filter(r -> names.contains(serviceName(r))).toList();
            assertThat(events).hasSize(SERVICES);
            assertThat(events.stream().map(ShardedCheckingIT::status)).containsOnly("healthy");
        }
    }

    /** Within the window every service was checked about once per interval: no two checks closer than half of it. */
    private static void assertCheckedOncePerInterval(long from, long to) {
        for (String name : names) {
            List<Long> times = target.hitTimes(name).stream().filter(t -> t >= from && t <= to).toList();
            long expected = (to - from) / INTERVAL_MS;
            assertThat((long) times.size()).as("checks of %s in %d ms", name, to - from).isBetween(expected - 1, expected + 1);
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i) - times.get(i - 1)).as("gap between checks of %s", name)
                        .isGreaterThan(INTERVAL_MS / 2);
            }
        }
    }

    private static Map<String, String> monitoring(boolean clean) {
        Map<String, String> settings = TestPlatform.settings("monitoring", clean);
        settings.put("monitoring.catalog.session-timeout", SESSION_TIMEOUT.toSeconds() + "s");
        return settings;
    }

    private static String status(ConsumerRecord<String, String> record) {
        return field(record, "status");
    }

    private static String serviceName(ConsumerRecord<String, String> record) {
        return field(record, "service_name");
    }

    private static String field(ConsumerRecord<String, String> record, String name) {
        try {
            JsonNode body = JSON.readTree(record.value());
            return body.get(name).asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
