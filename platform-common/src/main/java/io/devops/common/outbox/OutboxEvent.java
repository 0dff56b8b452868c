package io.devops.common.outbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * A row of the owning service's {@code outbox} table: an event written in the same transaction as
 * the change it describes, published to Kafka later by {@link OutboxRelay}. A null payload is a
 * tombstone for a compacted topic.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "ce_id", nullable = false, updatable = false)
    public UUID ceId;

    @Column(name = "ce_type", nullable = false, updatable = false)
    public String ceType;

    @Column(name = "ce_source", nullable = false, updatable = false)
    public String ceSource;

    @Column(name = "ce_time", nullable = false, updatable = false)
    public OffsetDateTime ceTime;

    @Column(nullable = false, updatable = false)
    public String topic;

    @Column(name = "message_key", nullable = false, updatable = false)
    public String messageKey;

    @Column(updatable = false)
    public String payload;

    @Column(updatable = false)
    public String traceparent;

    @Column(name = "sent_at")
    public OffsetDateTime sentAt;
}
