package io.devops.common.testing;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Entry point of the broker process that {@link LocalKafkaBroker} launches: it starts a watchdog
 * and then runs {@code kafka.Kafka}.
 *
 * <p>The watchdog ends the broker when the JVM that launched it is gone. A test JVM's shutdown
 * hook stops its broker on a normal exit, but a test JVM that is killed (Surefire's fork
 * timeout, the OOM killer, {@code kill -9}) runs no hooks, and its broker would otherwise keep
 * running with its ports and memory until someone notices.
 *
 * <p>This class runs in the broker's JVM, whose class path is the broker's jars plus a
 * directory holding only this class file (copied there by {@link LocalKafkaBroker}). It must
 * therefore stay self-contained: no other classes of this project, no nested or anonymous
 * classes, and Kafka only through reflection (it is not on the test class path at compile
 * time in the broker's version).
 */
public final class KafkaBrokerMain {

    /** System property with the pid of the JVM to watch. */
    static final String PARENT_PID_PROPERTY = "platform.kafka.parent.pid";

    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Throwable {
        String parent = System.getProperty(PARENT_PID_PROPERTY);
        if (parent != null && !parent.isBlank()) {
            watch(Long.parseLong(parent.trim()));
        }
        try {
            Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void watch(long parentPid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty() || !parent.get().isAlive()) {
            System.err.println("KafkaBrokerMain: the launching process " + parentPid + " is gone, not starting");
            System.exit(3);
        }
        Thread watchdog = new Thread(() -> {
            parent.get().onExit().join();
            System.err.println("KafkaBrokerMain: the launching process " + parentPid + " exited, stopping the broker");
            // A clean shutdown normally takes a few seconds; never outlive the parent for long.
            CompletableFuture.delayedExecutor(20, TimeUnit.SECONDS).execute(() -> Runtime.getRuntime().halt(4));
            System.exit(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
