package io.devops.common.events;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The body of an {@code alerting.alerts} event, keyed by the alert's fingerprint. */
@RegisterForReflection
public record AlertEvent(
        UUID alertId,
        String fingerprint,
        String title,
        String severity,
        String status,
        String serviceName,
        Map<String, String> labels,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt,
        OffsetDateTime occurredAt) {

    public static final String TYPE = "io.devops.alerting.alert.changed";

    /** What every {@code alerting.alerts} consumer may rely on. */
    public static final EventContract<AlertEvent> CONTRACT = EventContract.of(AlertEvent.class, TYPE)
            .requires("fingerprint", AlertEvent::fingerprint)
            .requires("status", AlertEvent::status);
}
