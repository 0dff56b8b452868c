package io.devops.alerting.alert;

import java.util.List;

/** The statuses of an alert's life: open (firing) → acknowledged → resolved. */
public final class AlertStatus {
    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";
    public static final List<String> ALL = List.of(OPEN, ACKNOWLEDGED, RESOLVED);

    private AlertStatus() {
    }
}
