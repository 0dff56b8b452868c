package io.devops.monitoring.maintenance;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A window in which a service's failures page nobody: one-off ({@code starts_at}..{@code ends_at}) or recurring (cron + duration). */
@Entity
@Table(name = "maintenance_window")
public class MaintenanceWindow extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "service_id")
    public UUID serviceId;
    @Column(name = "starts_at")
    public OffsetDateTime startsAt;
    @Column(name = "ends_at")
    public OffsetDateTime endsAt;
    public String cron;
    @Column(name = "duration_seconds")
    public Integer durationSeconds;
    @Column(name = "time_zone")
    public String timeZone;
    public String reason;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public OffsetDateTime createdAt;
}
