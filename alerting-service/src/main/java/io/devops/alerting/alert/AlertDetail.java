package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** {@code GET /alerts/{id}}: the alert and its history, oldest first. */
public record AlertDetail(@JsonUnwrapped AlertView alert, List<Step> history) {

    public record Step(OffsetDateTime at, String action, String actor, String comment) {
    }
}
