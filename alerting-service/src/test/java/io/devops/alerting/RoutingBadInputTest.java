package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Receivers.admin;
import static io.devops.alerting.Receivers.channel;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Bad channels, routing documents and silences: a 400 problem naming each field, and nothing changed. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class RoutingBadInputTest {

    @Test
    void invalidChannelsAreRefusedFieldByField() {
        int before = admin().get("/channels").then().extract().path("size()");
        admin().body(Map.of("name", "Bad Name", "type", "pager")).post("/channels").then().statusCode(400)
                .contentType("application/problem+json");
        admin().body(Map.of("name", "x-" + UUID.randomUUID().toString().substring(0, 8), "type", "pager")).post("/channels")
                .then().statusCode(400).body("errors.field", equalTo(List.of("type")));
        admin().body(Map.of("name", "x-" + UUID.randomUUID().toString().substring(0, 8), "type", "email",
                "settings", Map.of("host", "smtp.example.test", "port", 70000, "to", "not-an-address", "colour", "red"),
                "secrets", Map.of("url", "http://x"))).post("/channels").then().statusCode(400)
                .body("errors.field", hasItems("settings.port", "settings.to", "settings.from", "settings.colour", "secrets.url"));
        admin().body(Map.of("name", "x-" + UUID.randomUUID().toString().substring(0, 8), "type", "slack",
                "secrets", Map.of("url", "ftp://hooks.example.test/x"))).post("/channels").then().statusCode(400)
                .body("errors.field", equalTo(List.of("secrets.url")));
        admin().body("{").post("/channels").then().statusCode(400);
        // writing channels takes an admin; an operator may only read and test them
        api().contentType("application/json").body(Map.of("name", "op", "type", "webhook", "settings", Map.of("url", "http://x.test")))
                .post("/channels").then().statusCode(403);
        admin().get("/channels").then().body("size()", equalTo(before));
    }

    @Test
    void aChannelNameIsUniqueAndARoutedChannelCannotGo() {
        String name = channel("taken", "webhook", Map.of("url", "http://127.0.0.1:9/hook"), Map.of());
        admin().body(Map.of("name", name, "type", "webhook", "settings", Map.of("url", "http://127.0.0.1:9/other"))).post("/channels")
                .then().statusCode(409);
        String id = admin().get("/channels").then().extract().path("find { it.name == '" + name + "' }.id");
        admin().body(Map.of("route", Map.of("channels", List.of(name)))).put("/routing").then().statusCode(200);
        admin().delete("/channels/" + id).then().statusCode(409).body("detail", containsString(name));
        admin().body(Map.of("name", name + "-renamed", "type", "webhook", "settings", Map.of("url", "http://127.0.0.1:9/hook")))
                .put("/channels/" + id).then().statusCode(409);
        admin().body(Map.of("route", Map.of("channels", List.of()))).put("/routing").then().statusCode(200);
        admin().delete("/channels/" + id).then().statusCode(204);
        admin().get("/channels/" + id).then().statusCode(404);
        admin().get("/channels/not-a-uuid").then().statusCode(404);
    }

    @Test
    void anInvalidRoutingIsRefusedWithEveryProblemAndTheOldOneStays() {
        int version = admin().body(Map.of("route", Map.of("channels", List.of(), "group_wait", "10s"))).put("/routing")
                .then().statusCode(200).extract().path("version");
        admin().body(Map.of("route", Map.of("matchers", List.of("a=\"b\""), "channels", List.of("nowhere"), "group_wait", "soon",
                "routes", List.of(Map.of("matchers", List.of("severity=~\"(\""), "repeat_interval", "0s",
                        "escalations", List.of(Map.of("after", "5m")))))))
                .put("/routing").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("route.matchers", "route.channels", "route.group_wait",
                        "route.routes[0].matchers[0]", "route.routes[0].repeat_interval", "route.routes[0].escalations[0]"));
        admin().body(Map.of("route", Map.of(), "inhibit_rules", List.of(Map.of("equal", List.of("cluster")))))
                .put("/routing").then().statusCode(400).body("errors.field", hasItem("inhibit_rules[0]"));
        admin().body(Map.of("route", Map.of(), "surprise", true)).put("/routing").then().statusCode(400);
        api().contentType("application/json").body(Map.of("route", Map.of())).put("/routing").then().statusCode(403);
        admin().get("/routing").then().body("version", equalTo(version)).body("route.group_wait", equalTo("10s"));
    }

    @Test
    void invalidSilencesAreRefused() {
        int before = api().get("/silences").then().extract().path("size()");
        api().contentType("application/json").body(Map.of("matchers", List.of(), "ends_at", OffsetDateTime.now().plusHours(1).toString(),
                "comment", "x")).post("/silences").then().statusCode(400);
        api().contentType("application/json").body(Map.of("matchers", List.of("service=checkout", "nonsense"),
                "ends_at", OffsetDateTime.now().minusHours(1).toString(), "comment", "x")).post("/silences").then().statusCode(400)
                .body("errors.field", hasItems("matchers[1]", "ends_at"));
        api().contentType("application/json").body(Map.of("matchers", List.of("service=checkout"),
                "ends_at", OffsetDateTime.now().plusHours(1).toString())).post("/silences").then().statusCode(400)
                .body("errors.field", hasItem("comment"));
        api().get("/silences?state=sleeping").then().statusCode(400);
        api().delete("/silences/" + UUID.randomUUID()).then().statusCode(404);
        api().get("/silences").then().body("size()", equalTo(before));
    }
}
