package io.devops.monitoring.check;

import java.util.Optional;

import io.devops.common.events.HealthStatus;
import io.devops.monitoring.probe.ProbeResult;
import io.devops.monitoring.status.StatusChange;

/**
 * One service's status as its checks decide it: the status changes to unhealthy only after
 * {@code failure_threshold} unhealthy results in a row, and to healthy or degraded only after
 * {@code success_threshold} such results in a row, so one blip pages nobody. In a maintenance
 * window a change to unhealthy is held back; once the window ends the next failure makes it.
 */
public final class StatusTracker {
    private HealthStatus current;
    private HealthStatus streakStatus;
    private int streakLength;
    private ProbeResult streakFirst;

    public StatusTracker(HealthStatus initial) {
        this.current = initial;
    }

    public synchronized HealthStatus current() {
        return current;
    }

    /** Counts one result; returns the change it completes, if any. */
    public synchronized Optional<StatusChange> apply(ProbeResult result, int failureThreshold, int successThreshold,
            boolean inMaintenance) {
        if (result.status() == streakStatus) {
            streakLength++;
        } else {
            streakStatus = result.status();
            streakLength = 1;
            streakFirst = result;
        }
        if (streakStatus == current) {
            return Optional.empty();
        }
        int threshold = streakStatus == HealthStatus.UNHEALTHY ? failureThreshold : successThreshold;
        if (streakLength < threshold || streakStatus == HealthStatus.UNHEALTHY && inMaintenance) {
            return Optional.empty();
        }
        StatusChange change = new StatusChange(current, streakStatus, result, streakFirst);
        current = streakStatus;
        return Optional.of(change);
    }

    /** Whether the latest results would make the service unhealthy but a maintenance window holds the change back. */
    public synchronized boolean heldBack(int failureThreshold) {
        return streakStatus == HealthStatus.UNHEALTHY && current != HealthStatus.UNHEALTHY && streakLength >= failureThreshold;
    }
}
