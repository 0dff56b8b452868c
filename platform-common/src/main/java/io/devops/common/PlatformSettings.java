package io.devops.common;

import java.time.Duration;

import java.util.Optional;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings every service shares, under {@code devops.*}. */
@ConfigMapping(prefix = "devops")
public interface PlatformSettings {

    /** The database schema this service owns; its outbox and processed-event tables live there. */
    String schema();

    /** The CloudEvents {@code source} of the events this service publishes, for example {@code /registry-service}. */
    String eventSource();

    Outbox outbox();

    Inbox inbox();

    RateLimit rateLimit();

    interface Outbox {
        /** Off only in tests that exercise the outbox table without a broker. */
        @WithDefault("true")
        boolean relayEnabled();

        /** How long the relay sleeps when the outbox is empty; a full batch is followed at once by the next. */
        @WithDefault("100ms")
        Duration pollInterval();

        @WithDefault("500")
        int batchSize();

        /** Sent rows are kept this long for inspection, then deleted. */
        @WithDefault("1h")
        Duration sentRetention();

        /** The longest wait for Kafka to acknowledge a batch before the relay retries it. */
        @WithDefault("30s")
        Duration deliveryTimeout();
    }

    interface Inbox {
        /** How long processed event ids are remembered; longer than any redelivery can take. */
        @WithDefault("7d")
        Duration processedRetention();
    }

    /** Per-client limits on requests that change something (POST, PUT, PATCH, DELETE). */
    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** The steady rate a client may write at. */
        @WithDefault("50")
        int writesPerSecond();

        /** How many writes a client may send at once before the steady rate applies. */
        @WithDefault("100")
        int burst();

        /** Write paths exempt from the limit, for those that cost no database write (heartbeats). */
        Optional<Pattern> exemptPaths();
    }
}
