package io.devops.alerting.notify;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Runs a task every interval on a Vert.x timer, and at once when woken, never two runs at once (a
 * wake during a run makes one more run after it). The Quarkus scheduler ticks once a second at best,
 * too coarse for a notification path that must answer within a fraction of one.
 */
public final class Periodic {
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private final Vertx vertx;
    private final Duration interval;
    private final Supplier<Uni<Void>> task;
    private final Logger log;
    private final String name;
    private long timer = -1;

    public Periodic(Vertx vertx, Duration interval, String name, Logger log, Supplier<Uni<Void>> task) {
        this.vertx = vertx;
        this.interval = interval;
        this.task = task;
        this.log = log;
        this.name = name;
    }

    public void start() {
        timer = vertx.setPeriodic(interval.toMillis(), ignored -> {
            if (!running.get()) {
                run();
            }
        });
    }

    public void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Runs the task now; if it is running already, runs it again as soon as that run ends. */
    public void run() {
        wanted.set(true);
        if (!running.compareAndSet(false, true)) {
            return;
        }
        wanted.set(false);
        Uni.createFrom().deferred(task::get).subscribe().with(ignored -> ended(), failure -> {
            log.warnf("%s failed (tried again in %s ms): %s", name, interval.toMillis(), failure.toString());
            ended();
        });
    }

    private void ended() {
        running.set(false);
        if (wanted.get()) {
            run();
        }
    }
}
