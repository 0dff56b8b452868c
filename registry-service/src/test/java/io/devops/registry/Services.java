package io.devops.registry;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.devops.common.security.Roles;
import io.devops.common.testing.Tokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Builds registrations and calls the API as a client would. */
final class Services {
    private Services() {
    }

    /** The token every test calls the API with: an operator may read and write. */
    static final String OPERATOR_TOKEN = Tokens.issue("test-operator", Roles.OPERATOR);

    /** A request as an authenticated operator. */
    static RequestSpecification api() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /** A registration with a name no other test uses. */
    static Map<String, Object> registration(String prefix) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", uniqueName(prefix));
        body.put("url", "http://" + prefix + ".example.internal:8080");
        body.put("environment", "staging");
        body.put("version", "1.0.0");
        return body;
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Response register(Map<String, Object> body) {
        return api().contentType(ContentType.JSON).body(body).post("/services");
    }

    static String registerOk(Map<String, Object> body) {
        return register(body).then().statusCode(201).extract().path("id");
    }

    static long total() {
        return Long.parseLong(api().get("/services?limit=0").then().statusCode(200).extract().header("X-Total-Count"));
    }
}
