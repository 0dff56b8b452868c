package io.devops.common.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsWhatAlertmanagerConfigurationsWrite() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(Durations.parse(" PT2H ")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("0s")).isZero();
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : new String[] { "", "5", "m", "5x", "5m3", "-5m", "1.5h", "P", null }) {
            assertThatThrownBy(() -> Durations.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void formatsShortestAndReadsBack() {
        for (Duration duration : new Duration[] { Duration.ZERO, Duration.ofMillis(1500), Duration.ofMinutes(90),
                Duration.ofDays(3).plusSeconds(5) }) {
            assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
        }
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    }

    @Test
    void readsAsPeopleWriteInProse() {
        Object[][] rows = {
                { Duration.ofSeconds(45), "45 s" },
                { Duration.ofMinutes(45), "45 min" },
                { Duration.ofHours(6), "6 h 0 min" },
                { Duration.ofMinutes(95), "1 h 35 min" },
                { Duration.ofDays(3).plusHours(4).plusMinutes(59), "3 d 4 h" },
        };
        for (Object[] row : rows) {
            assertThat(Durations.readable((Duration) row[0])).as(row[0].toString()).isEqualTo(row[1]);
        }
    }
}
