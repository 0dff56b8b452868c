package io.devops.alerting;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.devops.common.security.Roles;
import io.devops.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Calls the alerts API as a client would. */
final class Alerts {
    static final String OPERATOR = "test-operator";
    static final String OPERATOR_TOKEN = Tokens.issue(OPERATOR, Roles.OPERATOR);
    static final String VIEWER_TOKEN = Tokens.issue("test-viewer", Roles.VIEWER);

    private Alerts() {
    }

    static RequestSpecification api() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /** A manual alert on a service no other test uses. */
    static Map<String, Object> manual(String title, String severity) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        body.put("message", "something is wrong");
        body.put("severity", severity);
        body.put("service_name", "svc-" + UUID.randomUUID().toString().substring(0, 8));
        body.put("labels", new HashMap<>(Map.of("team", "payments")));
        return body;
    }

    static Response raise(Map<String, Object> body) {
        return api().contentType(ContentType.JSON).body(body).post("/alerts");
    }

    static long total() {
        return Long.parseLong(api().get("/alerts?limit=0").then().statusCode(200).extract().header("X-Total-Count"));
    }
}
