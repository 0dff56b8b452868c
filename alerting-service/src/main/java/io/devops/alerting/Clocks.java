package io.devops.alerting;

import java.time.InstantSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/**
 * The service's one clock: every "now" of alerting (alert changes, flushes, escalations, silences,
 * delivery timers) is read from the {@link InstantSource} produced here, through
 * {@code Timestamps.now(clock)}, so a test can put a clock of its own in its place instead of
 * waiting on the real one.
 */
@ApplicationScoped
public class Clocks {

    @Produces
    @ApplicationScoped
    InstantSource clock() {
        return InstantSource.system();
    }
}
