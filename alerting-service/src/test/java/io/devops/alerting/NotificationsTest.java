package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Alerts.manual;
import static io.devops.alerting.Alerts.raise;
import static io.devops.alerting.Receivers.admin;
import static io.devops.alerting.Receivers.channel;
import static io.devops.alerting.Receivers.route;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Routing, grouping, muting, escalation and delivery, to a real HTTP receiver and a real SMTP server. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class NotificationsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Receivers RECEIVERS = new Receivers();

    @AfterAll
    static void stopReceivers() {
        RECEIVERS.close();
    }

    @Test
    void everyKindOfChannelIsToldOfTheFiringAndOfTheResolution() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String slack = channel("slack", "slack", Map.of("channel", "#ops"), Map.of("url", RECEIVERS.url("/hooks/slack/" + theCase)));
        String discord = channel("discord", "discord", Map.of(), Map.of("url", RECEIVERS.url("/hooks/discord/" + theCase)));
        String webhook = channel("signed", "webhook", Map.of("url", RECEIVERS.url("/hooks/webhook/" + theCase)),
                Map.of("hmac_secret", "s3cret"));
        String pagerDuty = channel("pd", "pagerduty", Map.of("url", RECEIVERS.url("/hooks/pd/" + theCase)),
                Map.of("routing_key", "R0UTING"));
        String recipient = "oncall-" + theCase.substring(0, 8) + "@example.test";
        String email = channel("mail", "email", Map.of("host", "127.0.0.1", "port", RECEIVERS.smtp.getSmtp().getPort(), "tls", "none",
                "from", "alerts@example.test", "to", recipient), Map.of());
        route(theCase, Map.of("channels", List.of(slack, discord, webhook, pagerDuty, email), "group_wait", "0s",
                "group_interval", "200ms"), List.of());

        Map<String, Object> alert = manual("DiskFull", "critical");
        alert.put("labels", Map.of("case", theCase, "service_id", UUID.randomUUID().toString()));
        String id = raise(alert).then().statusCode(201).extract().path("id");

        await().atMost(WAIT).untilAsserted(() -> {
            for (String kind : List.of("slack", "discord", "webhook", "pd")) {
                assertThat(RECEIVERS.received("/hooks/" + kind + "/" + theCase)).as(kind).hasSize(1);
            }
            assertThat(RECEIVERS.mails(recipient)).hasSize(1);
        });
        LoggedRequest signed = RECEIVERS.received("/hooks/webhook/" + theCase).get(0);
        String expected = "sha256=" + hmac("s3cret", signed.getHeader("X-Devops-Timestamp") + "." + signed.getBodyAsString());
        assertThat(signed.getHeader("X-Devops-Signature")).isEqualTo(expected);
        JsonNode body = JSON.readTree(signed.getBodyAsString());
        assertThat(body.path("status").asText()).isEqualTo("firing");
        assertThat(body.path("firing").get(0).path("id").asText()).isEqualTo(id);
        assertThat(body.path("firing").get(0).path("links").path("checks").asText()).contains("/monitoring/services/");
        assertThat(body.path("firing").get(0).path("links").path("diagnosis").asText()).contains("/monitoring/incidents?service_id=");
        JsonNode slackBody = JSON.readTree(RECEIVERS.received("/hooks/slack/" + theCase).get(0).getBodyAsString());
        assertThat(slackBody.path("text").asText()).startsWith("[FIRING:1]");
        assertThat(slackBody.path("channel").asText()).isEqualTo("#ops");
        JsonNode pd = JSON.readTree(RECEIVERS.received("/hooks/pd/" + theCase).get(0).getBodyAsString());
        assertThat(pd.path("event_action").asText()).isEqualTo("trigger");
        assertThat(pd.path("routing_key").asText()).isEqualTo("R0UTING");
        assertThat(pd.path("payload").path("severity").asText()).isEqualTo("critical");
        MimeMessage mail = RECEIVERS.mails(recipient).get(0);
        assertThat(mail.getSubject()).startsWith("[FIRING:1]");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");

        api().contentType("application/json").body(Map.of("comment", "fixed")).post("/alerts/" + id + "/resolve").then().statusCode(200);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(RECEIVERS.received("/hooks/pd/" + theCase)).hasSize(2);
            assertThat(RECEIVERS.mails(recipient)).hasSize(2);
        });
        JsonNode resolved = JSON.readTree(RECEIVERS.received("/hooks/webhook/" + theCase).get(1).getBodyAsString());
        assertThat(resolved.path("status").asText()).isEqualTo("resolved");
        assertThat(resolved.path("resolved").get(0).path("id").asText()).isEqualTo(id);
        assertThat(JSON.readTree(RECEIVERS.received("/hooks/pd/" + theCase).get(1).getBodyAsString()).path("event_action").asText())
                .isEqualTo("resolve");
        assertThat(RECEIVERS.mails(recipient).get(1).getSubject()).startsWith("[RESOLVED:1]");
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then()
                .body("notifications.status", equalTo(List.of("firing", "resolved")))
                .body("notifications[0].deliveries.status", equalTo(List.of("delivered", "delivered", "delivered", "delivered", "delivered"))));
    }

    @Test
    void alertsWaitForTheirGroupAndGoOutTogether() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String hook = RECEIVERS.webhook("/hooks/group/" + theCase);
        route(theCase, Map.of("channels", List.of(hook), "group_by", List.of("alertname"), "group_wait", "1500ms"), List.of());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> alert = manual("QueueBacklog", "warning");
            alert.put("labels", Map.of("case", theCase));
            raise(alert).then().statusCode(201);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/group/" + theCase)).hasSize(1));
        JsonNode body = JSON.readTree(RECEIVERS.received("/hooks/group/" + theCase).get(0).getBodyAsString());
        assertThat(body.path("firing")).hasSize(3);
        assertThat(body.path("group_labels").path("alertname").asText()).isEqualTo("QueueBacklog");
    }

    @Test
    void aGroupStillFiringIsToldAgainUntilSomeoneAcknowledges() {
        String theCase = UUID.randomUUID().toString();
        String hook = RECEIVERS.webhook("/hooks/repeat/" + theCase);
        route(theCase, Map.of("channels", List.of(hook), "group_wait", "0s", "group_interval", "100ms", "repeat_interval", "700ms"),
                List.of());
        Map<String, Object> alert = manual("Latency", "warning");
        alert.put("labels", Map.of("case", theCase));
        String id = raise(alert).then().statusCode(201).extract().path("id");
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/repeat/" + theCase)).hasSizeGreaterThanOrEqualTo(3));
        api().contentType("application/json").body(Map.of("comment", "looking")).post("/alerts/" + id + "/acknowledge")
                .then().statusCode(200);
        int afterAcknowledgement = RECEIVERS.received("/hooks/repeat/" + theCase).size();
        // at most a repeat already under way when the acknowledgement landed; none after it
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(4)).untilAsserted(() ->
                assertThat(RECEIVERS.received("/hooks/repeat/" + theCase).size()).isLessThanOrEqualTo(afterAcknowledgement + 1));
        api().get("/alerts/" + id).then().body("notifications.kind", hasItem("repeat"));
    }

    @Test
    void aCriticalAlertMutesTheWarningsItCauses() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String hook = RECEIVERS.webhook("/hooks/inhibit/" + theCase);
        route(theCase, Map.of("channels", List.of(hook), "group_by", List.of("alertname"), "group_wait", "0s",
                "group_interval", "200ms"),
                List.of(Map.of("source_matchers", List.of("severity=\"critical\"", "case=\"" + theCase + "\""),
                        "target_matchers", List.of("severity=\"warning\""),
                        "equal", List.of("cluster"))));
        Map<String, Object> critical = manual("NodeDown", "critical");
        critical.put("labels", Map.of("case", theCase, "cluster", "eu-1"));
        String criticalId = raise(critical).then().statusCode(201).extract().path("id");
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/inhibit/" + theCase)).hasSize(1));

        Map<String, Object> muted = manual("PodsPending", "warning");
        muted.put("labels", Map.of("case", theCase, "cluster", "eu-1"));
        raise(muted).then().statusCode(201);
        Map<String, Object> elsewhere = manual("PodsPending", "warning");
        elsewhere.put("labels", Map.of("case", theCase, "cluster", "us-1"));
        raise(elsewhere).then().statusCode(201);
        // the warning in another cluster is not muted; the one beside the critical alert is
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/inhibit/" + theCase)).hasSize(2));
        JsonNode told = JSON.readTree(RECEIVERS.received("/hooks/inhibit/" + theCase).get(1).getBodyAsString());
        assertThat(told.path("firing")).hasSize(1);
        assertThat(told.path("firing").get(0).path("labels").path("cluster").asText()).isEqualTo("us-1");

        api().contentType("application/json").body(Map.of()).post("/alerts/" + criticalId + "/resolve").then().statusCode(200);
        // with the critical alert gone, the muted warning is told (beside the critical's resolution)
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/inhibit/" + theCase).stream()
                .map(request -> request.getBodyAsString()).filter(text -> text.contains("eu-1") && text.contains("PodsPending")))
                .hasSize(1));
    }

    @Test
    void aSilenceMutesAndWhenItEndsTheAlertsStillFiringAreAnnounced() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String hook = RECEIVERS.webhook("/hooks/silence/" + theCase);
        route(theCase, Map.of("channels", List.of(hook), "group_wait", "0s", "group_interval", "100ms"), List.of());
        String silence = api().contentType("application/json").body(Map.of("matchers", List.of("case=\"" + theCase + "\""),
                "ends_at", java.time.OffsetDateTime.now().plusHours(1).toString(), "comment", "planned maintenance"))
                .post("/silences").then().statusCode(201).body("state", equalTo("active")).extract().path("id");
        Map<String, Object> alert = manual("Maintenance", "warning");
        alert.put("labels", Map.of("case", theCase));
        raise(alert).then().statusCode(201);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/silence/" + theCase)).isEmpty());

        api().delete("/silences/" + silence).then().statusCode(200).body("state", equalTo("expired"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/silence/" + theCase)).hasSize(1));
        JsonNode body = JSON.readTree(RECEIVERS.received("/hooks/silence/" + theCase).get(0).getBodyAsString());
        assertThat(body.path("kind").asText()).isEqualTo("silence_ended");
        assertThat(body.path("note").asText()).contains("planned maintenance").contains("still fire");
        api().delete("/silences/" + silence).then().statusCode(409);
    }

    @Test
    void anAlertNobodyAcknowledgesEscalatesToTheNextChannel() throws Exception {
        String theCase = UUID.randomUUID().toString();
        String first = RECEIVERS.webhook("/hooks/first/" + theCase);
        String next = RECEIVERS.webhook("/hooks/next/" + theCase);
        route(theCase, Map.of("channels", List.of(first), "group_wait", "0s", "repeat_interval", "1h",
                "escalations", List.of(Map.of("after", "1s", "channels", List.of(next)))), List.of());
        Map<String, Object> alert = manual("PaymentsDown", "critical");
        alert.put("labels", Map.of("case", theCase));
        raise(alert).then().statusCode(201);
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/next/" + theCase)).hasSize(1));
        assertThat(RECEIVERS.received("/hooks/first/" + theCase)).hasSize(1);
        JsonNode body = JSON.readTree(RECEIVERS.received("/hooks/next/" + theCase).get(0).getBodyAsString());
        assertThat(body.path("kind").asText()).isEqualTo("escalation");
        assertThat(body.path("note").asText()).contains("not acknowledged within 1s");

        // an acknowledged alert does not escalate
        Map<String, Object> handled = manual("PaymentsSlow", "critical");
        handled.put("labels", Map.of("case", theCase));
        String id = raise(handled).then().statusCode(201).extract().path("id");
        api().contentType("application/json").body(Map.of()).post("/alerts/" + id + "/acknowledge").then().statusCode(200);
        await().during(Duration.ofMillis(1800)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(RECEIVERS.received("/hooks/next/" + theCase)).hasSize(1));
    }

    @Test
    void aFailingChannelNeitherDelaysNorStopsAnother() {
        String theCase = UUID.randomUUID().toString();
        String broken = RECEIVERS.webhook("/broken/" + theCase);
        String working = RECEIVERS.webhook("/hooks/working/" + theCase);
        route(theCase, Map.of("channels", List.of(broken, working), "group_wait", "0s"), List.of());
        Map<String, Object> alert = manual("Disk", "warning");
        alert.put("labels", Map.of("case", theCase));
        String id = raise(alert).then().statusCode(201).extract().path("id");
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/hooks/working/" + theCase)).hasSize(1));
        // three attempts (the test setting), then given up with the receiver's answer recorded
        await().atMost(WAIT).untilAsserted(() -> assertThat(RECEIVERS.received("/broken/" + theCase)).hasSize(3));
        await().atMost(WAIT).untilAsserted(() -> api().get("/alerts/" + id).then()
                .body("notifications[0].deliveries.find { it.channel == '" + broken + "' }.status", equalTo("failed"))
                .body("notifications[0].deliveries.find { it.channel == '" + broken + "' }.attempts", equalTo(3))
                .body("notifications[0].deliveries.find { it.channel == '" + broken + "' }.last_error",
                        equalTo("HTTP 500 from 127.0.0.1:" + RECEIVERS.http.port() + ": receiver is down"))
                .body("notifications[0].deliveries.find { it.channel == '" + working + "' }.status", equalTo("delivered")));
        assertThat(RECEIVERS.received("/hooks/working/" + theCase)).hasSize(1);
    }

    @Test
    void aTestMessageSaysWhetherItArrived() {
        String theCase = UUID.randomUUID().toString();
        String good = channel("good", "discord", Map.of("username", "alerts"), Map.of("url", RECEIVERS.url("/hooks/test/" + theCase)));
        String bad = channel("bad", "slack", Map.of(), Map.of("url", RECEIVERS.url("/broken/test/" + theCase)));
        String goodId = admin().get("/channels").then().extract().path("find { it.name == '" + good + "' }.id");
        String badId = admin().get("/channels").then().extract().path("find { it.name == '" + bad + "' }.id");
        api().post("/channels/" + goodId + "/test").then().statusCode(200).body("delivered", equalTo(true));
        assertThat(RECEIVERS.received("/hooks/test/" + theCase)).hasSize(1);
        assertThat(RECEIVERS.received("/hooks/test/" + theCase).get(0).getBodyAsString()).contains("test message");
        api().post("/channels/" + badId + "/test").then().statusCode(200).body("delivered", equalTo(false))
                .body("error", equalTo("HTTP 500 from 127.0.0.1:" + RECEIVERS.http.port() + ": receiver is down"));
        // the secret URL is never shown
        admin().get("/channels/" + badId).then().body("secrets_set", equalTo(List.of("url")))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("secrets")));
        api().post("/channels/" + UUID.randomUUID() + "/test").then().statusCode(404);
    }

    @Test
    void noChannelReachesTheCloudMetadataAddress() {
        String metadata = channel("metadata", "webhook", Map.of("url", "http://169.254.169.254/latest/meta-data/"), Map.of());
        String id = admin().get("/channels").then().extract().path("find { it.name == '" + metadata + "' }.id");
        api().post("/channels/" + id + "/test").then().statusCode(200).body("delivered", equalTo(false))
                .body("error", startsWith("address 169.254.169.254 is in blocked network 169.254.0.0/16"));
    }

    private static String hmac(String key, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }
}
