package io.devops.registry;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The registry's own settings, under {@code registry.*}. */
@ConfigMapping(prefix = "registry")
public interface RegistrySettings {

    Lease lease();

    Heartbeat heartbeat();

    interface Lease {
        /** The lease a heartbeat renews, for services that do not set {@code lease_ttl_seconds}. */
        @WithDefault("30s")
        Duration defaultTtl();

        /**
         * Deregisters a service this long after its lease lapsed, for services that do not set
         * {@code deregister_after_seconds}. Unset (the default): never automatically.
         */
        Optional<Duration> deregisterAfter();

        /** How often leases are checked; a lapse is published at most this long after it happens. */
        @WithDefault("1s")
        Duration checkInterval();
    }

    interface Heartbeat {
        /** Heartbeats are held in memory and written in one statement this often. */
        @WithDefault("1s")
        Duration flushInterval();

        /** How long a replica trusts that a service exists without asking the database again. */
        @WithDefault("10s")
        Duration knownServiceTtl();
    }
}
