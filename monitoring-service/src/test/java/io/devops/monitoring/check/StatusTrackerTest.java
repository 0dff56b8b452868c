package io.devops.monitoring.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.devops.common.events.HealthStatus;
import io.devops.monitoring.probe.CheckReason;
import io.devops.monitoring.probe.ProbeResult;
import io.devops.monitoring.status.StatusChange;

class StatusTrackerTest {
    private static final ProbeResult OK = result(CheckReason.OK);
    private static final ProbeResult SLOW = result(CheckReason.SLOW_RESPONSE);
    private static final ProbeResult DOWN = result(CheckReason.UNEXPECTED_STATUS);
    private static final ProbeResult TIMEOUT = result(CheckReason.TIMEOUT);

    @Test
    void statusChangesOnlyAfterTheThresholdInARow() {
        StatusTracker tracker = new StatusTracker(HealthStatus.UNKNOWN);
        assertThat(apply(tracker, OK)).isEmpty();
        StatusChange up = apply(tracker, OK).orElseThrow();
        assertThat(up.previous()).isEqualTo(HealthStatus.UNKNOWN);
        assertThat(up.status()).isEqualTo(HealthStatus.HEALTHY);

        assertThat(apply(tracker, TIMEOUT)).isEmpty();
        assertThat(apply(tracker, DOWN)).isEmpty();
        StatusChange down = apply(tracker, DOWN).orElseThrow();
        assertThat(down.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(down.trigger()).isSameAs(DOWN);
        // the streak began with the timeout: that is the incident's first error
        assertThat(down.firstOfStreak()).isSameAs(TIMEOUT);
        assertThat(apply(tracker, DOWN)).isEmpty();
        assertThat(tracker.current()).isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void aBrokenStreakStartsOver() {
        StatusTracker tracker = new StatusTracker(HealthStatus.HEALTHY);
        for (int i = 0; i < 5; i++) {
            assertThat(apply(tracker, DOWN)).isEmpty();
            assertThat(apply(tracker, DOWN)).isEmpty();
            assertThat(apply(tracker, OK)).isEmpty();
        }
        assertThat(tracker.current()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void slownessIsItsOwnStatus() {
        StatusTracker tracker = new StatusTracker(HealthStatus.HEALTHY);
        assertThat(apply(tracker, SLOW)).isEmpty();
        assertThat(apply(tracker, SLOW).orElseThrow().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(apply(tracker, OK)).isEmpty();
        assertThat(apply(tracker, OK).orElseThrow().status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void aMaintenanceWindowHoldsBackUnhealthyUntilItEnds() {
        StatusTracker tracker = new StatusTracker(HealthStatus.HEALTHY);
        for (int i = 0; i < 6; i++) {
            assertThat(tracker.apply(DOWN, 3, 2, true)).isEmpty();
        }
        assertThat(tracker.heldBack(3)).isTrue();
        assertThat(tracker.current()).isEqualTo(HealthStatus.HEALTHY);
        StatusChange after = tracker.apply(DOWN, 3, 2, false).orElseThrow();
        assertThat(after.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(tracker.heldBack(3)).isFalse();
    }

    private static Optional<StatusChange> apply(StatusTracker tracker, ProbeResult result) {
        return tracker.apply(result, 3, 2, false);
    }

    private static ProbeResult result(CheckReason reason) {
        return new ProbeResult(reason.status(), reason, reason.json(), 200, 5, null, OffsetDateTime.now(ZoneOffset.UTC));
    }
}
