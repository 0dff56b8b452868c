package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.TreeMap;

/**
 * An alert firing, from whichever source: the manual API, a health transition, a threshold rule, a
 * deployment or Prometheus. {@code labels} identify it (its fingerprint); the rest describes it.
 */
public record AlertFiring(
        String source,
        String title,
        String message,
        String severity,
        String serviceName,
        Map<String, String> labels,
        Map<String, String> annotations,
        Map<String, Object> metadata,
        OffsetDateTime startsAt,
        OffsetDateTime endsAt) {

    /** The labels that identify the alert: its own, plus its title and service unless it names them. */
    public Map<String, String> identifyingLabels() {
        Map<String, String> identity = new TreeMap<>(labels);
        identity.putIfAbsent("alertname", title);
        if (serviceName != null) {
            identity.putIfAbsent("service", serviceName);
        }
        return identity;
    }

    /**
     * The alert's fingerprint: of its identifying labels, except that a service known by its id is
     * not also identified by the name it was given, so a service renamed while its alert fires keeps
     * that alert.
     */
    public String fingerprint() {
        Map<String, String> identity = identifyingLabels();
        if (serviceName != null && labels.containsKey("service_id") && !labels.containsKey("service")) {
            identity.remove("service");
        }
        return Fingerprint.of(identity);
    }
}
