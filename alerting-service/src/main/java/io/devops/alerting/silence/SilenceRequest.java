package io.devops.alerting.silence;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A silence as written: what it mutes, from when (now if left out) until when, and why. */
public record SilenceRequest(
        @NotEmpty(message = "at least one matcher is required (a silence of everything would hide every alert)")
        @Size(max = 50, message = "at most 50 matchers")
        @Schema(example = "[\"service=\\\"checkout\\\"\", \"severity=~\\\"warning|info\\\"\"]")
        List<@NotNull(message = "a matcher cannot be null") String> matchers,
        OffsetDateTime startsAt,
        @NotNull(message = "is required")
        OffsetDateTime endsAt,
        @NotBlank(message = "is required: say why the alerts are silenced")
        @Size(max = 2000, message = "at most 2000 characters")
        String comment) {
}
