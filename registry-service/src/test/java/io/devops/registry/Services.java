package io.devops.registry;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Builds registrations and calls the API as a client would. */
final class Services {
    private Services() {
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
        return given().contentType(ContentType.JSON).body(body).post("/services");
    }

    static String registerOk(Map<String, Object> body) {
        return register(body).then().statusCode(201).extract().path("id");
    }

    static long total() {
        return Long.parseLong(given().get("/services?limit=0").then().statusCode(200).extract().header("X-Total-Count"));
    }
}
