package io.devops.alerting.silence;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

public record SilenceView(
        UUID id,
        List<String> matchers,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt,
        @Schema(enumeration = { "pending", "active", "expired" }) String state,
        String createdBy,
        String comment,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @Schema(description = "When the alerts still firing as it ended were announced")
        OffsetDateTime endedNoticeAt) {
}
