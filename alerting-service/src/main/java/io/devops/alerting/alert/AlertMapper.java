package io.devops.alerting.alert;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.events.AlertEvent;
import io.vertx.mutiny.sqlclient.Row;

/** Rows to views and events, and the JSON columns to maps and back. */
@ApplicationScoped
public class AlertMapper {
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<AlertDetail.Notification>> NOTIFICATIONS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECTS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    AlertMapper(ObjectMapper json) {
        this.json = json;
    }

    public AlertView toView(Alert row) {
        return new AlertView(row.id, row.fingerprint, row.title, row.message, row.severity, row.serviceName, row.status,
                row.source, labels(row.labels), labels(row.annotations), read(row.metadata, OBJECTS), row.startsAt,
                row.endsAt, row.lastFiredAt, row.fireCount, row.createdAt, row.updatedAt, row.acknowledgedAt,
                row.acknowledgedBy, row.resolvedAt, row.resolvedBy);
    }

    /** A row selected with {@link AlertWriter#COLUMNS}. */
    public Alert fromRow(Row row) {
        Alert alert = new Alert();
        alert.id = row.getUUID("id");
        alert.fingerprint = row.getString("fingerprint");
        alert.title = row.getString("title");
        alert.message = row.getString("message");
        alert.severity = row.getString("severity");
        alert.serviceName = row.getString("service_name");
        alert.status = row.getString("status");
        alert.source = row.getString("source");
        alert.labels = row.getString("labels");
        alert.annotations = row.getString("annotations");
        alert.metadata = row.getString("metadata");
        alert.startsAt = row.getOffsetDateTime("starts_at");
        alert.endsAt = row.getOffsetDateTime("ends_at");
        alert.lastFiredAt = row.getOffsetDateTime("last_fired_at");
        alert.fireCount = row.getInteger("fire_count");
        alert.createdAt = row.getOffsetDateTime("created_at");
        alert.updatedAt = row.getOffsetDateTime("updated_at");
        alert.acknowledgedAt = row.getOffsetDateTime("acknowledged_at");
        alert.acknowledgedBy = row.getString("acknowledged_by");
        alert.resolvedAt = row.getOffsetDateTime("resolved_at");
        alert.resolvedBy = row.getString("resolved_by");
        return alert;
    }

    public AlertEvent toEvent(Alert row) {
        return new AlertEvent(row.id, row.fingerprint, row.title, row.severity, row.status, row.serviceName,
                labels(row.labels), row.startsAt, row.endsAt, row.updatedAt);
    }

    public List<AlertDetail.Notification> notifications(String column) {
        return read(column, NOTIFICATIONS);
    }

    public Map<String, String> labels(String column) {
        return read(column, STRINGS);
    }

    public String json(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value + " as JSON", e);
        }
    }

    private <T> T read(String column, TypeReference<T> type) {
        try {
            return json.readValue(column, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored JSON column is not valid JSON", e);
        }
    }
}
