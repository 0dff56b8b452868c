package io.devops.alerting.silence;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A row of the silence table, as {@link Silences} reads and writes it; the matchers stay the JSON text of their column. */
public class Silence {
    public UUID id;
    public String matchers;
    public OffsetDateTime startsAt;
    public OffsetDateTime endsAt;
    public String createdBy;
    public String comment;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime endedNoticeAt;
}
