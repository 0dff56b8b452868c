package io.devops.registry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The registry reads a service's check history from monitoring-service, here a real HTTP server standing in for it. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
@WithTestResource(MonitoringStub.class)
class HealthHistoryTest {

    @BeforeEach
    void reset() {
        MonitoringStub.server().resetAll();
    }

    @Test
    void passesMonitoringsHistoryThroughWithTheCallersToken() {
        String id = Services.registerOk(Services.registration("history"));
        MonitoringStub.server().stubFor(get(urlPathEqualTo("/monitoring/services/" + id + "/health"))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("""
                        [{"id": 42, "service_id": "%s", "status": "unhealthy", "reason": "timeout",
                          "response_time_ms": 2001, "status_code": null, "error_message": "no response within 2 s",
                          "checked_at": "2026-11-22T10:00:00Z"}]""".formatted(id))));

        api().get("/services/" + id + "/health?limit=5").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].id", is(42))
                .body("[0].status", is("unhealthy"))
                .body("[0].response_time_ms", is(2001))
                .body("[0].error_message", is("no response within 2 s"))
                .body("[0].checked_at", is("2026-11-22T10:00:00Z"));

        MonitoringStub.server().verify(getRequestedFor(urlPathEqualTo("/monitoring/services/" + id + "/health"))
                .withQueryParam("limit", equalTo("5"))
                .withHeader("Authorization", equalTo("Bearer " + Services.OPERATOR_TOKEN)));
    }

    @Test
    void aServiceMonitoringHasNotSeenYetHasNoChecks() {
        String id = Services.registerOk(Services.registration("unseen"));
        MonitoringStub.server().stubFor(get(urlPathEqualTo("/monitoring/services/" + id + "/health"))
                .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/problem+json")
                        .withBody("{\"status\": 404}")));

        api().get("/services/" + id + "/health").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void monitoringTooSlowIsA503WithinTheTimeout() {
        String id = Services.registerOk(Services.registration("slow-monitoring"));
        MonitoringStub.server().stubFor(get(urlPathEqualTo("/monitoring/services/" + id + "/health"))
                .willReturn(aResponse().withFixedDelay(10_000).withHeader("Content-Type", "application/json").withBody("[]")));

        long start = System.nanoTime();
        api().get("/services/" + id + "/health").then().statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", is("5"))
                .body("detail", is("the monitoring service, which keeps health checks, is unavailable; retry shortly"));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
    }

    @Test
    void monitoringFailingIsA503() {
        String id = Services.registerOk(Services.registration("broken-monitoring"));
        MonitoringStub.server().stubFor(get(urlPathEqualTo("/monitoring/services/" + id + "/health"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        api().get("/services/" + id + "/health").then().statusCode(503).contentType("application/problem+json");

        MonitoringStub.server().stubFor(get(urlPathEqualTo("/monitoring/services/" + id + "/health"))
                .willReturn(aResponse().withStatus(500)));
        api().get("/services/" + id + "/health").then().statusCode(503).contentType("application/problem+json");
    }

    @Test
    void anUnknownServiceIsA404WithoutAskingMonitoring() {
        api().get("/services/" + UUID.randomUUID() + "/health").then().statusCode(404).contentType("application/problem+json");
        api().get("/services/not-a-uuid/health").then().statusCode(404);
        assertThat(MonitoringStub.server().getAllServeEvents()).isEmpty();
    }

    @Test
    void limitIsBounded() {
        String id = Services.registerOk(Services.registration("bounded"));
        api().get("/services/" + id + "/health?limit=501").then().statusCode(400).contentType("application/problem+json");
        api().get("/services/" + id + "/health?limit=0").then().statusCode(400);
        api().get("/services/" + id + "/health?limit=x").then().statusCode(400);
        assertThat(MonitoringStub.server().getAllServeEvents()).isEmpty();
    }
}
