package io.devops.alerting.threshold;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

@Entity
@Table(name = "threshold_rule")
public class ThresholdRule extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String metric;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "matchers::text", write = "?::text::jsonb")
    public String matchers;

    @Column(nullable = false)
    public String comparison;

    @Column(nullable = false)
    public double threshold;

    @Column(name = "for_ms", nullable = false)
    public long forMs;

    @Column(nullable = false)
    public String severity;

    @Column(name = "per_node", nullable = false)
    public boolean perNode;

    @Column(name = "group_by", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "group_by::text", write = "?::text::jsonb")
    public String groupBy;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "labels::text", write = "?::text::jsonb")
    public String labels;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "annotations::text", write = "?::text::jsonb")
    public String annotations;

    @Column(nullable = false)
    public boolean enabled;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
