package io.devops.monitoring;

import java.time.Duration;
import java.util.List;

import io.devops.common.net.AddressGuard;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The monitoring service's own settings, under {@code monitoring.*}. */
@ConfigMapping(prefix = "monitoring")
public interface MonitoringSettings {

    Catalog catalog();

    Checks checks();

    Probe probe();

    History history();

    Diagnosis diagnosis();

    Metrics metrics();

    /** How this replica learns its share of the catalog from {@code registry.services}. */
    interface Catalog {
        /** Every replica joins this consumer group; Kafka splits the topic's partitions among them. */
        @WithDefault("monitoring-checker")
        String groupId();

        /** How long a replica may be silent before Kafka hands its partitions to the others. */
        @WithDefault("10s")
        Duration sessionTimeout();
    }

    /** Scheduling of checks. */
    interface Checks {
        /** Off only in tests that exercise the API without checking anything. */
        @WithDefault("true")
        boolean enabled();

        /** Checks in flight at once; further due checks wait their turn (and count as lag). */
        @WithDefault("2000")
        int maxInFlight();

        /** Connections kept per checked host and port. */
        @WithDefault("64")
        int connectionsPerHost();
    }

    /** How one check talks to its target. */
    interface Probe {
        /** Redirects followed before a check fails with {@code too_many_redirects}. */
        @WithDefault("3")
        int maxRedirects();

        /** The most of a response body read; a body condition on a longer body fails. */
        @WithDefault("64K")
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        /**
         * Networks never probed: link-local (which holds the cloud metadata endpoint 169.254.169.254) and
         * AWS's IPv6 metadata address. A target that resolves into one of them fails with {@code address_blocked}.
         */
        @WithDefault(AddressGuard.DEFAULT_BLOCKED_NETWORKS)
        List<String> blockedNetworks();

        /** Lets the blocked networks be probed all the same, for clusters whose services live there. */
        @WithDefault("false")
        boolean allowBlockedNetworks();

        /** How long a resolved address is reused before the name is looked up again. */
        @WithDefault("30s")
        Duration dnsCacheTtl();
    }

    /** Storage of results, aggregates and their retention. */
    interface History {
        /** Results are written in batches at most this far apart. */
        @WithDefault("250ms")
        Duration flushInterval();

        /** A batch is written at once when it reaches this many results. */
        @WithDefault("2000")
        int flushSize();

        /** Results older than this are dropped, a whole day's partition at a time. */
        @WithDefault("7d")
        Duration retention();

        /** Hourly and daily aggregates (uptime, response times) are kept this long. */
        @WithDefault("400d")
        Duration aggregateRetention();

        /** Daily partitions created ahead of time. */
        @WithDefault("3")
        int partitionsAhead();
    }

    /** The rule-based diagnosis of incidents. */
    interface Diagnosis {
        /** How far back incidents, response times and deployments are looked at. */
        @WithDefault("7d")
        Duration lookback();

        /** A deployment this long or less before an incident's start is a suspect. */
        @WithDefault("30m")
        Duration deploymentWindow();
    }

    /** Host metrics from the collector agents. */
    interface Metrics {
        /** Raw samples are kept this long, a whole day's partition at a time. */
        @WithDefault("7d")
        Duration retention();

        /** Minute rollups are kept this long. */
        @WithDefault("30d")
        Duration minuteRollupRetention();

        /** Hour rollups are kept this long. */
        @WithDefault("400d")
        Duration hourRollupRetention();

        /** A node whose samples stop for this long is {@code inactive}. */
        @WithDefault("2m")
        Duration nodeSilence();

        /** How often rollups are brought up to date. */
        @WithDefault("30s")
        Duration rollupInterval();

        /**
         * A minute is rolled up once ingest has not marked it for this long: late samples (an agent's
         * backlog being drained) make it wait, so it is computed once, not after every batch.
         */
        @WithDefault("20s")
        Duration rollupSettle();
    }
}
