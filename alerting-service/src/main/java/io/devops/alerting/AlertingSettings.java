package io.devops.alerting;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import io.devops.common.net.AddressGuard;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The alerting service's own settings ({@code alerting.*}). */
@ConfigMapping(prefix = "alerting")
public interface AlertingSettings {

    /** How often alerts whose end has passed are resolved. */
    @WithDefault("5s")
    Duration expiryInterval();

    /**
     * A YAML file of channels and routing applied at start (configuration as code); see
     * docs/operations.md.
     */
    Optional<Path> configFile();

    /**
     * The key channel secrets are sealed with (AES-256-GCM): 32 random bytes, base64
     * ({@code openssl rand -base64 32}). Without it they are stored unencrypted.
     */
    Optional<String> secretsKey();

    Health health();

    Notifications notifications();

    Delivery delivery();

    Retention retention();

    /** How long what is over is kept: resolved alerts with their history, and notifications with their deliveries. */
    interface Retention {
        /** A resolved alert is deleted this long after it resolved. */
        @WithDefault("90d")
        Duration resolvedAlerts();

        /** A notification (and its deliveries) is deleted this long after it was made. */
        @WithDefault("30d")
        Duration notifications();
    }

    /** Alerts raised from {@code monitoring.health}. */
    interface Health {
        /** The severity of a service becoming unhealthy. */
        @WithDefault("critical")
        @Pattern(regexp = "info|warning|critical")
        String severity();
    }

    /** Notification groups. */
    interface Notifications {
        /** How often due groups are looked for; bounds the delay after a group_wait of 0. */
        @WithDefault("100ms")
        Duration pollInterval();

        /**
         * Where people open the platform (the ingress), for links in messages, such as
         * https://devops.example.com; without it links are paths.
         */
        Optional<String> linksBaseUrl();
    }

    /** Sending notifications to channels. */
    interface Delivery {
        /** Attempts before a delivery is given up (recorded as failed). */
        @WithDefault("10")
        @Min(1)
        @Max(100)
        int maxAttempts();

        /** The wait after the first failed attempt, doubled after each further one. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /**
         * Connections kept open to one host (a Slack or PagerDuty endpoint, a webhook receiver):
         * sends to one host beyond these wait for a free one.
         */
        @WithDefault("32")
        @Min(1)
        int connectionsPerHost();

        /**
         * Networks no channel may reach: link-local (which holds the cloud metadata endpoint
         * 169.254.169.254) and AWS's IPv6 metadata address. A delivery to an address in one fails.
         */
        @WithDefault(AddressGuard.DEFAULT_BLOCKED_NETWORKS)
        List<String> blockedNetworks();

        /** Lets channels reach the blocked networks all the same, for receivers that live there. */
        @WithDefault("false")
        boolean allowBlockedNetworks();

        /** Sends under way at once, across all channels. */
        @WithDefault("256")
        @Min(1)
        int concurrency();
    }
}
