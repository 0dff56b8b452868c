package io.devops.deployer.deployment;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/** Where a rollout is in its state machine; the status is what the outside world sees of it. */
public enum Phase {
    /** Accepted, nothing applied yet. */
    START,
    /** The new version's workload converging: the driver waits for Kubernetes to report it rolled out. */
    ROLLOUT,
    /** Taking traffic and watched by the gate, for the analysis time or a canary step's pause. */
    ANALYSIS,
    /** Canary: the stable Deployment takes the new version. */
    PROMOTE,
    /** Putting back what ran before. */
    ROLLBACK,
    /** Blue-green, succeeded: the old colour still runs, for an instant rollback, until the retention ends. */
    RETAIN,
    /** Nothing left to do. */
    DONE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Phase fromJson(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
