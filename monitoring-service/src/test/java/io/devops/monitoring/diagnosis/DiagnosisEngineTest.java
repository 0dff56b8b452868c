package io.devops.monitoring.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.devops.monitoring.diagnosis.Diagnosis.Finding;
import io.devops.monitoring.diagnosis.DiagnosisInput.DeploymentFacts;
import io.devops.monitoring.diagnosis.DiagnosisInput.HourlyResponseTime;
import io.devops.monitoring.diagnosis.DiagnosisInput.IncidentFacts;

class DiagnosisEngineTest {
    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 11, 22, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final UUID SERVICE = UUID.randomUUID();
    private final DiagnosisEngine engine = new DiagnosisEngine();

    @Test
    void regularIncidentsAreAPeriod() {
        List<IncidentFacts> incidents = new ArrayList<>();
        for (int i = 4; i >= 0; i--) {
            incidents.add(incident(NOW.minusHours(6L * i).plusMinutes(i % 2 == 0 ? 3 : -3), "timeout"));
        }
        Diagnosis diagnosis = engine.diagnose(input(incidents.get(4), incidents, List.of(), List.of(), Map.of(), null));

        Finding periodic = finding(diagnosis, "periodic_failures");
        assertThat(periodic.evidence()).containsEntry("pattern", "interval").containsEntry("incidents", 5);
        assertThat((Long) periodic.evidence().get("mean_interval_seconds")).isBetween(6 * 3600L - 120, 6 * 3600L + 120);
        assertThat(periodic.summary()).contains("every 6 h");
        assertThat(periodic.confidence()).isBetween(0.5, 0.95);
    }

    @Test
    void irregularIncidentsAreNot() {
        List<IncidentFacts> incidents = List.of(incident(NOW.minusHours(50), "timeout"), incident(NOW.minusHours(47), "timeout"),
                incident(NOW.minusHours(20), "timeout"), incident(NOW.minusHours(1), "timeout"));
        Diagnosis diagnosis = engine.diagnose(input(incidents.get(3), incidents, List.of(), List.of(), Map.of(), null));
        assertThat(diagnosis.findings()).noneMatch(f -> f.kind().equals("periodic_failures"));
    }

    @Test
    void incidentsAtTheSameHourOnDifferentDaysAreADailyPattern() {
        List<IncidentFacts> incidents = List.of(incident(NOW.minusDays(5).withHour(2).withMinute(10), "timeout"),
                incident(NOW.minusDays(3).withHour(2).withMinute(40), "timeout"),
                incident(NOW.minusDays(1).withHour(2).withMinute(5), "timeout"),
                incident(NOW.minusHours(2), "timeout"));
        Diagnosis diagnosis = engine.diagnose(input(incidents.get(2), incidents, List.of(), List.of(), Map.of(), null));
        Finding daily = diagnosis.findings().stream().filter(f -> "time_of_day".equals(f.evidence().get("pattern")))
                .findFirst().orElseThrow();
        assertThat(daily.evidence()).containsEntry("hour_of_day_utc", 2).containsEntry("incidents_in_that_hour", 3);
        assertThat(daily.recommendation()).contains("2:00 UTC");
    }

    @Test
    void responseTimesThatGrewBeforeTheIncidentAreATrend() {
        IncidentFacts incident = incident(NOW.minusHours(1), "timeout");
        List<HourlyResponseTime> hours = new ArrayList<>();
        for (int h = 12; h >= 1; h--) {
            hours.add(new HourlyResponseTime(NOW.minusHours(h + 1L), 120, 100 + (12 - h) * 20.0, 0));
        }
        Diagnosis diagnosis = engine.diagnose(input(incident, List.of(incident), hours, List.of(), Map.of(), null));
        Finding trend = finding(diagnosis, "growing_response_time");
        assertThat((Double) trend.evidence().get("slope_ms_per_hour")).isEqualTo(20.0);
        assertThat((Double) trend.evidence().get("r_squared")).isEqualTo(1.0);
        assertThat((Double) trend.evidence().get("fitted_first_ms")).isEqualTo(100.0);
        assertThat((Double) trend.evidence().get("fitted_last_ms")).isEqualTo(320.0);
        assertThat(trend.confidence()).isGreaterThan(0.75);
    }

