package io.devops.alerting.silence;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.devops.alerting.routing.LabelMatcher;

/** A silence as the notification path applies it: its matchers parsed, and what to say when it ends. */
public record SilenceRule(UUID id, List<LabelMatcher> matchers, String comment, String createdBy, OffsetDateTime endsAt) {

    /** Whether it still mutes at {@code now} (it has started: only started silences are read). */
    public boolean activeAt(OffsetDateTime now) {
        return endsAt.isAfter(now);
    }

    /** Whether it mutes alerts with these routing labels while it is active. */
    public boolean matches(Map<String, String> labels) {
        return LabelMatcher.all(matchers, labels);
    }

    /** The notice for alerts it muted that still fire. */
    public String endedNote() {
        return "Silence " + id + " (\"" + comment + "\"" + (createdBy == null ? "" : ", by " + createdBy) + ") ended at "
                + endsAt + "; these alerts still fire.";
    }
}
