package io.devops.alerting.channel;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one notification says, stored with it and rendered for each channel: the group's labels,
 * the alerts firing and those resolved since the last notification, and why it is sent.
 * It is also the body of a generic webhook, so its fields are a published contract.
 */
@RegisterForReflection(targets = { NotificationMessage.class, NotificationMessage.AlertSummary.class })
public record NotificationMessage(
        String version,
        UUID notificationId,
        String kind,
        String status,
        String groupKey,
        Map<String, String> groupLabels,
        List<AlertSummary> firing,
        List<AlertSummary> resolved,
        String note,
        OffsetDateTime sentAt) {

    public static final String VERSION = "1";
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    /** One alert in a notification, with links to it, its service, its checks and the diagnosis of its incident. */
    public record AlertSummary(UUID id, String title, String message, String severity, String serviceName, String status,
            Map<String, String> labels, Map<String, String> annotations, OffsetDateTime startsAt, OffsetDateTime endsAt,
            String acknowledgedBy, Map<String, String> links) {
    }

    /** A subject line in Alertmanager's manner: {@code [FIRING:2] ServiceUnhealthy checkout}. */
    public String subject() {
        int count = FIRING.equals(status) ? firing.size() : resolved.size();
        String head = "[" + status.toUpperCase(Locale.ROOT) + ":" + count + "]";
        if ("test".equals(kind)) {
            return "[TEST] a test message from the alerting service";
        }
        StringBuilder subject = new StringBuilder(head);
        groupLabels.values().stream().filter(value -> !value.isEmpty()).forEach(value -> subject.append(' ').append(value));
        if (groupLabels.values().stream().allMatch(String::isEmpty)) {
            List<AlertSummary> alerts = FIRING.equals(status) ? firing : resolved;
            alerts.stream().findFirst().ifPresent(alert -> subject.append(' ').append(alert.title()));
        }
        return subject.toString();
    }
}