    @Test
    void flatOrTooShortResponseTimesAreNoTrend() {
        IncidentFacts incident = incident(NOW.minusHours(1), "timeout");
        List<HourlyResponseTime> flat = new ArrayList<>();
        for (int h = 12; h >= 1; h--) {
            flat.add(new HourlyResponseTime(NOW.minusHours(h + 1L), 120, 100 + (h % 2) * 5.0, 0));
        }
        List<HourlyResponseTime> short_ = List.of(new HourlyResponseTime(NOW.minusHours(4), 10, 100, 0),
                new HourlyResponseTime(NOW.minusHours(3), 10, 400, 0));
        List<HourlyResponseTime> empty = List.of(new HourlyResponseTime(NOW.minusHours(8), 0, 0, 0));
        for (List<HourlyResponseTime> hours : List.of(flat, short_, empty)) {
            Diagnosis diagnosis = engine.diagnose(input(incident, List.of(incident), hours, List.of(), Map.of(), null));
            assertThat(diagnosis.findings()).noneMatch(f -> f.kind().equals("growing_response_time"));
        }
    }

    @Test
    void aDeploymentJustBeforeTheIncidentIsASuspect() {
        IncidentFacts incident = incident(NOW.minusHours(1), "unexpected_status");
        DeploymentFacts deployment = new DeploymentFacts(UUID.randomUUID(), "2.4.0", "2.3.1", "succeeded",
                NOW.minusHours(1).minusMinutes(4));
        Diagnosis diagnosis = engine.diagnose(input(incident, List.of(incident), List.of(), List.of(deployment), Map.of(), null));
        Finding suspect = finding(diagnosis, "after_deployment");
        assertThat(suspect.evidence()).containsEntry("version", "2.4.0").containsEntry("minutes_before_incident", 4L);
        assertThat(suspect.recommendation()).contains("roll back to 2.3.1");
        assertThat(suspect.confidence()).isGreaterThan(0.7);
        assertThat(diagnosis.summary()).isEqualTo(suspect.summary());

        DeploymentFacts failed = new DeploymentFacts(UUID.randomUUID(), "2.4.0", "2.3.1", "failed",
                NOW.minusHours(1).minusMinutes(4));
        Finding failedSuspect = finding(engine.diagnose(input(incident, List.of(incident), List.of(), List.of(failed), Map.of(),
                null)), "after_deployment");
        assertThat(failedSuspect.confidence()).isGreaterThan(suspect.confidence());
    }

    @Test
    void aSuspectDeploymentIsJudgedByItsLatestStatusEvenWhenItCameAfterTheIncidentBegan() {
        IncidentFacts incident = incident(NOW.minusHours(1), "unexpected_status");
        UUID canary = UUID.randomUUID();
        List<DeploymentFacts> events = List.of(
                new DeploymentFacts(canary, "2.4.0", "2.3.1", "in_progress", NOW.minusHours(1).minusMinutes(2)),
                new DeploymentFacts(canary, "2.4.0", "2.3.1", "paused", NOW.minusHours(1).minusMinutes(1)),
                new DeploymentFacts(canary, "2.4.0", "2.3.1", "rolled_back", NOW.minusHours(1).plusSeconds(20)));
        Finding suspect = finding(engine.diagnose(input(incident, List.of(incident), List.of(), events, Map.of(), null)),
                "after_deployment");
        assertThat(suspect.evidence()).containsEntry("deployment_status", "rolled_back")
                .containsEntry("deployment_id", canary.toString()).containsEntry("minutes_before_incident", 1L);
        assertThat(suspect.summary()).endsWith("(rolled_back)");
    }

    @Test
    void aDeploymentOutsideTheWindowOrAfterTheStartIsNot() {
        IncidentFacts incident = incident(NOW.minusHours(1), "unexpected_status");
        List<DeploymentFacts> deployments = List.of(
                new DeploymentFacts(UUID.randomUUID(), "2.4.0", "2.3.1", "succeeded", NOW.minusHours(3)),
                new DeploymentFacts(UUID.randomUUID(), "2.4.1", "2.4.0", "succeeded", NOW.minusMinutes(30)));
        Diagnosis diagnosis = engine.diagnose(input(incident, List.of(incident), List.of(), deployments, Map.of(), null));
        assertThat(diagnosis.findings()).noneMatch(f -> f.kind().equals("after_deployment"));
    }

