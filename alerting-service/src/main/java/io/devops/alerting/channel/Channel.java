package io.devops.alerting.channel;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A row of the channel table; settings are a JSON object (jsonb, cast as the alert's columns are), secrets sealed text. */
@Entity
@Table(name = "channel")
public class Channel extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "settings::text", write = "?::text::jsonb")
    public String settings;

    /** Sealed by {@link SecretBox}: only it reads them. */
    @Column(nullable = false)
    public String secrets;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
