package io.devops.common.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server for health checks to hit: each service has a base URL
 * ({@code http://127.0.0.1:port/svc/<name>}), answers as its {@link Behavior} says, and the server
 * records when each service was hit.
 */
public final class TargetServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "target-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Behavior> behaviors = new ConcurrentHashMap<>();
    private final Map<String, List<Long>> hits = new ConcurrentHashMap<>();
    private final Map<String, String> lastPaths = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    /** How a service answers; a flapping one alternates between failing (first) and healthy. */
    public record Behavior(int status, String body, Duration delay, boolean hangs, boolean flaps) {
        public Behavior(int status, String body, Duration delay, boolean hangs) {
            this(status, body, delay, hangs, false);
        }

        public static Behavior flapping() {
            return new Behavior(500, "{\"status\":\"DOWN\"}", Duration.ZERO, false, true);
        }

        public static Behavior healthy() {
            return new Behavior(200, "{\"status\":\"UP\"}", Duration.ZERO, false);
        }

        public static Behavior status(int status) {
            return new Behavior(status, "{\"status\":\"DOWN\"}", Duration.ZERO, false);
        }

        public static Behavior json(int status, String body) {
            return new Behavior(status, body, Duration.ZERO, false);
        }

        public static Behavior slow(Duration delay) {
            return new Behavior(200, "{\"status\":\"UP\"}", delay, false);
        }

        /** Accepts the request and never answers. */
        public static Behavior hang() {
            return new Behavior(200, "", Duration.ZERO, true);
        }
    }

    private TargetServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(threads);
        server.createContext("/svc/", this::handle);
        server.start();
    }

    public static TargetServer start() {
        try {
            return new TargetServer();
        } catch (IOException e) {
            throw new IllegalStateException("could not start the target server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL of service {@code name}; it answers healthy until told otherwise. */
    public String url(String name) {
        return "http://127.0.0.1:" + port() + "/svc/" + name;
    }

    public void respond(String name, Behavior behavior) {
        behaviors.put(name, behavior);
    }

    /** How many times service {@code name} was hit. */
    public int hits(String name) {
        List<Long> times = hits.get(name);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            return times.size();
        }
    }

    /** When service {@code name} was hit (epoch milliseconds), in order. */
    public List<Long> hitTimes(String name) {
        List<Long> times = hits.get(name);
        if (times == null) {
            return List.of();
        }
        synchronized (times) {
            return new ArrayList<>(times);
        }
    }

    /** The last path service {@code name} was hit on, below its base URL. */
    public String lastPath(String name) {
        return lastPaths.get(name);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/svc/".length());
        int slash = path.indexOf('/');
        String name = slash < 0 ? path : path.substring(0, slash);
        lastPaths.put(name, slash < 0 ? "" : path.substring(slash));
        List<Long> times = hits.computeIfAbsent(name, n -> new ArrayList<>());
        int hit;
        synchronized (times) {
            times.add(System.currentTimeMillis());
            hit = times.size();
        }
        Behavior behavior = behaviors.getOrDefault(name, Behavior.healthy());
        if (behavior.flaps() && hit % 2 == 0) {
            behavior = Behavior.healthy();
        }
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            if (behavior.hangs()) {
                closed.await();
                return;
            }
            if (!behavior.delay().isZero()) {
                closed.await(behavior.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
            byte[] body = behavior.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(behavior.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
