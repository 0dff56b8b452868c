package io.devops.registry;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.devops.common.security.Roles;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;

/** Bearer tokens, roles and the write rate limit, with real signed tokens. */
@QuarkusTest
@TestProfile(SecurityTest.LowWriteLimit.class)
@WithTestResource(KafkaBrokerResource.class)
class SecurityTest {
    private static final String PROBLEM = "application/problem+json";

    public static class LowWriteLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("devops.rate-limit.writes-per-second", "1", "devops.rate-limit.burst", "5");
        }
    }

    @Inject
    JWTParser parser;

    @Test
    void aVerifiedTokenIsCheckedOnceAndAForgedOneNever() throws Exception {
        String token = Tokens.issue("repeat", Roles.OPERATOR);
        assertThat(parser.parse(token)).isSameAs(parser.parse(token));
        String forged = Tokens.forged("repeat", Roles.OPERATOR);
        assertThatThrownBy(() -> parser.parse(forged)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> parser.parse(forged)).isInstanceOf(ParseException.class);
    }

    @Test
    void healthMetricsDocsAndPingAreOpen() {
        for (String path : List.of("/ping", "/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(200);
        }
    }

    @Test
    void noTokenAForgedOneOrAnExpiredOneIs401() {
        given().get("/services").then().statusCode(401).contentType(PROBLEM).header("WWW-Authenticate", "Bearer");
        given().auth().oauth2(Tokens.forged("mallory", Roles.ADMIN)).get("/services").then().statusCode(401)
                .contentType(PROBLEM);
        given().auth().oauth2(Tokens.issue("late", Instant.now().minusSeconds(600), Roles.ADMIN)).get("/services").then()
                .statusCode(401).contentType(PROBLEM);
        given().auth().oauth2("not.a.jwt").get("/services").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void aViewerReadsButCannotWrite() {
        String viewer = Tokens.issue("vera", Roles.VIEWER);
        String id = Services.registerOk(Services.registration("readable"));
        given().auth().oauth2(viewer).get("/services/" + id).then().statusCode(200);
        // Allowed: monitoring-service is not running here, so the answer is its absence, not a refusal.
        given().auth().oauth2(viewer).get("/services/" + id + "/health").then().statusCode(503);
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body(Services.registration("denied"))
                .post("/services").then().statusCode(403).contentType(PROBLEM).body("status", equalTo(403));
        given().auth().oauth2(viewer).post("/services/" + id + "/heartbeat").then().statusCode(403);
        given().auth().oauth2(viewer).delete("/services/" + id).then().statusCode(403);
        given().auth().oauth2(Tokens.issue("nobody")).get("/services").then().statusCode(403);
    }

    @Test
    void anAdminMayDoWhatAnOperatorMay() {
        given().auth().oauth2(Tokens.issue("ada", Roles.ADMIN)).contentType(ContentType.JSON)
                .body(Services.registration("by-admin")).post("/services").then().statusCode(201);
    }

    @Test
    void writesBeyondTheBurstAre429ButHeartbeatsAreNotLimited() {
        String client = Tokens.issue("busy-client", Roles.OPERATOR);
        String id = Services.registerOk(Services.registration("limited"));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(given().auth().oauth2(client).delete("/services/5b0e6f7e-0000-4000-8000-00000000000" + i)
                    .then().extract().statusCode());
        }
        assertThat(statuses).contains(429);
        assertThat(statuses.subList(0, 5)).containsOnly(404);
        given().auth().oauth2(client).delete("/services/5b0e6f7e-0000-4000-8000-000000000000").then().statusCode(429)
                .contentType(PROBLEM).header("Retry-After", org.hamcrest.Matchers.notNullValue());
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(client).post("/services/" + id + "/heartbeat").then().statusCode(200);
        }
    }
}
