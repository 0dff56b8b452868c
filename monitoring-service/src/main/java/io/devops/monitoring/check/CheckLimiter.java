package io.devops.monitoring.check;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Bounds the checks in flight. A due check beyond the bound waits in arrival order and starts as
 * soon as another completes; its wait shows as lag behind schedule.
 */
final class CheckLimiter {
    private final int maxInFlight;
    private final Executor starter;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;

    /** {@code starter} runs the waiting checks, so a completion never starts the next one on its own stack. */
    CheckLimiter(int maxInFlight, Executor starter) {
        this.maxInFlight = maxInFlight;
        this.starter = starter;
    }

    void submit(Runnable check) {
        synchronized (this) {
            if (inFlight >= maxInFlight) {
                waiting.add(check);
                return;
            }
            inFlight++;
        }
        check.run();
    }

    void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inFlight--;
                return;
            }
        }
        starter.execute(next);
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return waiting.size();
    }
}
