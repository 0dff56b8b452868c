package io.devops.deployer.dora;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The four DORA figures of one service in one environment over a window. Durations are in seconds;
 * a figure with nothing to measure is null.
 */
public record DoraFigures(UUID serviceId, String serviceName, String environment, OffsetDateTime from, OffsetDateTime to,
        long deployments, double deploymentsPerDay, Double leadTimeSeconds, long changes, long failedChanges,
        Double changeFailureRate, long restores, Double timeToRestoreSeconds) {

    /** The raw counts and durations of one service and environment, as the queries read them. */
    record Facts(UUID serviceId, String serviceName, String environment, long deployments, List<Double> leadTimes, long changes,
            long failedChanges, List<Double> restoreTimes) {
    }

    static DoraFigures of(Facts facts, OffsetDateTime from, OffsetDateTime to) {
        double days = Math.max(Duration.between(from, to).toSeconds() / 86_400.0, 1.0 / 24);
        return new DoraFigures(facts.serviceId(), facts.serviceName(), facts.environment(), from, to, facts.deployments(),
                facts.deployments() / days, median(facts.leadTimes()), facts.changes(), facts.failedChanges(),
                facts.changes() == 0 ? null : (double) facts.failedChanges() / facts.changes(), facts.restoreTimes().size(),
                median(facts.restoreTimes()));
    }

    /** The median, the figure DORA reports for lead time and time to restore; null for no values. */
    static Double median(List<Double> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }
}
