package io.devops.alerting.alert;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.type.TypeReference;

import io.devops.common.sql.JsonColumns;
import io.devops.common.events.AlertEvent;

/** Alerts to views and events, and their JSON columns to maps and back. */
@ApplicationScoped
public class AlertMapper {
    private static final TypeReference<List<AlertDetail.Notification>> NOTIFICATIONS = new TypeReference<>() {
    };

    private final JsonColumns json;

    AlertMapper(JsonColumns json) {
        this.json = json;
    }

    public AlertView toView(Alert row) {
        return new AlertView(row.id, row.fingerprint, row.title, row.message, row.severity, row.serviceName, row.status,
                row.source, labels(row.labels), labels(row.annotations), json.read(row.metadata, JsonColumns.OBJECT), row.startsAt,
                row.endsAt, row.lastFiredAt, row.fireCount, row.createdAt, row.updatedAt, row.acknowledgedAt,
                row.acknowledgedBy, row.resolvedAt, row.resolvedBy);
    }

    public AlertEvent toEvent(Alert row) {
        return new AlertEvent(row.id, row.fingerprint, row.title, row.severity, row.status, row.serviceName,
                labels(row.labels), row.startsAt, row.endsAt, row.updatedAt);
    }

    public List<AlertDetail.Notification> notifications(String column) {
        return json.read(column, NOTIFICATIONS);
    }

    public Map<String, String> labels(String column) {
        return json.read(column, JsonColumns.LABELS);
    }

    public String json(Object value) {
        return json.write(value);
    }
}
