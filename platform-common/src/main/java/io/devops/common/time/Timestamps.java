package io.devops.common.time;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Timestamps as the services store them. */
public final class Timestamps {
    private Timestamps() {
    }

    /**
     * Now in UTC, to the microsecond: what PostgreSQL keeps, so a view built before a write equals
     * one read after it.
     */
    public static OffsetDateTime now() {
        return now(InstantSource.system());
    }

    /** {@link #now()} as {@code clock} tells it: where timers decide, the clock is injected so tests can set it. */
    public static OffsetDateTime now(InstantSource clock) {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
