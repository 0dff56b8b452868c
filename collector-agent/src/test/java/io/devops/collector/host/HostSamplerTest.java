package io.devops.collector.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.devops.common.events.MetricBatch.Sample;

/** Reads this machine, for real: every value within physical bounds, the top lists really ranked. */
class HostSamplerTest {

    @Test
    void readsThisHostWithinPhysicalBounds() {
        List<Sample> samples = secondReading(new HostSampler(5, Path.of("/proc"), Path.of("/sys")));

        double cores = one(samples, "system_cpu_cores");
        assertThat(cores).isGreaterThanOrEqualTo(1);
        for (String percent : List.of("system_cpu_usage_percent", "system_cpu_user_percent", "system_cpu_system_percent",
                "system_cpu_iowait_percent", "system_cpu_steal_percent", "system_memory_usage_percent")) {
            assertThat(one(samples, percent)).as(percent).isBetween(0.0, 100.0);
        }
        assertThat(all(samples, "system_cpu_core_usage_percent")).hasSize((int) cores)
                .allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 100.0));
        double total = one(samples, "system_memory_total_bytes");
        assertThat(total).isGreaterThan(64L * 1024 * 1024);
        assertThat(one(samples, "system_memory_available_bytes")).isBetween(0.0, total);
        assertThat(one(samples, "system_memory_used_bytes") + one(samples, "system_memory_available_bytes")).isEqualTo(total);
        assertThat(one(samples, "system_load_1m")).isGreaterThanOrEqualTo(0);
        assertThat(one(samples, "system_processes_total")).isGreaterThan(1);
        assertThat(one(samples, "system_threads_total")).isGreaterThanOrEqualTo(one(samples, "system_processes_total"));
        assertThat(one(samples, "system_uptime_seconds")).isPositive();

        List<Sample> disks = all(samples, "system_disk_total_bytes");
        assertThat(disks).isNotEmpty();
        for (Sample disk : disks) {
            Map<String, String> labels = disk.labels();
            assertThat(labels).containsKeys("mount", "device", "fstype");
            double free = matching(samples, "system_disk_free_bytes", labels);
            assertThat(free).isBetween(0.0, disk.value());
            assertThat(matching(samples, "system_disk_usage_percent", labels)).isBetween(0.0, 100.0);
        }
        assertThat(all(samples, "system_network_bytes_recv")).isNotEmpty()
                .allSatisfy(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
    }

    @Test
    void topProcessesAreRankedAndFew() {
        List<Sample> samples = secondReading(new HostSampler(5, Path.of("/proc"), Path.of("/sys")));
        List<Sample> byMemory = all(samples, "process_memory_rss_bytes");
        assertThat(byMemory).hasSize(5);
        assertThat(byMemory).extracting(s -> s.labels().get("rank")).containsExactly("1", "2", "3", "4", "5");
        assertThat(byMemory).isSortedAccordingTo(Comparator.comparingDouble(Sample::value).reversed());
        List<Sample> byCpu = all(samples, "process_cpu_usage_percent");
        assertThat(byCpu).hasSizeLessThanOrEqualTo(5).isNotEmpty();
        assertThat(byCpu).isSortedAccordingTo(Comparator.comparingDouble(Sample::value).reversed());
        assertThat(byCpu).allSatisfy(s -> {
            assertThat(s.value()).isBetween(0.0, 100.0);
            assertThat(s.labels()).containsKeys("process_name", "rank");
        });
    }

    /** CPU figures need two readings some clock ticks apart. */
    private static List<Sample> secondReading(HostSampler sampler) {
        sampler.sample();
        AtomicReference<List<Sample>> reading = new AtomicReference<>();
        await().pollInterval(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10)).until(() -> {
            reading.set(sampler.sample());
            return !all(reading.get(), "system_cpu_usage_percent").isEmpty()
                    && !all(reading.get(), "process_cpu_usage_percent").isEmpty();
        });
        return reading.get();
    }

    private static double one(List<Sample> samples, String name) {
        List<Sample> found = all(samples, name);
        assertThat(found).as(name).hasSize(1);
        return found.get(0).value();
    }

    private static List<Sample> all(List<Sample> samples, String name) {
        Predicate<Sample> named = s -> s.name().equals(name);
        return samples.stream().filter(named).toList();
    }

    private static double matching(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst().orElseThrow()
                .value();
    }
}
