package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A row of the alert table. Labels, annotations and metadata are JSON documents (jsonb, so label
 * filters use a GIN index); they travel as text and are cast in SQL both ways, as the reactive
 * driver would otherwise bind a String as a JSON string scalar.
 */
@Entity
@Table(name = "alert")
public class Alert extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String fingerprint;

    @Column(nullable = false)
    public String title;

    public String message;

    @Column(nullable = false)
    public String severity;

    @Column(name = "service_name")
    public String serviceName;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String source;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "labels::text", write = "?::text::jsonb")
    public String labels;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "annotations::text", write = "?::text::jsonb")
    public String annotations;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "metadata::text", write = "?::text::jsonb")
    public String metadata;

    @Column(name = "starts_at", nullable = false)
    public OffsetDateTime startsAt;

    @Column(name = "ends_at")
    public OffsetDateTime endsAt;

    @Column(name = "last_fired_at", nullable = false)
    public OffsetDateTime lastFiredAt;

    @Column(name = "fire_count", nullable = false)
    public int fireCount;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "acknowledged_at")
    public OffsetDateTime acknowledgedAt;

    @Column(name = "acknowledged_by")
    public String acknowledgedBy;

    @Column(name = "resolved_at")
    public OffsetDateTime resolvedAt;

    @Column(name = "resolved_by")
    public String resolvedBy;
}
