package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The one mapping of the alert_history table: the steps of an alert's life, oldest first. */
final class AlertHistory {
    static final String FIRED = "fired";
    static final String FIRED_AGAIN = "fired_again";
    static final String ACKNOWLEDGED = "acknowledged";
    static final String RESOLVED = "resolved";

    private AlertHistory() {
    }

    /** Inserts a step bound with {@link #tuple}. */
    static String insert(String table) {
        return "insert into " + table + " (alert_id, at, action, actor, comment) values ($1, $2, $3, $4, $5)";
    }

    static Tuple tuple(UUID alertId, OffsetDateTime at, String action, String actor, String comment) {
        return Tuple.of(alertId, at, action, actor, comment);
    }

    /** The steps of the alert bound as $1, read with {@link #read}. */
    static String select(String table) {
        return "select at, action, actor, comment from " + table + " where alert_id = $1 order by id";
    }

    static AlertDetail.Step read(Row row) {
        return new AlertDetail.Step(row.getOffsetDateTime("at"), row.getString("action"), row.getString("actor"),
                row.getString("comment"));
    }
}
