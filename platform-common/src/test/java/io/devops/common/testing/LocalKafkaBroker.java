package io.devops.common.testing;

import io.devops.common.events.Topic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.TopicExistsException;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one process) running as a child
 * process of the test JVM, for tests that need Kafka without containers.
 *
 * <p>The broker runs from the jars that {@code ./platform} downloads into
 * {@code .platform/kafka/libs} (Surefire passes the path as the system property
 * {@value #LIBS_PROPERTY}). It runs in its own JVM because the broker's version of
 * kafka-clients differs from the one on the test class path; from this side only the
 * AdminClient is used.
 *
 * <p>Lifecycle: {@link #start()} picks nothing new after the first time. A {@link #stop()}
 * followed by {@link #start()} brings the broker back on the same ports with the same data,
 * so that clients reconnect by themselves and records survive, which lets a test simulate
 * Kafka going away. {@link #close()} stops it and deletes its directory.
 *
 * <p>Everything a broker is made of lives in its work directory (configuration, ports, pid,
 * data, log), so {@link #attach(Path)} gives a working handle on a broker started by another
 * class loader: Quarkus loads test resources and test classes in class loaders of their own.
 *
 * <p>The broker never outlives the test JVM: a shutdown hook stops it, and if the JVM dies
 * without running hooks, the broker's own watchdog ({@link KafkaBrokerMain}) stops it.
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The system property naming the directory of the broker's jars. */
    public static final String LIBS_PROPERTY = "platform.kafka.libs";

    private static final String WORK_DIR_PREFIX = "devops-kafka-";
    private static final String STATE_FILE = "local-broker.properties";
    private static final String PID_FILE = "broker.pid";
    private static final String OWNER_PID_FILE = "owner.pid";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path libs;
    private final Path workDir;
    private final int brokerPort;
    private final int controllerPort;
    private final String clusterId;
    private Thread shutdownHook;

    /**
     * Prepares a broker in a new temporary directory, on two free ports. Nothing runs until
     * {@link #start()}.
     */
    public LocalKafkaBroker() {
        this.libs = locateLibs();
        removeAbandonedWorkDirs();
        try {
            this.workDir = Files.createTempDirectory(WORK_DIR_PREFIX);
            Files.writeString(workDir.resolve(OWNER_PID_FILE), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for the Kafka broker", e);
        }
        int[] ports = freePorts(2);
        this.brokerPort = ports[0];
        this.controllerPort = ports[1];
        this.clusterId = newClusterId();

        Properties state = new Properties();
        state.setProperty("libs", libs.toString());
        state.setProperty("broker.port", Integer.toString(brokerPort));
        state.setProperty("controller.port", Integer.toString(controllerPort));
        state.setProperty("cluster.id", clusterId);
        writeProperties(workDir.resolve(STATE_FILE), state, "LocalKafkaBroker state");
        writeProperties(serverProperties(), brokerConfig(), "Kafka broker for tests (KRaft combined mode)");
        writeLog4jConfig();

        this.shutdownHook = new Thread(this::closeQuietly, "local-kafka-broker-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    private LocalKafkaBroker(Path workDir) {
        Properties state = readProperties(workDir.resolve(STATE_FILE));
        this.workDir = workDir;
        this.libs = Path.of(state.getProperty("libs"));
        this.brokerPort = Integer.parseInt(state.getProperty("broker.port"));
        this.controllerPort = Integer.parseInt(state.getProperty("controller.port"));
        this.clusterId = state.getProperty("cluster.id");
        this.shutdownHook = null; // the creator's hook covers the broker
    }

    /**
     * A handle on a broker that another {@code LocalKafkaBroker} created in {@code workDir},
     * possibly in another class loader. Starting and stopping through it act on the same broker.
     */
    public static LocalKafkaBroker attach(Path workDir) {
        if (!Files.isRegularFile(workDir.resolve(STATE_FILE))) {
            throw new IllegalArgumentException("no LocalKafkaBroker in " + workDir);
        }
        return new LocalKafkaBroker(workDir);
    }

    /** {@code host:port} for {@code bootstrap.servers}; the same for the broker's whole life. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The directory holding the broker's configuration, data and log. */
    public Path workDir() {
        return workDir;
    }

    /** The broker's combined stdout and stderr. */
    public Path logFile() {
        return workDir.resolve("broker.log");
    }

    /** Whether the broker process is alive (it may still be starting). */
    public synchronized boolean isRunning() {
        return process().isPresent();
    }

    /**
     * Starts the broker, formatting its storage the first time, waits until it answers, and
     * makes sure every topic of {@link Topic} and its dead-letter topic exists. Does nothing
     * if it is already running.
     */
    public synchronized LocalKafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        if (!Files.isDirectory(workDir)) {
            throw new IllegalStateException("the broker in " + workDir + " was closed");
        }
        formatStorageOnce();
        launch();
        // Until the port opens, an AdminClient would only log a reconnect every 100 ms.
        awaitPort();
        try (Admin admin = Admin.create(adminConfig())) {
            awaitReady(admin);
            createTopics(admin);
        }
        return this;
    }

    /** Stops the broker gracefully (SIGTERM; SIGKILL after 30 s) and waits until it is gone. */
    public synchronized void stop() {
        terminate(false);
    }

    /** Kills the broker at once (SIGKILL), as a crash would. {@link #start()} brings it back. */
    public synchronized void kill() {
        terminate(true);
    }

    /** Stops the broker and deletes its directory; the broker cannot be started again. */
    @Override
    public synchronized void close() {
        terminate(false);
        deleteRecursively(workDir);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to: nothing left to do
            }
            shutdownHook = null;
        }
    }

    @Override
    public String toString() {
        return "LocalKafkaBroker[" + bootstrapServers() + ", " + workDir + "]";
    }

    // ---------------------------------------------------------------------------------------
    // configuration

    private Path serverProperties() {
        return workDir.resolve("server.properties");
    }

    private Path dataDir() {
        return workDir.resolve("data");
    }

    private Map<String, String> brokerConfigMap() {
        String broker = "127.0.0.1:" + brokerPort;
        String controller = "127.0.0.1:" + controllerPort;
        Map<String, String> c = new LinkedHashMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", "1");
        c.put("controller.quorum.bootstrap.servers", controller);
        c.put("listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        c.put("advertised.listeners", "PLAINTEXT://" + broker + ",CONTROLLER://" + controller);
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        c.put("log.dirs", dataDir().toString());
        c.put("offsets.topic.replication.factor", "1");
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("min.insync.replicas", "1");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("auto.create.topics.enable", "false");
        c.put("num.partitions", "1");
        // Smaller than the defaults: the machine running tests is small, and creating the
        // internal topics' 50 partitions each slows down the first consumer group.
        c.put("offsets.topic.num.partitions", "5");
        c.put("transaction.state.log.num.partitions", "5");
        c.put("share.coordinator.state.topic.num.partitions", "5");
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "4");
        c.put("background.threads", "4");
        return c;
    }

    private Properties brokerConfig() {
        Properties p = new Properties();
        brokerConfigMap().forEach(p::setProperty);
        return p;
    }

    private void writeLog4jConfig() {
        String config = String.join("\n",
                "# Logging of the test broker: everything to stdout, which goes to broker.log.",
                "status = warn",
                "appender.console.type = Console",
                "appender.console.name = STDOUT",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d] %p %m (%c)%n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.stdout.ref = STDOUT",
                "logger.request.name = kafka.request.logger",
                "logger.request.level = WARN",
                "logger.statechange.name = state.change.logger",
                "logger.statechange.level = WARN",
                "");
        try {
            Files.writeString(workDir.resolve("log4j2.properties"), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> adminConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        c.put(AdminClientConfig.CLIENT_ID_CONFIG, "local-kafka-broker-admin");
        c.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        c.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        c.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return c;
    }

    // ---------------------------------------------------------------------------------------
    // processes

    private void formatStorageOnce() {
        if (Files.exists(dataDir().resolve("meta.properties"))) {
            return; // formatted before: formatting again would refuse, or lose the data
        }
        List<String> command = javaCommand("-Xmx256m");
        command.add("-cp");
        command.add(libs.resolve("*").toString());
        command.add("kafka.tools.StorageTool");
        command.addAll(List.of("format", "-t", clusterId, "-c", serverProperties().toString(), "--standalone"));
        Process format = startProcess(command);
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS)) {
                format.destroyForcibly();
                throw failure("formatting the Kafka storage did not finish within 60 s", null);
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw failure("interrupted while formatting the Kafka storage", e);
        }
        if (format.exitValue() != 0) {
            throw failure("formatting the Kafka storage failed (exit " + format.exitValue() + ")", null);
        }
    }

    private void launch() {
        List<String> command = javaCommand("-Xms128m", "-Xmx384m");
        command.add("-D" + KafkaBrokerMain.PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        command.add("-cp");
        Optional<Path> watchdog = copyWatchdogClass();
        if (watchdog.isPresent()) {
            command.add(watchdog.get() + java.io.File.pathSeparator + libs.resolve("*"));
            command.add(KafkaBrokerMain.class.getName());
        } else {
            command.add(libs.resolve("*").toString());
            command.add("kafka.Kafka");
        }
        command.add(serverProperties().toString());
        Process process = startProcess(command);
        try {
            Files.writeString(workDir.resolve(PID_FILE), Long.toString(process.pid()));
        } catch (IOException e) {
            process.destroyForcibly();
            throw new UncheckedIOException(e);
        }
    }

    private List<String> javaCommand(String... jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-Djava.awt.headless=true");
        command.add("-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties"));
        return command;
    }

    private Process startProcess(List<String> command) {
        try {
            appendToLog("\n==> " + String.join(" ", command) + "\n");
            return new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw failure("cannot start " + command.get(0), e);
        }
    }

    /**
     * Copies {@link KafkaBrokerMain}'s class file into the work directory, to put it on the
     * broker's class path alone (the test class path would bring the wrong kafka-clients).
     */
    private Optional<Path> copyWatchdogClass() {
        String name = KafkaBrokerMain.class.getSimpleName() + ".class";
        Path classes = workDir.resolve("classes");
        Path target = classes.resolve(KafkaBrokerMain.class.getPackageName().replace('.', '/')).resolve(name);
        try (InputStream in = KafkaBrokerMain.class.getResourceAsStream(name)) {
            if (in == null) {
                return Optional.empty(); // unusual class loader: run without the watchdog
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return Optional.of(classes);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<ProcessHandle> process() {
        Path pidFile = workDir.resolve(PID_FILE);
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                // a reused pid belongs to some other program: its command line lacks our config
                .filter(p -> p.info().arguments()
                        .map(args -> List.of(args).contains(serverProperties().toString()))
                        .orElse(true));
    }

    private void terminate(boolean forcibly) {
        Optional<ProcessHandle> process = process();
        if (process.isPresent()) {
            ProcessHandle p = process.get();
            if (forcibly) {
                p.destroyForcibly();
            } else {
                p.destroy();
            }
            if (!awaitExit(p, STOP_TIMEOUT)) {
                p.destroyForcibly();
                awaitExit(p, Duration.ofSeconds(10));
            }
        }
        try {
            Files.deleteIfExists(workDir.resolve(PID_FILE));
        } catch (IOException e) {
            // the next start() checks the pid anyway
        }
    }

    private static boolean awaitExit(ProcessHandle p, Duration timeout) {
        try {
            p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !p.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("Could not stop the Kafka broker in " + workDir + ": " + e);
        }
    }

    // ---------------------------------------------------------------------------------------
    // readiness and topics

    private void awaitPort() {
        awaitStartUp("listen on " + bootstrapServers(), READY_TIMEOUT, Duration.ofMillis(200), () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), brokerPort), 1_000);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    private void awaitReady(Admin admin) {
        awaitStartUp("answer", READY_TIMEOUT, Duration.ofMillis(250),
                () -> !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty());
    }

    /**
     * Polls {@code condition} until it holds; a condition that throws counts as not yet. Fails at
     * once, with the broker's log, if the broker process exits meanwhile.
     */
    private void awaitStartUp(String what, Duration timeout, Duration poll, Callable<Boolean> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(poll).pollInSameThread().until(() -> {
                if (process().isEmpty()) {
                    throw failure("the Kafka broker exited during start-up", null);
                }
                try {
                    return condition.call();
                } catch (ExecutionException | TimeoutException notYet) {
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw failure("the Kafka broker did not " + what + " within " + timeout.toSeconds() + " s", e);
        }
    }

    /** The topics of the platform: every {@link Topic} and its dead-letter topic. */
    static List<NewTopic> platformTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            topics.add(new NewTopic(topic.topicName(), topic.partitions(), (short) 1)
                    .configs(Map.of("cleanup.policy", topic.compacted() ? "compact" : "delete")));
            topics.add(new NewTopic(topic.deadLetterTopic(), 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete")));
        }
        return topics;
    }

    private void createTopics(Admin admin) {
        List<NewTopic> topics = platformTopics();
        try {
            for (Map.Entry<String, KafkaFuture<Void>> created : admin.createTopics(topics).values().entrySet()) {
                try {
                    created.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw failure("cannot create topic " + created.getKey(), e.getCause());
                    }
                }
            }
            awaitLeaders(admin, topics.stream().map(NewTopic::name).collect(Collectors.toList()));
        } catch (TimeoutException e) {
            throw failure("creating the topics timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted while creating the topics", e);
        }
    }

    /** Waits until every partition has a leader, so that the first client does not race it. */
    private void awaitLeaders(Admin admin, List<String> names) {
        awaitStartUp("give every partition a leader", Duration.ofSeconds(30), Duration.ofMillis(100), () ->
                admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                        .flatMap(d -> d.partitions().stream())
                        .map(TopicPartitionInfo::leader)
                        .allMatch(leader -> leader != null && !leader.isEmpty()));
    }

    // ---------------------------------------------------------------------------------------
    // helpers

    private IllegalStateException failure(String message, Throwable cause) {
        return new IllegalStateException(message + " (broker log: " + logFile() + ")\n" + logTail(40), cause);
    }

    private String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return "--- last lines of " + logFile() + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no broker log)";
        }
    }

    private void appendToLog(String text) throws IOException {
        Files.writeString(logFile(), text, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }

    private static Path locateLibs() {
        String configured = System.getProperty(LIBS_PROPERTY);
        Path libs = null;
        if (configured != null && !configured.isBlank()) {
            libs = Path.of(configured);
        } else {
            // Not run by Maven (an IDE, say): look for the repository's .platform directory.
            for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve(".platform/kafka/libs"))) {
                    libs = dir.resolve(".platform/kafka/libs");
                    break;
                }
            }
        }
        if (libs == null || !containsBrokerJar(libs)) {
            throw new IllegalStateException("The Kafka broker jars are missing"
                    + (libs == null ? "" : " from " + libs)
                    + ": run ./platform test (it downloads them into .platform/kafka/libs), "
                    + "or set -D" + LIBS_PROPERTY + "=<directory of the broker's jars>.");
        }
        return libs.toAbsolutePath();
    }

    private static boolean containsBrokerJar(Path libs) {
        if (!Files.isDirectory(libs)) {
            return false;
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(libs, "kafka_2.13-*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Deletes the work directories of brokers whose test JVM is gone (killed before its
     * shutdown hook could clean up; the broker's watchdog has stopped the broker itself).
     */
    private static void removeAbandonedWorkDirs() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, WORK_DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                if (!pidAlive(dir.resolve(OWNER_PID_FILE)) && !pidAlive(dir.resolve(PID_FILE))
                        && Files.isRegularFile(dir.resolve(OWNER_PID_FILE))) {
                    deleteRecursively(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private static boolean pidAlive(Path pidFile) {
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                // keep them all open until every port is chosen, so that they differ
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }

    /** A cluster id as {@code kafka-storage random-uuid} makes: a URL-safe base64 UUID. */
    private static String newClusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = java.nio.ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits())
                    .array();
            String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) { // would read as an option on the command line
                return id;
            }
        }
    }

    private static void writeProperties(Path file, Properties properties, String comment) {
        try (var out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            properties.store(out, comment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties readProperties(Path file) {
        Properties properties = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // best effort: a file still held open is removed with its directory later
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
