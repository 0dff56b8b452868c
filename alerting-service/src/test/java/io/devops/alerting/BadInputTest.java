package io.devops.alerting;

import static io.devops.alerting.Alerts.api;
import static io.devops.alerting.Alerts.manual;
import static io.devops.alerting.Alerts.raise;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every kind of bad input is a 4xx problem+json that says what is wrong, and changes nothing. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class BadInputTest {

    @Test
    void invalidAlertsAreRefusedWithTheFieldNamed() {
        long before = Alerts.total();
        Map<String, Object> noTitle = manual("x", "warning");
        noTitle.remove("title");
        Map<String, Object> badSeverity = manual("x", "urgent");
        Map<String, Object> badLabel = manual("x", "info");
        badLabel.put("labels", Map.of("1bad-name", "v"));
        Map<String, Object> unknownField = manual("x", "info");
        unknownField.put("severiti", "info");
        Map<String, Object> longTitle = manual("x".repeat(201), "info");

        expectBadRequest(noTitle, "title is required");
        expectBadRequest(badSeverity, "severity must be info, warning or critical");
        expectBadRequest(badLabel, "label names are letters, digits and _");
        expectBadRequest(longTitle, "title is at most 200 characters");
        api().contentType(ContentType.JSON).body(unknownField).post("/alerts").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("severiti"));
        api().contentType(ContentType.JSON).body("{\"title\": ").post("/alerts").then().statusCode(400)
                .contentType("application/problem+json");
        api().contentType(ContentType.JSON).post("/alerts").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("a JSON body is required"));
        assertThat(Alerts.total()).isEqualTo(before);
    }

    @Test
    void badIdsAndQueriesAreClear() {
        api().get("/alerts/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        api().get("/alerts/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json")
                .body("detail", containsString("no alert with id"));
        api().contentType(ContentType.JSON).post("/alerts/" + UUID.randomUUID() + "/acknowledge").then().statusCode(404);
        api().get("/alerts?status=firing").then().statusCode(400).body("detail", containsString("'status' must be one of"));
        api().get("/alerts?severity=urgent").then().statusCode(400).body("detail", containsString("'severity'"));
        api().get("/alerts?label=team").then().statusCode(400).body("detail", containsString("key=value"));
        api().get("/alerts?limit=5000").then().statusCode(400).body("detail", containsString("'limit'"));
        api().get("/alerts?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").then().statusCode(400)
                .body("detail", containsString("before"));
        api().get("/alerts?from=yesterday").then().statusCode(400).body("detail", containsString("'from'"));
    }

    @Test
    void rolesAreEnforcedAndNothingChanges() {
        long before = Alerts.total();
        given().contentType(ContentType.JSON).body(manual("x", "info")).post("/alerts").then().statusCode(401);
        given().auth().oauth2(Alerts.VIEWER_TOKEN).contentType(ContentType.JSON).body(manual("x", "info")).post("/alerts")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(Alerts.VIEWER_TOKEN).get("/alerts").then().statusCode(200);
        String id = raise(manual("Still open", "warning")).then().statusCode(201).extract().path("id");
        given().auth().oauth2(Alerts.VIEWER_TOKEN).contentType(ContentType.JSON).post("/alerts/" + id + "/resolve").then()
                .statusCode(403);
        api().get("/alerts/" + id).then().body("status", equalTo("open")).body("resolved_at", equalTo(null));
        api().contentType(ContentType.JSON).body(Map.of("comment", "x".repeat(2001))).post("/alerts/" + id + "/acknowledge")
                .then().statusCode(400).body("detail", notNullValue());
        api().get("/alerts/" + id).then().body("status", equalTo("open"));
        assertThat(Alerts.total()).isEqualTo(before + 1);
    }

    private static void expectBadRequest(Map<String, Object> body, String detail) {
        raise(body).then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", containsString(detail));
    }
}
