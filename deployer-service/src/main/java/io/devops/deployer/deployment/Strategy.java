package io.devops.deployer.deployment;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a new version replaces the running one. */
public enum Strategy {
    /** Kubernetes replaces the pods a few at a time; the gate watches the service meanwhile and after. */
    ROLLING,
    /** The new colour comes up beside the old, the Service switches to it, the old one stays for a while. */
    BLUE_GREEN,
    /** A canary Deployment takes a growing share of the replicas, step by step, each watched by the gate. */
    CANARY;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Strategy> fromJson(String text) {
        return Arrays.stream(values()).filter(strategy -> strategy.json().equals(text)).findFirst();
    }
}
