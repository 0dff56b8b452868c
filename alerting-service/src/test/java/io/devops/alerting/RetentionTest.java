package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Alerts.manual;
import static io.devops.alerting.Alerts.raise;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.devops.alerting.alert.AlertRetention;
import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Resolved alerts and notifications are deleted once their retention (90 and 30 days) has passed, and nothing else. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RetentionTest {
    @Inject
    AlertRetention retention;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void whatIsOverGoesOnceItsRetentionHasPassed() throws Exception {
        String old = resolved();
        String recent = resolved();
        String stillOpen = raise(manual("open for long", "warning")).then().statusCode(201).extract().path("id");
        UUID oldNotification = UUID.randomUUID();
        UUID recentNotification = UUID.randomUUID();
        try (Connection db = DriverManager.getConnection(jdbcUrl, "alerting", "alerting")) {
            update(db, "update alerting.alert set resolved_at = now() - interval '91 days' where id = ?", old);
            update(db, "update alerting.alert set created_at = now() - interval '200 days' where id = ?", stillOpen);
            notification(db, oldNotification, "31 days");
            notification(db, recentNotification, "29 days");

            retention.purge().await().indefinitely();

            assertThat(count(db, "select count(*) from alerting.notification where id = ?", oldNotification)).isZero();
            assertThat(count(db, "select count(*) from alerting.delivery where notification_id = ?", oldNotification)).isZero();
            assertThat(count(db, "select count(*) from alerting.notification where id = ?", recentNotification)).isOne();
            assertThat(count(db, "select count(*) from alerting.alert_history where alert_id = ?", UUID.fromString(old))).isZero();
        }
        api().get("/alerts/" + old).then().statusCode(404);
        api().get("/alerts/" + recent).then().statusCode(200);
        api().get("/alerts/" + stillOpen).then().statusCode(200);
    }

    private static String resolved() {
        String id = raise(manual("over", "warning")).then().statusCode(201).extract().path("id");
        api().contentType(ContentType.JSON).body(Map.of("comment", "done")).post("/alerts/" + id + "/resolve").then().statusCode(200);
        return id;
    }

    private static void update(Connection db, String sql, String id) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setObject(1, UUID.fromString(id));
            assertThat(statement.executeUpdate()).isOne();
        }
    }

    private static void notification(Connection db, UUID id, String age) throws Exception {
        try (PreparedStatement statement = db.prepareStatement("insert into alerting.notification (id, kind, status, payload,"
                + " created_at) values (?, 'test', 'firing', '{}', now() - interval '" + age + "')")) {
            statement.setObject(1, id);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = db.prepareStatement("insert into alerting.delivery (id, notification_id, channel_name,"
                + " status, attempts, created_at, updated_at, delivered_at) values (?, ?, 'hook', 'delivered', 1, now(), now(), now())")) {
            statement.setObject(1, UUID.randomUUID());
            statement.setObject(2, id);
            statement.executeUpdate();
        }
    }

    private static long count(Connection db, String sql, UUID id) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setObject(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
