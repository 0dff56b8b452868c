package io.devops.deployer.signal;

import java.time.OffsetDateTime;

/** A reason a gate fails: a health transition or a firing alert, and when it happened. */
public record GateFailure(String kind, String detail, OffsetDateTime at) {
    public static final String HEALTH = "health";
    public static final String ALERT = "alert";

    /** How the rollout's history and its error message say it. */
    public String describe() {
        return kind + " gate failed: " + detail;
    }
}
