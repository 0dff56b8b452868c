package io.devops.alerting.notify;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import io.devops.alerting.alert.Alert;
import io.devops.alerting.routing.RoutingTree;

/**
 * An alert in a notification group: the alert as it is now, what the group last told about it
 * ({@code notifiedStatus}: firing, resolved, or null for nothing yet) and how many escalation steps
 * it has had.
 */
public record GroupMember(UUID alertId, String fingerprint, String title, String message, String severity, String serviceName,
        String status, String source, Map<String, String> labels, Map<String, String> annotations, OffsetDateTime startsAt,
        OffsetDateTime endsAt, String acknowledgedBy, String notifiedStatus, int escalationLevel) {

    /** The member for an alert row whose labels and annotations are read already. */
    static GroupMember of(Alert alert, Map<String, String> labels, Map<String, String> annotations, String notifiedStatus,
            int escalationLevel) {
        return new GroupMember(alert.id, alert.fingerprint, alert.title, alert.message, alert.severity, alert.serviceName,
                alert.status, alert.source, labels, annotations, alert.startsAt, alert.endsAt, alert.acknowledgedBy,
                notifiedStatus, escalationLevel);
    }

    /** The labels routes, silences and inhibition rules match. */
    public Map<String, String> routingLabels() {
        return RoutingTree.routingLabels(labels, severity, source);
    }
}
