package io.devops.registry.service;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A row of the catalog. Tags, metadata and the health-check spec are JSON documents (jsonb, so
 * that containment filters use a GIN index); {@link ServiceMapper} converts them. They travel as
 * text and are cast in SQL both ways: the reactive driver reads jsonb as Vert.x JSON objects and
 * sends a String bound to a jsonb parameter as a JSON string scalar.
 */
@Entity
@Table(name = "services")
public class RegisteredService extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String url;

    @Column(nullable = false)
    public String environment;

    public String version;

    /** When the deployment that last set {@link #version} happened; older deployment events are ignored. */
    @Column(name = "version_deployed_at")
    public OffsetDateTime versionDeployedAt;

    /** What clients see: derived from the lease and the monitoring service's reports by {@link StatusRule}. */
    @Column(nullable = false)
    public String status;

    /** The status the monitoring service last reported, {@code unknown} until it reports. */
    @Column(name = "health_status", nullable = false)
    public String healthStatus;

    @Column(name = "health_checked_at")
    public OffsetDateTime healthCheckedAt;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "tags::text", write = "?::text::jsonb")
    public String tags;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "metadata::text", write = "?::text::jsonb")
    public String metadata;

    @Column(name = "health_check", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "health_check::text", write = "?::text::jsonb")
    public String healthCheck;

    @Column(name = "lease_ttl_seconds", nullable = false)
    public int leaseTtlSeconds;

    @Column(name = "deregister_after_seconds")
    public Integer deregisterAfterSeconds;

    @Column(name = "last_seen")
    public OffsetDateTime lastSeen;

    /** Null until the first heartbeat: a service that never sent one holds no lease. */
    @Column(name = "lease_expires_at")
    public OffsetDateTime leaseExpiresAt;

    /** When the lease lapsed; null while it is held. */
    @Column(name = "lease_expired_at")
    public OffsetDateTime leaseExpiredAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Grows with every published change; consumers can drop an older snapshot than the one they hold. */
    @Column(nullable = false)
    public long revision;
}
