package io.devops.alerting.channel;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A channel as the API shows it: its secrets only by name. */
public record ChannelView(
        UUID id,
        String name,
        String type,
        Map<String, Object> settings,
        @Schema(description = "The names of the secrets that are set; their values are never shown")
        List<String> secretsSet,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt) {
}
