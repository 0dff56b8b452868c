package io.devops.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

/**
 * One service run as it runs in production: its packaged application in a JVM of its own, with
 * settings as system properties. Its output goes to {@code target/system-tests/<name>.log}.
 */
final class ServiceProcess implements AutoCloseable {
    /** Generous: on a busy two-core machine, services starting side by side take a minute each. */
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** A cold service's first requests can take seconds on a busy machine. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts the packaged application of {@code module} and waits until it is ready. */
    static ServiceProcess start(String module, String name, Map<String, String> settings) {
        return start(module, name, settings, Map.of());
    }

    /** As {@link #start(String, String, Map)}, with {@code environment} added to the process's environment variables. */
    static ServiceProcess start(String module, String name, Map<String, String> settings, Map<String, String> environment) {
        Path root = Path.of(System.getProperty("platform.root", ".."));
        Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package " + module + " first");
        }
        int port = freePort();
        Map<String, String> properties = new LinkedHashMap<>(settings);
        properties.put("quarkus.http.port", Integer.toString(port));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        try {
            Path logDir = Path.of("target", "system-tests");
            Files.createDirectories(logDir);
            Path log = logDir.resolve(name + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServiceProcess service = new ServiceProcess(name, port, log, process);
            service.awaitReady();
            return service;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + name, e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Sends a GET to {@code path} and returns the status and body. */
    HttpResponse<String> get(String path, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(REQUEST_TIMEOUT);
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request.build(), "GET " + path);
    }

    /** Sends a POST of {@code json} (none when null) to {@code path} and returns the status and body. */
    HttpResponse<String> post(String path, String bearerToken, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + bearerToken)
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request.build(), "POST " + path);
    }

    /** A gauge or counter from the service's Prometheus metrics, summed over its series. */
    double metric(String prometheusName) {
        double sum = 0;
        boolean found = false;
        for (String line : get("/q/metrics", null).body().split("\n")) {
            if (line.startsWith(prometheusName + " ") || line.startsWith(prometheusName + "{")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError(name + " has no metric " + prometheusName);
        }
        return sum;
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(what + " on " + name + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills the process at once (SIGKILL), as a crashed node or an OOM kill would. */
    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** Stops the process gracefully (SIGTERM). */
    @Override
    public void close() {
        process.destroy();
        if (!waitFor()) {
            kill();
        }
    }

    private boolean waitFor() {
        try {
            return process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitReady() {
        try {
            await().atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
                }
                return answersReady();
            });
        } catch (ConditionTimeoutException e) {
            close();
            throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT + ":\n" + tail(), e);
        }
    }

    private boolean answersReady() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() {
        try (InputStream in = Files.newInputStream(log)) {
            String text = new String(in.readAllBytes());
            return text.length() > 6000 ? text.substring(text.length() - 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
