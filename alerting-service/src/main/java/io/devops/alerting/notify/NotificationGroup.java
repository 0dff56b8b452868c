package io.devops.alerting.notify;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import io.devops.alerting.routing.RoutingTree;

/**
 * A notification group as a flush finds it: its labels, the timers and channels of the route it
 * formed on (copied in when it formed), when it was last flushed and last notified, and why its
 * next notification comes if something said so (a silence ended).
 */
public record NotificationGroup(UUID id, Map<String, String> labels, RoutingTree.Settings settings, OffsetDateTime lastFlushAt,
        OffsetDateTime lastNotifiedAt, String pendingNote) {
}
