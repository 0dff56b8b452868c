package io.devops.monitoring.incident;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A stretch of time in which a service was unhealthy: from the first failed check of the streak to its recovery. */
@Entity
@Table(name = "incident")
public class Incident extends PanacheEntityBase {
    @Id
    public UUID id;
    @Column(name = "service_id")
    public UUID serviceId;
    @Column(name = "service_name")
    public String serviceName;
    public String environment;
    @Column(name = "started_at")
    public OffsetDateTime startedAt;
    @Column(name = "ended_at")
    public OffsetDateTime endedAt;
    @Column(name = "first_error_reason")
    public String firstErrorReason;
    @Column(name = "first_error_message")
    public String firstErrorMessage;
    @Column(name = "first_status_code")
    public Integer firstStatusCode;
    /** Set when the incident closes; while it is open it is counted from the stored results. */
    @Column(name = "failed_checks")
    public Integer failedChecks;
}
