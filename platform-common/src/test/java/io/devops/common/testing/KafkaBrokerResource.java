package io.devops.common.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A Quarkus test resource that points the application at a real Kafka broker: one
 * {@link LocalKafkaBroker} per test JVM, started on first use and shared by every test class
 * and test profile.
 *
 * <pre>
 * &#64;QuarkusTest
 * &#64;WithTestResource(KafkaBrokerResource.class)   // or &#64;QuarkusTestResource(KafkaBrokerResource.class)
 * class SomethingTest { ... }
 * </pre>
 *
 * <p>Quarkus starts test resources again for every test profile, and it loads them (and test
 * classes) in class loaders of its own, so a plain static field would start several brokers
 * and give tests a handle on the wrong one. The broker's identity is therefore kept where every
 * class loader sees the same value, a system property holding its work directory, and each
 * class loader {@linkplain LocalKafkaBroker#attach(Path) attaches} to it.
 *
 * <p>{@link #stop()} does nothing: the broker lives as long as the JVM, and the shutdown hook
 * of {@link LocalKafkaBroker} ends it.
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    /** The system property holding the shared broker's work directory. */
    static final String WORK_DIR_PROPERTY = "io.devops.common.testing.kafka.workdir";

    /**
     * The JVM-wide lock. String literals are interned JVM-wide, so this one object is the same
     * in every class loader that loads this class (a static Object would not be).
     */
    private static final String LOCK = "io.devops.common.testing.KafkaBrokerResource.lock";

    private static LocalKafkaBroker broker;

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", runningBroker().bootstrapServers());
    }

    @Override
    public void stop() {
        // the broker is shared by the whole JVM and stopped by its shutdown hook
    }

    /**
     * The JVM's shared broker, started if there is none yet. Tests may {@link LocalKafkaBroker#stop()
     * stop} it to see how the application copes, and must {@link LocalKafkaBroker#start() start}
     * it again when they are done (the next test resource start does so too). Do not
     * {@link LocalKafkaBroker#close() close} it.
     */
    public static LocalKafkaBroker broker() {
        synchronized (LOCK) {
            if (broker != null && Files.isDirectory(broker.workDir())) {
                return broker;
            }
            String shared = System.getProperty(WORK_DIR_PROPERTY);
            if (shared != null && Files.isDirectory(Path.of(shared))) {
                broker = LocalKafkaBroker.attach(Path.of(shared));
                return broker;
            }
            LocalKafkaBroker created = new LocalKafkaBroker();
            try {
                created.start();
            } catch (RuntimeException e) {
                created.close();
                throw e;
            }
            System.setProperty(WORK_DIR_PROPERTY, created.workDir().toString());
            broker = created;
            return broker;
        }
    }

    /** The shared broker, running (started again if a test left it stopped). */
    private static LocalKafkaBroker runningBroker() {
        synchronized (LOCK) {
            return broker().start();
        }
    }
}
