package io.devops.monitoring.check;

import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;

import io.devops.common.events.HealthStatus;
import io.devops.monitoring.catalog.ServiceDefinition;

/** A service this replica checks: its definition, its status streaks and its next check. */
final class MonitoredTarget {
    final UUID id;
    final StatusTracker tracker;
    volatile ServiceDefinition definition;
    volatile OffsetDateTime tlsExpiresAt;
    /** A check of this service is under way; its result is still to be stored. */
    volatile boolean checking;

    /** Guarded by this: a check scheduled under an older generation is dropped, so a reschedule never doubles checks. */
    private long generation;
    private ScheduledFuture<?> next;
    private boolean active = true;

    MonitoredTarget(ServiceDefinition definition, HealthStatus status) {
        this.id = definition.id();
        this.definition = definition;
        this.tracker = new StatusTracker(status);
    }

    synchronized long generation() {
        return generation;
    }

    synchronized boolean isCurrent(long scheduledGeneration) {
        return active && generation == scheduledGeneration;
    }

    synchronized boolean isActive() {
        return active;
    }

    /** Starts a new generation, cancelling the check scheduled under the old one. */
    synchronized long restart() {
        if (next != null) {
            next.cancel(false);
            next = null;
        }
        return ++generation;
    }

    synchronized void scheduled(long scheduledGeneration, ScheduledFuture<?> future) {
        if (active && generation == scheduledGeneration) {
            next = future;
        } else {
            future.cancel(false);
        }
    }

    synchronized void stop() {
        active = false;
        if (next != null) {
            next.cancel(false);
            next = null;
        }
    }
}
