package io.devops.common.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration INITIAL = Duration.ofMillis(200);
    private static final Duration MAX = Duration.ofSeconds(5);

    @Test
    void doublesAfterEachFailureUpToItsMaximum() {
        record Row(int failures, long millis) {
        }
        List<Row> rows = List.of(new Row(1, 200), new Row(2, 400), new Row(3, 800), new Row(5, 3_200), new Row(6, 5_000),
                new Row(40, 5_000), new Row(10_000, 5_000));
        for (Row row : rows) {
            assertThat(Backoff.delay(INITIAL, MAX, row.failures())).as("after %d failures", row.failures())
                    .isEqualTo(Duration.ofMillis(row.millis()));
        }
    }

    @Test
    void countsARunOfFailuresAndEndsItOnSuccess() {
        Backoff backoff = new Backoff(INITIAL, MAX);
        assertThat(backoff.delay()).isZero();
        assertThat(backoff.failed()).isEqualTo(1);
        assertThat(backoff.worthLogging()).isTrue();
        assertThat(backoff.delay()).isEqualTo(INITIAL);
        assertThat(backoff.failed()).isEqualTo(2);
        assertThat(backoff.worthLogging()).isFalse();
        assertThat(backoff.delay()).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.succeeded()).isEqualTo(2);
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.delay()).isZero();
        assertThat(backoff.succeeded()).isZero();
    }

    @Test
    void logsTheFirstFailureAndEveryTwentiethOfARun() {
        Backoff backoff = new Backoff(INITIAL, MAX);
        StringBuilder logged = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            backoff.failed();
            if (backoff.worthLogging()) {
                logged.append(backoff.failures()).append(' ');
            }
        }
        assertThat(logged.toString().trim()).isEqualTo("1 20 40 60");
    }

    @Test
    void jitterStaysWithinAFifthOfTheDelay() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(Backoff.jittered(Duration.ofSeconds(1), Duration.ofMinutes(1), 3).toMillis()).isBetween(3_200L, 4_800L);
        }
    }

    @Test
    void refusesABackoffThatCannotGrow() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(MAX, INITIAL)).isInstanceOf(IllegalArgumentException.class);
    }
}
