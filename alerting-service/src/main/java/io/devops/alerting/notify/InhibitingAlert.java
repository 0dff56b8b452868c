package io.devops.alerting.notify;

import java.util.Map;

/** An unresolved alert that may mute others under an inhibition rule: its fingerprint and its routing labels. */
public record InhibitingAlert(String fingerprint, Map<String, String> routingLabels) {
}
