package io.devops.monitoring;

import static io.devops.monitoring.Catalog.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import io.devops.common.events.EventCodec;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.TargetServer;
import io.devops.common.testing.TargetServer.Behavior;
import io.devops.monitoring.history.ResultWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The uptime report, the dashboard and the health summary, from the results of real checks. */
@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class UptimeAndDashboardTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    @AutoClose
    private static final TargetServer target = TargetServer.start();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventCodec codec;

    @Inject
    ResultWriter results;

    @Test
    void uptimeNamesTheWorstServiceAndTheHistoryIsNewestFirst() {
        String environment = Catalog.unique("env");
        String good = Catalog.unique("good");
        String bad = Catalog.unique("bad");
        target.respond(bad, Behavior.status(500));
        ServiceSnapshot goodService = Catalog.service(good, target.url(good), Catalog.fastCheck(), environment);
        ServiceSnapshot badService = Catalog.service(bad, target.url(bad), Catalog.fastCheck(), environment);
        Catalog.publish(bootstrap, codec, goodService);
        Catalog.publish(bootstrap, codec, badService);
        await().atMost(WAIT).until(() -> target.hits(good) >= 4 && target.hits(bad) >= 4);
        // a service's checks follow one another, so by its fourth request its third result is queued: store it
        results.flushNow();

        JsonPath report = api().get("/monitoring/uptime?window=24h&environment=" + environment).then().statusCode(200)
                .body("window", equalTo("24h"))
                .body("services.size()", equalTo(2))
                .body("worst_service.service_name", equalTo(bad))
                .body("worst_service.uptime_percentage", equalTo(0.0f))
                .extract().jsonPath();
        Map<String, Object> goodUptime = report.getMap("services.find { it.service_name == '" + good + "' }");
        assertThat(goodUptime.get("uptime_percentage")).isEqualTo(100.0f);
        assertThat(((Number) goodUptime.get("checks")).intValue()).isGreaterThanOrEqualTo(3);
        assertThat(goodUptime.get("avg_response_time_ms")).isNotNull();
        float overall = report.getFloat("overall_uptime_percentage");
        assertThat(overall).isGreaterThan(0f).isLessThan(100f);
        api().get("/monitoring/uptime?window=30d&environment=" + environment).then().statusCode(200)
                .body("worst_service.service_name", equalTo(bad));

        List<String> times = api().get("/monitoring/services/" + badService.id() + "/health?limit=3").then().statusCode(200)
                .body("size()", equalTo(3))
                .body("[0].status", equalTo("unhealthy"))
                .body("[0].reason", equalTo("unexpected_status"))
                .body("[0].status_code", equalTo(500))
                .body("[0].error_message", notNullValue())
                .extract().jsonPath().getList("checked_at");
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        api().get("/monitoring/services/" + goodService.id() + "/checks?status=unhealthy").then().statusCode(200)
                .body("size()", equalTo(0));
        api().get("/monitoring/services/" + goodService.id() + "/checks?limit=2&skip=1").then().statusCode(200)
                .body("size()", equalTo(2));

        api().get("/monitoring/health-summary?environment=" + environment).then().statusCode(200)
                .body("total_services", equalTo(2))
                .body("recent_incidents", greaterThanOrEqualTo(3))
                .body("health_percentage", lessThanOrEqualTo(50.0f))
                .body("last_updated", notNullValue());
        api().get("/monitoring/dashboard").then().statusCode(200)
                .body("service_stats.total", greaterThanOrEqualTo(2))
                .body("infrastructure_stats", hasKey("total_nodes"))
                .body("recent_health_checks.size()", equalTo(10))
                .body("recent_health_checks[0]", hasKey("service_name"))
                .body("response_time_trends.size()", greaterThanOrEqualTo(1))
                .body("response_time_trends[0]", hasKey("avg_response_time_ms"));
    }
}
