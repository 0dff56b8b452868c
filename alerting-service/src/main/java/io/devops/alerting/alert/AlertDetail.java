package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code GET /alerts/{id}}: the alert, its history and the notifications about it, oldest first. */
public record AlertDetail(@JsonUnwrapped AlertView alert, List<Step> history, List<Notification> notifications) {

    public record Step(OffsetDateTime at, String action, String actor, String comment) {
    }

    /** A notification that told about the alert, and how its delivery to each channel went. */
    @RegisterForReflection(targets = { Notification.class, Delivery.class })
    public record Notification(UUID id, String kind, String status, OffsetDateTime createdAt, List<Delivery> deliveries) {
    }

    public record Delivery(String channel, String status, int attempts, String lastError, OffsetDateTime deliveredAt,
            OffsetDateTime nextAttemptAt) {
    }
}
