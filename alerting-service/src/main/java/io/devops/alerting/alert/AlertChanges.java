package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a write did to alerts, as those who follow alerts (the notification groups) need it: the
 * alerts that opened and those that resolved, at the write's time.
 */
public record AlertChanges(OffsetDateTime at, List<Opened> opened, Set<UUID> resolved) {

    /** An alert that opened, with what it is routed by. */
    public record Opened(UUID alertId, Map<String, String> labels, String severity, String source) {
    }
}
