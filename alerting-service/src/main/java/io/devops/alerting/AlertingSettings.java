package io.devops.alerting;

import java.time.Duration;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The alerting service's own settings ({@code alerting.*}). */
@ConfigMapping(prefix = "alerting")
public interface AlertingSettings {

    /** How often alerts whose end has passed are resolved. */
    @WithDefault("5s")
    Duration expiryInterval();

    Health health();

    /** Alerts raised from {@code monitoring.health}. */
    interface Health {
        /** The severity of a service becoming unhealthy. */
        @WithDefault("critical")
        @Pattern(regexp = "info|warning|critical")
        String severity();
    }
}
