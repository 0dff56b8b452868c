package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of the alert table, as {@link AlertTable} reads and writes it. Labels, annotations and
 * metadata stay the JSON text of their jsonb columns until a view or an event needs them.
 */
public class Alert {
    public UUID id;
    public String fingerprint;
    public String title;
    public String message;
    public String severity;
    public String serviceName;
    public String status;
    public String source;
    public String labels;
    public String annotations;
    public String metadata;
    public OffsetDateTime startsAt;
    public OffsetDateTime endsAt;
    public OffsetDateTime lastFiredAt;
    public int fireCount;
    public OffsetDateTime createdAt;
    public OffsetDateTime updatedAt;
    public OffsetDateTime acknowledgedAt;
    public String acknowledgedBy;
    public OffsetDateTime resolvedAt;
    public String resolvedBy;
}
