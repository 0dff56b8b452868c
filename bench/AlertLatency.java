import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Alert latency: from a service going unhealthy to the webhook that tells of it. Runs its own
 * webhook receiver and, per phase, raises alerts for fresh services at a steady rate and then in
 * bursts, timing each from its publication to its arrival; counts alerts lost (never arrived) and
 * doubled (arrived twice). A warm-up comes first, waited for and not reported: two rounds at the
 * steady rate and one burst.
 *   ours:         a HealthTransition on monitoring.health (Kafka) -> alerting-service -> webhook
 *   alertmanager: the same alert POSTed to Alertmanager's /api/v2/alerts (as Prometheus does, 64 per
 *                 request) -> Alertmanager -> webhook
 * Usage: java -cp '.platform/kafka/libs/*' bench/AlertLatency.java <ours|alertmanager> <kafka bootstrap|alertmanager url>
 *        <receiver port> <steady per second> <steady seconds> <burst size> <bursts>
 * Prints one line per phase: phase sent received lost doubled p50_ms p99_ms max_ms.
 */
public class AlertLatency {
    private static final Pattern SERVICE_ID = Pattern.compile("\"service_id\":\"([0-9a-f-]{36})\"");
    private static final Map<String, Long> PUBLISHED = new ConcurrentHashMap<>();
    private static final Map<String, List<Long>> RECEIVED = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String target = args[1];
        int port = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int burst = Integer.parseInt(args[5]);
        int bursts = Integer.parseInt(args[6]);
        HttpServer receiver = receiver(port);
        Sender sender = mode.equals("ours") ? new KafkaSender(target) : new AlertmanagerSender(target);
        try {
            // Warm-up, not reported: two steady rounds (the consumers have their partitions; a group
            // rebalances as its members join), then one burst (the JIT has compiled the burst path).
            for (int round = 0; round < 2; round++) {
                awaitArrival(steady(sender, rate, Math.max(2, 200 / rate)));
            }
            awaitArrival(burst(sender, burst));
            report("steady-" + rate + "/s", steady(sender, rate, seconds));
            for (int b = 0; b < bursts; b++) {
                report("burst-" + burst + "#" + (b + 1), burst(sender, burst));
            }
        } finally {
            sender.close();
            receiver.stop(0);
        }
        System.exit(0);
    }

    /** Raises alerts for fresh services at {@code rate} a second for {@code seconds}; returns their ids. */
    private static List<String> steady(Sender sender, int rate, int seconds) throws Exception {
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < rate * seconds; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            String id = UUID.randomUUID().toString();
            ids.add(id);
            sender.send(List.of(id));
        }
        return ids;
    }

    /** Raises alerts for {@code size} fresh services at once; returns their ids. */
    private static List<String> burst(Sender sender, int size) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        sender.send(ids);
        return ids;
    }

    /** Waits until all arrived, or 30 s pass with none arriving. */
    private static void awaitArrival(List<String> ids) throws InterruptedException {
        long quietSince = System.nanoTime();
        int seen = -1;
        while (System.nanoTime() - quietSince < 30_000_000_000L) {
            int arrived = (int) ids.stream().filter(RECEIVED::containsKey).count();
            if (arrived == ids.size()) {
                break;
            }
            if (arrived != seen) {
                seen = arrived;
                quietSince = System.nanoTime();
            }
            Thread.sleep(20);
        }
    }

    /** Waits for the phase's alerts, then prints its figures. */
    private static void report(String phase, List<String> ids) throws InterruptedException {
        awaitArrival(ids);
        // a second more, so that a late duplicate is counted
        Thread.sleep(1000);
        List<Long> latencies = new ArrayList<>();
        int lost = 0;
        int doubled = 0;
        for (String id : ids) {
            List<Long> arrivals = RECEIVED.get(id);
            if (arrivals == null) {
                lost++;
                continue;
            }
            if (arrivals.size() > 1) {
                doubled++;
            }
            latencies.add(arrivals.get(0) - PUBLISHED.get(id));
        }
        Collections.sort(latencies);
        System.out.printf("%s %d %d %d %d %.1f %.1f %.1f%n", phase, ids.size(), latencies.size(), lost, doubled,
                percentile(latencies, 0.50), percentile(latencies, 0.99), latencies.isEmpty() ? Double.NaN
                        : latencies.get(latencies.size() - 1) / 1e6);
    }

    private static double percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    private static HttpServer receiver(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/", exchange -> {
            long now = System.nanoTime();
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            // only firing notices: a resolution (ours or Alertmanager's) is not what is timed
            if (!body.contains("\"status\":\"resolved\"") || body.contains("\"firing\":[{")) {
                Set<String> ids = new HashSet<>();
                Matcher matcher = SERVICE_ID.matcher(body);
                while (matcher.find()) {
                    ids.add(matcher.group(1));
                }
                ids.forEach(id -> RECEIVED.computeIfAbsent(id, key -> Collections.synchronizedList(new ArrayList<>())).add(now));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    interface Sender extends AutoCloseable {
        void send(List<String> serviceIds) throws Exception;
    }

    /** As monitoring-service does: a HealthTransition CloudEvent keyed by the service id. */
    static final class KafkaSender implements Sender {
        private final KafkaProducer<String, byte[]> producer;
        private final List<String> raised = new ArrayList<>();

        KafkaSender(String bootstrap) {
            Properties config = new Properties();
            config.put("bootstrap.servers", bootstrap);
            config.put("acks", "all");
            config.put("linger.ms", "0");
            config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
            config.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
            producer = new KafkaProducer<>(config);
        }

        @Override
        public void send(List<String> serviceIds) {
            for (String id : serviceIds) {
                PUBLISHED.put(id, System.nanoTime());
                publish(id, "healthy", "unhealthy");
                raised.add(id);
            }
            producer.flush();
        }

        private void publish(String id, String from, String to) {
            String now = Instant.now().atOffset(ZoneOffset.UTC).toString();
            String body = "{\"service_id\":\"" + id + "\",\"service_name\":\"bench-" + id.substring(0, 8)
                    + "\",\"previous_status\":\"" + from + "\",\"status\":\"" + to + "\",\"reason\":\"connection_refused\","
                    + "\"message\":\"connection refused\",\"status_code\":null,\"response_time_ms\":3,\"checked_at\":\"" + now + "\"}";
            ProducerRecord<String, byte[]> record = new ProducerRecord<>("monitoring.health", id, body.getBytes(StandardCharsets.UTF_8));
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", UUID.randomUUID().toString());
            header(record, "ce_type", "io.devops.monitoring.health.transition");
            header(record, "ce_source", "/bench");
            header(record, "ce_time", now);
            header(record, "content-type", "application/json");
            producer.send(record);
        }

        private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }

        /** The bench's services recover, so the run leaves no alert open behind it. */
        @Override
        public void close() {
            raised.forEach(id -> publish(id, "unhealthy", "healthy"));
            producer.close();
        }
    }

    /** As Prometheus does: the alerts POSTed to Alertmanager's API v2, up to 64 a request. */
    static final class AlertmanagerSender implements Sender {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI alerts;
        private final AtomicInteger failures = new AtomicInteger();

        AlertmanagerSender(String url) {
            alerts = URI.create(url + "/api/v2/alerts");
        }

        @Override
        public void send(List<String> serviceIds) throws Exception {
            for (int from = 0; from < serviceIds.size(); from += 64) {
                List<String> chunk = serviceIds.subList(from, Math.min(serviceIds.size(), from + 64));
                String starts = Instant.now().atOffset(ZoneOffset.UTC).toString();
                String ends = Instant.now().plusSeconds(3600).atOffset(ZoneOffset.UTC).toString();
                StringBuilder body = new StringBuilder("[");
                for (String id : chunk) {
                    if (body.length() > 1) {
                        body.append(',');
                    }
                    body.append("{\"labels\":{\"alertname\":\"ServiceUnhealthy\",\"service_id\":\"").append(id)
                            .append("\",\"service\":\"bench-").append(id, 0, 8).append("\",\"severity\":\"critical\"},")
                            .append("\"annotations\":{\"summary\":\"health check failed: connection refused\"},")
                            .append("\"startsAt\":\"").append(starts).append("\",\"endsAt\":\"").append(ends).append("\"}");
                }
                body.append(']');
                long now = System.nanoTime();
                chunk.forEach(id -> PUBLISHED.put(id, now));
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(alerts).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    failures.incrementAndGet();
                    System.err.println("Alertmanager answered " + response.statusCode() + ": " + response.body());
                }
            }
        }

        @Override
        public void close() {
            if (failures.get() > 0) {
                System.err.println(failures.get() + " requests to Alertmanager failed");
            }
        }
    }
}