    @Test
    void certificatesNearOrPastExpiry() {
        IncidentFacts incident = incident(NOW.minusHours(1), "tls_error");
        Finding expired = finding(engine.diagnose(input(incident, List.of(incident), List.of(), List.of(), Map.of(),
                NOW.minusDays(1))), "certificate_expiry");
        assertThat(expired.confidence()).isEqualTo(0.9);
        assertThat(expired.summary()).contains("expired");

        IncidentFacts timeout = incident(NOW.minusHours(1), "timeout");
        Finding soon = finding(engine.diagnose(input(timeout, List.of(timeout), List.of(), List.of(), Map.of(),
                NOW.plusDays(5))), "certificate_expiry");
        assertThat(soon.evidence()).containsEntry("days_left", 5L);
        assertThat(soon.confidence()).isEqualTo(0.6);

        Diagnosis far = engine.diagnose(input(timeout, List.of(timeout), List.of(), List.of(), Map.of(), NOW.plusDays(90)));
        assertThat(far.findings()).noneMatch(f -> f.kind().equals("certificate_expiry"));
    }

    @Test
    void oneReasonBehindMostFailuresIsTheFailureMode() {
        IncidentFacts incident = incident(NOW.minusHours(1), "connection_refused");
        Finding dominant = finding(engine.diagnose(input(incident, List.of(incident), List.of(), List.of(),
                Map.of("connection_refused", 8L, "timeout", 2L), null)), "dominant_failure_reason");
        assertThat(dominant.evidence()).containsEntry("share", 0.8).containsEntry("failed_checks", 8L);
        assertThat(dominant.recommendation()).contains("crash");

        Diagnosis mixed = engine.diagnose(input(incident, List.of(incident), List.of(), List.of(),
                Map.of("connection_refused", 5L, "timeout", 5L), null));
        assertThat(mixed.findings()).noneMatch(f -> f.kind().equals("dominant_failure_reason"));
    }

    @Test
    void findingsComeMostLikelyFirstAndNoPatternSaysSo() {
        IncidentFacts incident = incident(NOW.minusHours(1), "tls_error");
        Diagnosis several = engine.diagnose(input(incident, List.of(incident), List.of(),
                List.of(new DeploymentFacts(UUID.randomUUID(), "3", "2", "succeeded", NOW.minusMinutes(80))),
                Map.of("tls_error", 4L), NOW.minusDays(2)));
        assertThat(several.findings()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(several.findings()).isSortedAccordingTo((a, b) -> Double.compare(b.confidence(), a.confidence()));
        assertThat(several.recommendation()).isEqualTo(several.findings().get(0).recommendation());

        IncidentFacts open = new IncidentFacts(UUID.randomUUID(), SERVICE, NOW.minusMinutes(5), null, "timeout",
                "no response within 2 s", null);
        Diagnosis none = engine.diagnose(input(open, List.of(open), List.of(), List.of(), Map.of("timeout", 1L), null));
        assertThat(none.findings()).isEmpty();
        assertThat(none.summary()).isEqualTo("no pattern found in 1 incident(s) over the last 7 d 0 h");
        assertThat(none.recommendation()).contains("no response within 2 s");
    }

    private static Finding finding(Diagnosis diagnosis, String kind) {
        return diagnosis.findings().stream().filter(f -> f.kind().equals(kind)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + diagnosis.findings()));
    }

    private static IncidentFacts incident(OffsetDateTime start, String reason) {
        return new IncidentFacts(UUID.randomUUID(), SERVICE, start, start.plusMinutes(10), reason, reason + " details", 5);
    }

    private static DiagnosisInput input(IncidentFacts incident, List<IncidentFacts> recent, List<HourlyResponseTime> hours,
            List<DeploymentFacts> deployments, Map<String, Long> reasons, OffsetDateTime tlsExpiresAt) {
        return new DiagnosisInput(incident, recent, hours, deployments, reasons, tlsExpiresAt, 14, Duration.ofMinutes(30),
                Duration.ofDays(7), NOW);
    }
}
