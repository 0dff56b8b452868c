package io.devops.alerting.notify;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.AlertingSettings;

/**
 * Links for an alert in a message: to the alert, and for an alert about a catalogued service
 * (a {@code service_id} label) to the service, its check history and its open incidents, whose
 * diagnosis is one click on. Absolute when the platform's address is configured.
 */
@ApplicationScoped
public class AlertLinks {
    private final String base;

    AlertLinks(AlertingSettings settings) {
        this.base = settings.notifications().linksBaseUrl().map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .orElse("");
    }

    public Map<String, String> of(UUID alertId, Map<String, String> labels) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("alert", base + "/alerts/" + alertId);
        String serviceId = labels.get("service_id");
        if (serviceId != null && isUuid(serviceId)) {
            links.put("service", base + "/services/" + serviceId);
            links.put("checks", base + "/monitoring/services/" + serviceId + "/checks");
            links.put("diagnosis", base + "/monitoring/incidents?service_id=" + serviceId + "&state=open");
        }
        return links;
    }

    private static boolean isUuid(String text) {
        try {
            UUID.fromString(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
