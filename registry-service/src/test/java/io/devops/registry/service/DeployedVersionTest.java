package io.devops.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.devops.common.events.DeploymentEvent;
import io.devops.common.events.DeploymentEvent.Status;

/** The version a deployment leaves running, a row per rule; the service runs in production. */
class DeployedVersionTest {
    private static final OffsetDateTime T = OffsetDateTime.of(2025, 3, 1, 12, 0, 0, 0, ZoneOffset.UTC);

    record Row(String rule, OffsetDateTime lastApplied, DeploymentEvent deployment, String expected) {
        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("succeeded: the new version runs", null, event("production", Status.SUCCEEDED, "2.0.0", "1.0.0", T),
                        "2.0.0"),
                new Row("succeeded after the last deployment applied", T.minusMinutes(1),
                        event("production", Status.SUCCEEDED, "2.0.0", "1.0.0", T), "2.0.0"),
                new Row("succeeded without a version says nothing", null,
                        event("production", Status.SUCCEEDED, null, "1.0.0", T), null),
                new Row("rolled back: the previous version runs", null,
                        event("production", Status.ROLLED_BACK, "2.0.0", "1.0.0", T), "1.0.0"),
                new Row("rolled back without a previous version says nothing", null,
                        event("production", Status.ROLLED_BACK, "2.0.0", null, T), null),
                new Row("pending changes nothing", null, event("production", Status.PENDING, "2.0.0", "1.0.0", T), null),
                new Row("in progress changes nothing", null, event("production", Status.IN_PROGRESS, "2.0.0", "1.0.0", T),
                        null),
                new Row("paused changes nothing", null, event("production", Status.PAUSED, "2.0.0", "1.0.0", T), null),
                new Row("failed changes nothing", null, event("production", Status.FAILED, "2.0.0", "1.0.0", T), null),
                new Row("rolling back changes nothing yet", null,
                        event("production", Status.ROLLING_BACK, "2.0.0", "1.0.0", T), null),
                new Row("another environment's deployment says nothing", null,
                        event("staging", Status.SUCCEEDED, "2.0.0", "1.0.0", T), null),
                new Row("a deployment without an environment says nothing", null,
                        event(null, Status.SUCCEEDED, "2.0.0", "1.0.0", T), null),
                new Row("older than the last deployment applied: ignored", T.plusSeconds(1),
                        event("production", Status.SUCCEEDED, "2.0.0", "1.0.0", T), null),
                new Row("as old as the last deployment applied (a redelivery): ignored", T,
                        event("production", Status.ROLLED_BACK, "2.0.0", "1.0.0", T), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void versionAfter(Row row) {
        assertThat(DeployedVersion.after("production", row.lastApplied(), row.deployment()))
                .isEqualTo(Optional.ofNullable(row.expected()));
    }

    private static DeploymentEvent event(String environment, Status status, String version, String previous,
            OffsetDateTime occurredAt) {
        return new DeploymentEvent(UUID.randomUUID(), UUID.randomUUID(), "shop", environment, version, previous, "rolling",
                status, null, occurredAt, status.json(), null, null);
    }
}
