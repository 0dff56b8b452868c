package io.devops.alerting.channel;

import java.util.UUID;

/** What a test message did: delivered, or the error the channel answered with. */
public record ChannelTestResult(UUID notificationId, boolean delivered, String error, long durationMs) {
}
