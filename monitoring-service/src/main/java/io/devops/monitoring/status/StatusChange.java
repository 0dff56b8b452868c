package io.devops.monitoring.status;

import io.devops.common.events.HealthStatus;
import io.devops.monitoring.probe.ProbeResult;

/**
 * A service's checked status changed: what the checker's {@code StatusTracker} decides and the
 * {@link TransitionWriter} makes durable.
 *
 * @param trigger       the check that completed the streak
 * @param firstOfStreak the first check of that streak: when the new status began, and for an incident its first error
 */
public record StatusChange(HealthStatus previous, HealthStatus status, ProbeResult trigger, ProbeResult firstOfStreak) {
}
