package io.devops.common.events;

import com.fasterxml.jackson.annotation.JsonValue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A service's health as the platform reports it; the JSON form is lower case. */
@RegisterForReflection
public enum HealthStatus {
    HEALTHY, DEGRADED, UNHEALTHY, UNKNOWN;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static HealthStatus fromJson(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
