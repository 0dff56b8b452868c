package io.devops.monitoring.diagnosis;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.time.Durations;
import io.devops.monitoring.diagnosis.Diagnosis.Finding;
import io.devops.monitoring.diagnosis.DiagnosisInput.DeploymentFacts;
import io.devops.monitoring.diagnosis.DiagnosisInput.HourlyResponseTime;
import io.devops.monitoring.diagnosis.DiagnosisInput.IncidentFacts;

/**
 * Looks for known patterns behind a service's incidents: failures that recur at a regular period
 * or hour of day, response times that grew before the incident, an incident that began soon after
 * a deployment, a certificate near or past expiry, and one failure reason that dominates. Each
 * rule stands alone and says how sure it is; nothing here reads a database.
 */
@ApplicationScoped
public class DiagnosisEngine {
    /** Fewer incidents than this cannot show a period. */
    static final int MIN_INCIDENTS_FOR_PERIOD = 3;
    /** Gaps this regular (standard deviation over mean) are a schedule, not chance. */
    static final double MAX_PERIOD_VARIATION = 0.25;
    /** A trend over fewer hours with checks is noise. */
    static final int MIN_HOURS_FOR_TREND = 6;
    /** Response times that grew by half or more before an incident point at a building problem. */
    static final double MIN_GROWTH = 0.5;
    /** A reason behind this share of the failures is the service's failure mode. */
    static final double DOMINANT_SHARE = 0.6;
    static final int MIN_FAILURES_FOR_REASON = 3;

    public Diagnosis diagnose(DiagnosisInput input) {
        List<Finding> findings = new ArrayList<>();
        periodic(input).ifPresent(findings::add);
        timeOfDay(input).ifPresent(findings::add);
        growingResponseTime(input).ifPresent(findings::add);
        afterDeployment(input).ifPresent(findings::add);
        certificate(input).ifPresent(findings::add);
        dominantReason(input).ifPresent(findings::add);
        findings.sort(Comparator.comparingDouble(Finding::confidence).reversed());
        IncidentFacts incident = input.incident();
        if (findings.isEmpty()) {
            String first = incident.firstErrorMessage() != null ? incident.firstErrorMessage() : incident.firstErrorReason();
            return new Diagnosis(incident.id(), incident.serviceId(), input.now(), input.lookback(), findings,
                    "no pattern found in " + input.recentIncidents().size() + " incident(s) over the last "
                            + Durations.readable(input.lookback()),
                    "Start from the first error (" + first + ") and the service's logs around "
                            + incident.startedAt() + ".");
        }
        Finding top = findings.get(0);
        return new Diagnosis(incident.id(), incident.serviceId(), input.now(), input.lookback(), findings, top.summary(),
                top.recommendation());
    }

    private static Optional<Finding> periodic(DiagnosisInput input) {
        List<OffsetDateTime> starts = starts(input);
        if (starts.size() < MIN_INCIDENTS_FOR_PERIOD) {
            return Optional.empty();
        }
        double[] gaps = new double[starts.size() - 1];
        for (int i = 1; i < starts.size(); i++) {
            gaps[i - 1] = Duration.between(starts.get(i - 1), starts.get(i)).toSeconds();
        }
        double mean = mean(gaps);
        if (mean <= 0) {
            return Optional.empty();
        }
        double variation = standardDeviation(gaps, mean) / mean;
        if (variation > MAX_PERIOD_VARIATION) {
            return Optional.empty();
        }
        Duration period = Duration.ofSeconds(Math.round(mean));
        double confidence = clamp(0.5 + 0.08 * (starts.size() - MIN_INCIDENTS_FOR_PERIOD)
                + (MAX_PERIOD_VARIATION - variation));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("pattern", "interval");
        evidence.put("incidents", starts.size());
        evidence.put("mean_interval", period.toString());
        evidence.put("mean_interval_seconds", period.toSeconds());
        evidence.put("coefficient_of_variation", round(variation, 3));
        evidence.put("started_at", starts.stream().map(OffsetDateTime::toString).toList());
        return Optional.of(new Finding("periodic_failures",
                "incidents recur about every " + Durations.readable(period) + " (" + starts.size() + " incidents)", evidence,
                round(confidence, 2),
                "Look for something that runs every " + Durations.readable(period)
                        + ": a cron job, backup, batch import or cache expiry, or a resource (memory, connections, disk) that "
                        + "fills up at that rate."));
    }

