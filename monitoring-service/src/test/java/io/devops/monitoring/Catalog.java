package io.devops.monitoring;

import static io.restassured.RestAssured.given;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.events.Topic;
import io.devops.common.security.Roles;
import io.devops.common.testing.TopicProbe;
import io.devops.common.testing.Tokens;
import io.restassured.specification.RequestSpecification;

/** Plays the registry: publishes service snapshots and tombstones to {@code registry.services}. */
final class Catalog {
    static final String OPERATOR_TOKEN = Tokens.issue("test-operator", Roles.OPERATOR);
    private static final AtomicLong REVISIONS = new AtomicLong(1);

    private Catalog() {
    }

    static RequestSpecification api() {
        return given().auth().oauth2(OPERATOR_TOKEN);
    }

    /**
     * Checks every second with a 1 s timeout, 3 failures or 2 successes to change status. (The
     * registry accepts 5 s and more; the checker takes what the catalog says.)
     */
    static HealthCheckSpec fastCheck() {
        return new HealthCheckSpec(HealthCheckSpec.CheckType.HTTP, "GET", "/health", Map.of(), List.of(), 1, 1, 3, 2, null,
                null, 14, true);
    }

    static ServiceSnapshot service(String name, String url, HealthCheckSpec check) {
        return service(name, url, check, "staging");
    }

    static ServiceSnapshot service(String name, String url, HealthCheckSpec check, String environment) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return new ServiceSnapshot(UUID.randomUUID(), name, url, environment, "1.0.0", HealthStatus.UNKNOWN, List.of(),
                Map.of(), check, null, null, now, now, REVISIONS.incrementAndGet());
    }

    /** The same service, changed, at a newer revision. */
    static ServiceSnapshot changed(ServiceSnapshot s, String url, HealthCheckSpec check) {
        return new ServiceSnapshot(s.id(), s.name(), url, s.environment(), s.version(), s.status(), s.tags(), s.metadata(),
                check, s.lease(), s.lastSeen(), s.createdAt(), OffsetDateTime.now(ZoneOffset.UTC), REVISIONS.incrementAndGet());
    }

    static void publish(String bootstrap, EventCodec codec, ServiceSnapshot snapshot) {
        TopicProbe.publish(bootstrap, Topic.REGISTRY_SERVICES.topicName(), snapshot.id().toString(), ServiceSnapshot.UPDATED,
                codec.encode(snapshot));
    }

    static void remove(String bootstrap, UUID id) {
        TopicProbe.publish(bootstrap, Topic.REGISTRY_SERVICES.topicName(), id.toString(), ServiceSnapshot.DEREGISTERED, null);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
