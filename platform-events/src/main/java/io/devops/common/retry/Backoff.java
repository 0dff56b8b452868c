package io.devops.common.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The state of a loop that retries its work until it succeeds (a relay, a writer, a consumer's
 * poll while PostgreSQL or Kafka is away): how many rounds failed in a row, how long to wait before
 * the next, and whether a failure deserves a log line. It only counts and computes; the loop waits
 * its own way (a sleep, a park that a wake-up ends), so this holds no thread.
 */
public final class Backoff {
    /** Every this many failures in a row, one more is logged, so an outage does not flood the log. */
    private static final int LOG_EVERY = 20;

    private final Duration initial;
    private final Duration max;
    private int failures;

    /** Waits {@code initial} after the first failure, doubling after each one after it, at most {@code max}. */
    public Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < initial <= max, not " + initial + " and " + max);
        }
        this.initial = initial;
        this.max = max;
    }

    /** Counts a failed round; returns how many failed in a row. */
    public int failed() {
        return ++failures;
    }

    /** Counts a round that worked; returns how many failed rounds it ended (0 when none did). */
    public int succeeded() {
        int ended = failures;
        failures = 0;
        return ended;
    }

    /** Failed rounds in a row. */
    public int failures() {
        return failures;
    }

    /** Whether the latest failure should be logged: the first of a run and every 20th after it. */
    public boolean worthLogging() {
        return failures == 1 || failures % LOG_EVERY == 0;
    }

    /** How long to wait after the failures so far (zero when none failed). */
    public Duration delay() {
        return failures == 0 ? Duration.ZERO : delay(initial, max, failures);
    }

    /** {@code initial} doubled per failure after the first, at most {@code max}; {@code failures} is at least 1. */
    public static Duration delay(Duration initial, Duration max, int failures) {
        int doublings = Math.min(Math.max(failures, 1) - 1, 30);
        long millis = initial.toMillis();
        long delayed = millis > Long.MAX_VALUE >> doublings ? Long.MAX_VALUE : millis << doublings;
        return Duration.ofMillis(Math.min(delayed, max.toMillis()));
    }

    /**
     * {@link #delay(Duration, Duration, int)} spread by ±20 %, so that work that failed together
     * (deliveries to one receiver) does not retry together.
     */
    public static Duration jittered(Duration initial, Duration max, int failures) {
        long capped = delay(initial, max, failures).toMillis();
        return Duration.ofMillis((long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }
}