    private static Optional<Finding> timeOfDay(DiagnosisInput input) {
        List<OffsetDateTime> starts = starts(input);
        Map<Integer, List<OffsetDateTime>> byHour = new LinkedHashMap<>();
        for (OffsetDateTime start : starts) {
            byHour.computeIfAbsent(start.atZoneSameInstant(ZoneOffset.UTC).getHour(), h -> new ArrayList<>()).add(start);
        }
        return byHour.entrySet().stream()
                .filter(e -> e.getValue().stream().map(s -> s.atZoneSameInstant(ZoneOffset.UTC).toLocalDate()).distinct()
                        .count() >= MIN_INCIDENTS_FOR_PERIOD)
                .max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> {
                    int hour = e.getKey();
                    int count = e.getValue().size();
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("pattern", "time_of_day");
                    evidence.put("hour_of_day_utc", hour);
                    evidence.put("incidents_in_that_hour", count);
                    evidence.put("incidents", starts.size());
                    double share = count / (double) starts.size();
                    return new Finding("periodic_failures",
                            count + " of " + starts.size() + " incidents began between " + hour + ":00 and " + hour
                                    + ":59 UTC, on different days",
                            evidence, round(clamp(0.45 + 0.4 * share + 0.05 * (count - MIN_INCIDENTS_FOR_PERIOD)), 2),
                            "Look for a daily job around " + hour + ":00 UTC (backups, reports, log rotation, batch loads) "
                                    + "competing with the service for the same database, disk or CPU.");
                });
    }

    private static Optional<Finding> growingResponseTime(DiagnosisInput input) {
        OffsetDateTime start = input.incident().startedAt();
        List<HourlyResponseTime> before = input.hourly().stream()
                .filter(h -> h.checks() > 0 && h.hour().isBefore(start)).toList();
        if (before.size() < MIN_HOURS_FOR_TREND) {
            return Optional.empty();
        }
        OffsetDateTime origin = before.get(0).hour();
        int n = before.size();
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Duration.between(origin, before.get(i).hour()).toMinutes() / 60.0;
            y[i] = before.get(i).avgResponseTimeMs();
        }
        double meanX = mean(x);
        double meanY = mean(y);
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - meanX) * (x[i] - meanX);
            sxy += (x[i] - meanX) * (y[i] - meanY);
            syy += (y[i] - meanY) * (y[i] - meanY);
        }
        if (sxx == 0) {
            return Optional.empty();
        }
        double slope = sxy / sxx;
        double intercept = meanY - slope * meanX;
        double first = intercept + slope * x[0];
        double last = intercept + slope * x[n - 1];
        double rSquared = syy == 0 ? 0 : (sxy * sxy) / (sxx * syy);
        if (slope <= 0 || first <= 0 || (last - first) / first < MIN_GROWTH) {
            return Optional.empty();
        }
        double growth = (last - first) / first;
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("hours", n);
        evidence.put("fitted_first_ms", round(first, 1));
        evidence.put("fitted_last_ms", round(last, 1));
        evidence.put("slope_ms_per_hour", round(slope, 2));
        evidence.put("r_squared", round(rSquared, 3));
        return Optional.of(new Finding("growing_response_time",
                "response times grew from about " + Math.round(first) + " ms to " + Math.round(last) + " ms over the "
                        + n + " hours before the incident",
                evidence, round(clamp(0.35 + 0.45 * rSquared + Math.min(0.15, growth / 10)), 2),
                "Something builds up until the service fails: look for a memory leak, a growing queue or table, or a "
                        + "connection pool running dry; compare memory and GC over the same hours, and how long since the "
                        + "last restart."));
    }

    private static Optional<Finding> afterDeployment(DiagnosisInput input) {
        OffsetDateTime start = input.incident().startedAt();
        Duration window = input.deploymentWindow();
        Optional<DeploymentFacts> suspect = input.deployments().stream()
                .filter(d -> !d.occurredAt().isAfter(start) && !d.occurredAt().isBefore(start.minus(window)))
                .max(Comparator.comparing(DeploymentFacts::occurredAt));
        if (suspect.isEmpty()) {
            return Optional.empty();
        }
        DeploymentFacts deployment = suspect.get();
        long minutes = Duration.between(deployment.occurredAt(), start).toMinutes();
        long incidentsAfterDeployments = input.recentIncidents().stream()
                .filter(i -> input.deployments().stream().anyMatch(d -> !d.occurredAt().isAfter(i.startedAt())
                        && !d.occurredAt().isBefore(i.startedAt().minus(window))))
                .count();
        // The deployment's outcome may come after the incident began (a canary rolled back by its gate): its latest status counts.
        String status = deployment.deploymentId() == null ? deployment.status() : input.deployments().stream()
                .filter(d -> deployment.deploymentId().equals(d.deploymentId()))
                .max(Comparator.comparing(DeploymentFacts::occurredAt)).map(DeploymentFacts::status).orElse(deployment.status());
        boolean failed = "failed".equals(status) || "rolled_back".equals(status) || "rolling_back".equals(status);
        double closeness = 1 - Math.min(1, minutes / (double) Math.max(1, window.toMinutes()));
        double confidence = clamp(0.5 + 0.3 * closeness + (failed ? 0.15 : 0) + (incidentsAfterDeployments >= 2 ? 0.1 : 0));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("deployment_id", String.valueOf(deployment.deploymentId()));
        evidence.put("version", deployment.version());
        evidence.put("previous_version", deployment.previousVersion());
        evidence.put("deployment_status", status);
        evidence.put("deployed_at", deployment.occurredAt().toString());
        evidence.put("minutes_before_incident", minutes);
        evidence.put("incidents_after_deployments", incidentsAfterDeployments);
        String version = deployment.version() == null ? "the new version" : "version " + deployment.version();
        String previous = deployment.previousVersion() == null ? "the previous version" : deployment.previousVersion();
        return Optional.of(new Finding("after_deployment",
                "the incident began " + minutes + " min after " + version + " was deployed (" + status + ")",
                evidence, round(confidence, 2),
                "Compare " + version + " with " + previous + " (changes, configuration, migrations); if the cause is not "
                        + "clear quickly, roll back to " + previous + "."));
    }

    private static Optional<Finding> certificate(DiagnosisInput input) {
        OffsetDateTime expiresAt = input.tlsExpiresAt();
        boolean tlsFailure = "tls_error".equals(input.incident().firstErrorReason());
        if (expiresAt == null && !tlsFailure) {
            return Optional.empty();
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("first_error_reason", input.incident().firstErrorReason());
        double confidence;
        String summary;
        if (expiresAt != null) {
            long daysLeft = Duration.between(input.now(), expiresAt).toDays();
            evidence.put("expires_at", expiresAt.toString());
            evidence.put("days_left", daysLeft);
            boolean expired = !expiresAt.isAfter(input.now());
            if (expired || tlsFailure) {
                confidence = 0.9;
                summary = expired ? "the service's certificate expired at " + expiresAt
                        : "the incident began with a TLS error; the certificate expires at " + expiresAt;
            } else if (daysLeft < input.tlsExpiryDays()) {
                confidence = 0.6;
                summary = "the service's certificate expires in " + daysLeft + " days, at " + expiresAt;
            } else {
                return Optional.empty();
            }
        } else {
            confidence = 0.75;
            summary = "the incident began with a TLS error: " + input.incident().firstErrorMessage();
        }
        return Optional.of(new Finding("certificate_expiry", summary, evidence, confidence,
                "Renew the certificate (or fix the chain the service presents) and automate renewal, for example with "
                        + "cert-manager; check that clients trust the issuing CA."));
    }

    private static Optional<Finding> dominantReason(DiagnosisInput input) {
        long total = input.failureReasons().values().stream().mapToLong(Long::longValue).sum();
        if (total < MIN_FAILURES_FOR_REASON) {
            return Optional.empty();
        }
        return input.failureReasons().entrySet().stream().max(Map.Entry.comparingByValue())
                .filter(e -> e.getValue() / (double) total >= DOMINANT_SHARE)
                .map(e -> {
                    double share = e.getValue() / (double) total;
                    Map<String, Object> evidence = new LinkedHashMap<>();
                    evidence.put("reason", e.getKey());
                    evidence.put("failed_checks", e.getValue());
                    evidence.put("all_failed_checks", total);
                    evidence.put("share", round(share, 3));
                    return new Finding("dominant_failure_reason",
                            Math.round(share * 100) + "% of " + total + " failed checks were " + e.getKey().replace('_', ' '),
                            evidence, round(clamp(0.3 + 0.5 * share), 2), advice(e.getKey()));
                });
    }

    private static String advice(String reason) {
        return switch (reason) {
            case "timeout" -> "The service answers too slowly: look for a slow dependency (database, downstream call) or "
                    + "too little capacity; compare its latency and saturation with the check timeout.";
            case "connection_refused" -> "Nothing listens on the port: the process is down or restarting; look for crash "
                    + "loops, OOM kills and failed readiness.";
            case "connection_error" -> "Connections break off: look at the network path, proxies and the service's "
                    + "connection limits.";
            case "dns_failure" -> "The name does not resolve: check the DNS record or Kubernetes Service behind the "
                    + "registered url.";
            case "unexpected_status" -> "The service answers with errors: read its logs for the failing requests (5xx) "
                    + "around the incident.";
            case "condition_failed" -> "The service's own health report names a failing component: read the body of its "
                    + "health endpoint.";
            case "tls_error" -> "TLS fails: check the certificate, its chain and expiry, and the protocols offered.";
            case "too_many_redirects" -> "The health path redirects in a loop or too often: register the final url.";
            case "address_blocked", "invalid_target" -> "The registered url cannot be checked (a blocked or invalid "
                    + "address): fix the service's registration.";
            default -> "Look at the service's logs around the failed checks.";
        };
    }

    private static List<OffsetDateTime> starts(DiagnosisInput input) {
        return input.recentIncidents().stream().map(IncidentFacts::startedAt).sorted().toList();
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static double standardDeviation(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / values.length);
    }

    private static double clamp(double confidence) {
        return Math.max(0.05, Math.min(0.95, confidence));
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
