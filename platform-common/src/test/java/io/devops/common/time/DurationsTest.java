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
}
