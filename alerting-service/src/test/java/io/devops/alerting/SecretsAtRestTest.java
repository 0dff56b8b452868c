package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Receivers.admin;
import static io.devops.alerting.Receivers.channel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.devops.alerting.channel.SecretBox;
import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Channel secrets are sealed in the database (AES-GCM under alerting.secrets-key) and still work. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class SecretsAtRestTest {
    private static final Receivers RECEIVERS = new Receivers();

    @Inject
    SecretBox box;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @AfterAll
    static void stopReceivers() {
        RECEIVERS.close();
    }

    @Test
    void aSecretIsStoredSealedAndStillDelivers() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String url = RECEIVERS.url("/hooks/sealed/" + theCase);
        String name = channel("sealed", "slack", Map.of(), Map.of("url", url));
        String id = admin().get("/channels").then().extract().path("find { it.name == '" + name + "' }.id");
        try (Connection db = DriverManager.getConnection(jdbcUrl, "alerting", "alerting")) {
            String stored = secrets(db, UUID.fromString(id));
            assertThat(stored).startsWith("v1:").doesNotContain(theCase).doesNotContain("127.0.0.1");
        }
        api().post("/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(true));
        assertThat(RECEIVERS.received("/hooks/sealed/" + theCase)).hasSize(1);
    }

    @Test
    void secretsStoredBeforeTheKeyWasSetAreSealedAndKeepWorking() throws Exception {
        String theCase = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        String plain = "{\"url\": \"" + RECEIVERS.url("/hooks/legacy/" + theCase) + "\"}";
        try (Connection db = DriverManager.getConnection(jdbcUrl, "alerting", "alerting")) {
            try (PreparedStatement insert = db.prepareStatement("insert into alerting.channel (id, name, type, settings, secrets,"
                    + " created_at, updated_at) values (?, ?, 'discord', '{}', ?, ?, ?)")) {
                insert.setObject(1, id);
                insert.setString(2, "legacy-" + theCase.substring(0, 8));
                insert.setString(3, plain);
                insert.setObject(4, OffsetDateTime.now());
                insert.setObject(5, OffsetDateTime.now());
                insert.executeUpdate();
            }
            assertThat(box.sealPlain()).isOne();
            String stored = secrets(db, id);
            assertThat(stored).startsWith("v1:").doesNotContain(theCase);
            assertThat(box.open(stored)).isEqualTo(plain);
        }
        admin().get("/channels/" + id).then().statusCode(200).body("secrets_set", equalTo(List.of("url")));
        api().post("/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(true));
        assertThat(RECEIVERS.received("/hooks/legacy/" + theCase)).hasSize(1);
    }

    @Test
    void aChannelWhoseSecretsCannotBeOpenedFailsAloneAndTakesNewOnes() throws Exception {
        String theCase = UUID.randomUUID().toString();
        UUID id = UUID.randomUUID();
        String name = "rekeyed-" + theCase.substring(0, 8);
        try (Connection db = DriverManager.getConnection(jdbcUrl, "alerting", "alerting");
                PreparedStatement insert = db.prepareStatement("insert into alerting.channel (id, name, type, settings, secrets,"
                        + " created_at, updated_at) values (?, ?, 'discord', '{}', ?, now(), now())")) {
            insert.setObject(1, id);
            insert.setString(2, name);
            // sealed under a key this service does not have
            insert.setString(3, "v1:" + Base64.getEncoder().encodeToString(new byte[64]));
            insert.executeUpdate();
        }
        admin().get("/channels/" + id).then().statusCode(200).body("secrets_set", equalTo(List.of()));
        api().post("/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(false))
                .body("error", containsString("cannot be opened"));

        admin().body(Map.of("name", name, "type", "discord", "settings", Map.of(),
                "secrets", Map.of("url", RECEIVERS.url("/hooks/rekeyed/" + theCase)))).put("/channels/" + id)
                .then().statusCode(200).body("secrets_set", equalTo(List.of("url")));
        api().post("/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(true));
        assertThat(RECEIVERS.received("/hooks/rekeyed/" + theCase)).hasSize(1);
    }

    private static String secrets(Connection db, UUID id) throws Exception {
        try (PreparedStatement query = db.prepareStatement("select secrets from alerting.channel where id = ?")) {
            query.setObject(1, id);
            try (ResultSet rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                return rows.getString(1);
            }
        }
    }
}
