package io.devops.collector.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskBufferTest {
    private static final long MB = 1024 * 1024;

    @TempDir
    Path directory;

    @Test
    void batchesWaitUntilAcknowledgedAndSurviveAReopen() {
        String epoch;
        try (DiskBuffer buffer = open(64 * MB, Duration.ofDays(1), MB)) {
            for (int i = 1; i <= 10; i++) {
                int n = i;
                assertThat(buffer.append(seq -> "{\"batch\":" + n + ",\"seq\":" + seq + "}")).isEqualTo(i);
            }
            List<DiskBuffer.Entry> pending = buffer.pending(100);
            assertThat(pending).extracting(DiskBuffer.Entry::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(pending.get(2).payload()).isEqualTo("{\"batch\":3,\"seq\":3}");
            buffer.acknowledge(4);
            assertThat(buffer.pending(3)).extracting(DiskBuffer.Entry::sequence).containsExactly(5L, 6L, 7L);
            epoch = buffer.epoch();
        }
        try (DiskBuffer reopened = open(64 * MB, Duration.ofDays(1), MB)) {
            assertThat(reopened.epoch()).isEqualTo(epoch);
            assertThat(reopened.lastAcknowledged()).isEqualTo(4);
            assertThat(reopened.pending(100)).extracting(DiskBuffer.Entry::sequence).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(reopened.append(seq -> "{}")).isEqualTo(11);
            reopened.acknowledge(11);
            assertThat(reopened.pendingCount()).isZero();
        }
    }

    @Test
    void aLineTornByACrashIsCutOff() throws IOException {
        try (DiskBuffer buffer = open(64 * MB, Duration.ofDays(1), MB)) {
            buffer.append(seq -> "{\"a\":1}");
            buffer.append(seq -> "{\"a\":2}");
        }
        Path segment;
        try (Stream<Path> files = Files.list(directory)) {
            segment = files.filter(p -> p.getFileName().toString().startsWith("segment-")).findFirst().orElseThrow();
        }
        Files.writeString(segment, "3\t17000\t{\"a\":", StandardOpenOption.APPEND);
        try (DiskBuffer reopened = open(64 * MB, Duration.ofDays(1), MB)) {
            assertThat(reopened.pending(100)).extracting(DiskBuffer.Entry::payload).containsExactly("{\"a\":1}", "{\"a\":2}");
            assertThat(reopened.append(seq -> "{\"a\":3}")).isEqualTo(3);
            assertThat(reopened.pending(100)).extracting(DiskBuffer.Entry::payload).containsExactly("{\"a\":1}", "{\"a\":2}",
                    "{\"a\":3}");
        }
    }

    @Test
    void beyondTheSizeLimitTheOldestAreDroppedAndCounted() {
        String payload = "x".repeat(1000);
        try (DiskBuffer buffer = open(20_000, Duration.ofDays(1), 5_000)) {
            for (int i = 0; i < 100; i++) {
                buffer.append(seq -> payload);
            }
            assertThat(buffer.sizeBytes()).isLessThanOrEqualTo(20_000 + 5_100);
            assertThat(buffer.droppedCount()).isPositive();
            assertThat(buffer.droppedCount() + buffer.pendingCount()).isEqualTo(100);
            List<DiskBuffer.Entry> left = buffer.pending(1000);
            // the newest are kept, in order
            assertThat(left.get(left.size() - 1).sequence()).isEqualTo(100);
            for (int i = 1; i < left.size(); i++) {
                assertThat(left.get(i).sequence()).isEqualTo(left.get(i - 1).sequence() + 1);
            }
        }
    }

    @Test
    void batchesPastTheAgeLimitAreDroppedAndCounted() {
        try (DiskBuffer buffer = open(64 * MB, Duration.ofMillis(200), MB)) {
            buffer.append(seq -> "{\"old\":1}");
            buffer.append(seq -> "{\"old\":2}");
            await().atMost(Duration.ofSeconds(5)).until(() -> buffer.pending(10).isEmpty());
            assertThat(buffer.droppedCount()).isEqualTo(2);
            buffer.append(seq -> "{\"new\":3}");
            assertThat(buffer.pending(10)).extracting(DiskBuffer.Entry::payload).containsExactly("{\"new\":3}");
        }
    }

    private DiskBuffer open(long maxBytes, Duration maxAge, long segmentBytes) {
        return new DiskBuffer(directory, maxBytes, maxAge, segmentBytes);
    }
}
