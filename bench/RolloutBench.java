import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * One run of the rollout benchmark against a deployer-service started by bench/rollout.sh. This JVM
 * is the cluster (fabric8's Kubernetes mock API server in CRUD mode, with a Deployment controller
 * played here: every new spec is reported rolled out at once), the registry (service snapshots on
 * registry.services), the monitoring service (health transitions on monitoring.health) and the
 * client of the deployer's REST API. Every time is taken with this JVM's clock; the cluster's
 * changes are seen through a watch on the mock server.
 *
 * 1. Gate reaction: W warm-up and N measured services each run 1.0.0 and a canary of 1.1.0 at 25 %
 *    waiting for a promotion (status paused). Then, one service at a time, an unhealthy transition
 *    is published at t0; measured: t0 to the canary Deployment deleted (the rollback applied), and
 *    t0 to the stable Deployment scaled back to all replicas (the rollback's last change).
 *    Floor, interleaved sample by sample: an unhealthy transition for a service nobody deploys,
 *    received by a plain KafkaConsumer of this JVM (assigned every partition, at the end), which
 *    then deletes one Deployment: t0 to that deletion seen, the same way.
 * 2. Concurrent rollouts: C services running 1.0.0; baseline first, what a script with kubectl would
 *    do: set the image of C plain Deployments (a namespace of their own) and wait for each to roll
 *    out, 8 at a time. Then C POST /deployments at once (rolling, blue-green and canary in turn), each
 *    timed from its POST to its end state (succeeded, failed or rolled_back) on deployer.deployments.
 *
 * Cleanup: the services recover (a healthy transition), the rolled-back ones are deployed once more
 * (so the platform's DeploymentRolledBack alerts resolve), and every bench service is deregistered
 * (a tombstone on registry.services).
 *
 * Usage: DEPLOYER_TOKEN=... java -cp <deployer-service test classpath> bench/RolloutBench.java
 *        <deployer url> <kafka bootstrap> <mock API server port> <gate services> <concurrent rollouts> <label>
 * Prints progress, then RESULT lines of key=value pairs for bench/rollout.sh.
 */
public class RolloutBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NAMESPACE = "production";
    static final String FLOOR_NAMESPACE = "bench-floor";
    static final String KUBECTL_NAMESPACE = "bench-kubectl";
    static final int REPLICAS = 4;
    static final int WARMUP = 5;
    static final int KUBECTL_PARALLELISM = 8;
    static final Duration WAIT = Duration.ofSeconds(180);
    static final Set<String> END = Set.of("succeeded", "failed", "rolled_back");

    /** The mock server logs every request it answers; only its warnings are kept. */
    static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

    public static void main(String[] args) throws Exception {
        MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
        String deployer = args[0];
        String bootstrap = args[1];
        int mockPort = Integer.parseInt(args[2]);
        int gates = Integer.parseInt(args[3]);
        int concurrent = Integer.parseInt(args[4]);
        String label = args[5];
        int code = 0;
        try (Bench bench = new Bench(deployer, System.getenv("DEPLOYER_TOKEN"), bootstrap, mockPort, label)) {
            bench.run(gates, concurrent);
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        }
        System.out.flush();
        System.exit(code);
    }

    static void log(String format, Object... args) {
        System.out.println("  " + java.time.LocalTime.now().withNano(0) + " " + String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    /** The nearest-rank percentile of {@code values}, which it sorts. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static String f(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    /** One registered service of the bench. */
    record Service(String id, String name, String app) {
    }

    static final class Bench implements AutoCloseable {
        final String label;
        final MockCluster cluster;
        final Api api;
        final Topics topics;
        final HttpServer target;
        final List<Service> registered = new ArrayList<>();
        final List<String> recovered = new ArrayList<>();
        final List<Service> rolledBack = new ArrayList<>();
        final Map<Service, OffsetDateTime> checkedAt = new ConcurrentHashMap<>();

        Bench(String deployer, String token, String bootstrap, int mockPort, String label) throws IOException {
            this.label = label;
            this.cluster = new MockCluster(mockPort);
            log("mock Kubernetes API server on http://127.0.0.1:%d (CRUD mode, Deployment controller in this JVM)", mockPort);
            this.topics = new Topics(bootstrap, cluster);
            this.api = new Api(deployer, token);
            // The services' URLs answer 200, so that a running monitoring-service checking them finds them healthy
            // and fails no gate of its own.
            this.target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            target.createContext("/", exchange -> {
                byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            target.start();
        }

        void run(int gates, int concurrent) throws Exception {
            api.awaitReady(Duration.ofSeconds(300));
            log("deployer ready at %s", api.base);
            try {
                List<Service> warmup = register("w", WARMUP);
                List<Service> gated = register("g", gates);
                List<Service> fleet = register("c", concurrent);
                List<Service> all = new ArrayList<>(warmup);
                all.addAll(gated);
                all.addAll(fleet);
                api.awaitKnown(all, WAIT);
                log("the deployer knows the %d services", all.size());

                deployAll(all, service -> rolling(service, "1.0.0"), Set.of("succeeded"), "1.0.0 (rolling)");
                List<Service> canaries = new ArrayList<>(warmup);
                canaries.addAll(gated);
                Map<Service, String> paused = deployAll(canaries, service -> canary(service, "1.1.0",
                        List.of(Map.of("weight", 25))), Set.of("paused"), "canary 1.1.0 at 25 %, waiting for a promotion");

                gateReaction(warmup, gated, paused);
                concurrentRollouts(fleet);
            } finally {
                cleanup();
            }
        }

        List<Service> register(String kind, int count) {
            List<Service> services = new ArrayList<>();
            String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
            for (int i = 1; i <= count; i++) {
                String name = String.format(Locale.ROOT, "bench-%s-%s%03d", label, kind, i);
                Service service = new Service(UUID.randomUUID().toString(), name, name.toLowerCase(Locale.ROOT));
                Map<String, Object> snapshot = new LinkedHashMap<>();
                snapshot.put("id", service.id());
                snapshot.put("name", name);
                snapshot.put("url", "http://127.0.0.1:" + target.getAddress().getPort() + "/" + name);
                snapshot.put("environment", NAMESPACE);
                snapshot.put("version", "1.0.0");
                snapshot.put("status", "unknown");
                snapshot.put("tags", List.of("bench"));
                snapshot.put("metadata", Map.of());
                snapshot.put("created_at", now);
                snapshot.put("updated_at", now);
                snapshot.put("revision", 1);
                topics.publish("registry.services", service.id(), "io.devops.registry.service.registered", write(snapshot));
                services.add(service);
                registered.add(service);
            }
            topics.producer.flush();
            return services;
        }

        interface Body {
            Map<String, Object> of(Service service);
        }

        /** POSTs one deployment per service, all at once, and waits for each to reach one of {@code statuses}. */
        Map<Service, String> deployAll(List<Service> services, Body body, Set<String> statuses, String what) throws Exception {
            long start = System.nanoTime();
            Map<Service, CompletableFuture<String>> posted = new LinkedHashMap<>();
            for (Service service : services) {
                posted.put(service, api.deploy(body.of(service)));
            }
            Map<Service, String> ids = new LinkedHashMap<>();
            for (var entry : posted.entrySet()) {
                ids.put(entry.getKey(), entry.getValue().get(60, TimeUnit.SECONDS));
            }
            Map<String, Integer> reached = new TreeMap<>();
            for (var entry : ids.entrySet()) {
                String status = topics.awaitStatus(entry.getValue(), union(statuses, END), WAIT).status();
                reached.merge(status, 1, Integer::sum);
            }
            log("%d x %s: %s in %.1f s", services.size(), what, reached, ms(System.nanoTime() - start) / 1000);
            if (reached.size() != 1 || !statuses.contains(reached.keySet().iterator().next())) {
                throw new IllegalStateException("not every deployment of " + what + " reached " + statuses + ": " + reached);
            }
            return ids;
        }

        void gateReaction(List<Service> warmup, List<Service> gated, Map<Service, String> deployments) throws Exception {
            // Warm-up, not reported: the deployer's health consumer may still be joining its group (it starts at the
            // end of the topic), so a warm-up transition is published again until its rollback shows.
            for (Service service : warmup) {
                for (int attempt = 1;; attempt++) {
                    try {
                        long[] sample = gateSample(service, deployments.get(service), Duration.ofSeconds(10));
                        log("warm-up %s: canary deleted after %s ms (attempt %d)", service.name(), f(ms(sample[0])), attempt);
                        break;
                    } catch (TimeoutException e) {
                        if (attempt == 6) {
                            throw new IllegalStateException("the deployer did not roll back " + service.name()
                                    + " after 6 unhealthy transitions: is its monitoring.health consumer up?");
                        }
                    }
                }
                floorSample(Duration.ofSeconds(10));
            }
            String before = api.metrics();
            List<Double> deleted = new ArrayList<>();
            List<Double> restored = new ArrayList<>();
            List<Double> floor = new ArrayList<>();
            int missed = 0;
            for (Service service : gated) {
                try {
                    long[] sample = gateSample(service, deployments.get(service), Duration.ofSeconds(30));
                    deleted.add(ms(sample[0]));
                    restored.add(ms(sample[1]));
                } catch (TimeoutException e) {
                    missed++;
                    log("no rollback of %s within 30 s", service.name());
                }
                floor.add(ms(floorSample(Duration.ofSeconds(30))));
            }
            Map<String, Integer> ends = new TreeMap<>();
            for (Service service : gated) {
                ends.merge(topics.awaitStatus(deployments.get(service), END, WAIT).status(), 1, Integer::sum);
            }
            // Where the time went: the deployer's decision to fail (its "failed" step, on this machine's clock) after the
            // transition's checked_at.
            List<Double> decided = new ArrayList<>();
            for (Service service : gated) {
                for (JsonNode step : api.get("/deployments/" + deployments.get(service)).path("history")) {
                    if (step.path("action").asText().equals("failed")) {
                        decided.add(Duration.between(checkedAt.get(service), OffsetDateTime.parse(step.path("at").asText())).toNanos()
                                / 1_000_000.0);
                    }
                }
            }
            String after = api.metrics();
            double count = Metrics.value(after, "deployer_gate_reaction_seconds_count", null)
                    - Metrics.value(before, "deployer_gate_reaction_seconds_count", null);
            double sum = Metrics.value(after, "deployer_gate_reaction_seconds_sum", null)
                    - Metrics.value(before, "deployer_gate_reaction_seconds_sum", null);
            double metricP50 = Metrics.value(after, "deployer_gate_reaction_seconds", "0.5") * 1000;
            double metricP99 = Metrics.value(after, "deployer_gate_reaction_seconds", "0.99") * 1000;
            double metricMax = Metrics.value(after, "deployer_gate_reaction_seconds_max", null) * 1000;
            log("gate reaction, %d services one at a time: canary deleted p50 %s ms, p99 %s ms, max %s ms; stable restored p50 %s,"
                    + " p99 %s, max %s ms; missed %d; end states %s", gated.size(), f(percentile(deleted, 50)),
                    f(percentile(deleted, 99)), f(percentile(deleted, 100)), f(percentile(restored, 50)), f(percentile(restored, 99)),
                    f(percentile(restored, 100)), missed, ends);
            log("of which to the deployer's decision (its failed step): p50 %s ms, p99 %s ms, max %s ms", f(percentile(decided, 50)),
                    f(percentile(decided, 99)), f(percentile(decided, 100)));
            log("floor (KafkaConsumer + one DELETE), %d samples: p50 %s ms, p99 %s ms, max %s ms", floor.size(),
                    f(percentile(floor, 50)), f(percentile(floor, 99)), f(percentile(floor, 100)));
            log("deployer_gate_reaction_seconds: %d measured, mean %s ms; over the last 2 min p50 %s ms, p99 %s ms, max %s ms",
                    (long) count, f(count == 0 ? Double.NaN : sum / count * 1000), f(metricP50), f(metricP99), f(metricMax));
            System.out.printf(Locale.ROOT, "RESULT phase=gate samples=%d missed=%d rolled_back=%d deleted_p50=%s deleted_p99=%s"
                    + " deleted_max=%s decided_p50=%s decided_p99=%s restored_p50=%s restored_p99=%s restored_max=%s"
                    + " floor_p50=%s floor_p99=%s floor_max=%s metric_count=%d metric_mean=%s metric_p50=%s metric_p99=%s"
                    + " metric_max=%s over_250ms=%d%n", gated.size(), missed, ends.getOrDefault("rolled_back", 0),
                    f(percentile(deleted, 50)),
                    f(percentile(deleted, 99)), f(percentile(deleted, 100)), f(percentile(decided, 50)), f(percentile(decided, 99)),
                    f(percentile(restored, 50)), f(percentile(restored, 99)), f(percentile(restored, 100)), f(percentile(floor, 50)),
                    f(percentile(floor, 99)), f(percentile(floor, 100)), (long) count, f(count == 0 ? Double.NaN : sum / count * 1000),
                    f(metricP50), f(metricP99), f(metricMax), deleted.stream().filter(time -> time > 250).count());
            rolledBack.addAll(warmup);
            rolledBack.addAll(gated);
        }

        /**
         * Fails {@code service}'s gate; returns the nanoseconds to its canary deleted and to its stable restored. Returns
         * once the deployer has also saved and announced the rollback, so that samples do not overlap.
         */
        long[] gateSample(Service service, String deployment, Duration timeout) throws Exception {
            CompletableFuture<Long> deleted = cluster.when(NAMESPACE, service.app() + "-canary",
                    (action, d) -> action == Watcher.Action.DELETED);
            CompletableFuture<Long> restored = cluster.when(NAMESPACE, service.app() + "-blue",
                    (action, d) -> action == Watcher.Action.MODIFIED && Integer.valueOf(REPLICAS).equals(d.getSpec().getReplicas()));
            long t0 = System.nanoTime();
            checkedAt.put(service, topics.publishHealth(service.id(), service.name(), "unhealthy"));
            recovered.add(service.id() + " " + service.name());
            try {
                long atDeleted = deleted.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                long atRestored = restored.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                topics.awaitStatus(deployment, Set.of("rolling_back", "rolled_back", "failed"), timeout);
                return new long[] { atDeleted - t0, atRestored - t0 };
            } finally {
                cluster.forget(deleted);
                cluster.forget(restored);
            }
        }

        /** The floor: an unhealthy transition to a plain consumer, which deletes one Deployment; nanoseconds to that deletion seen. */
        long floorSample(Duration timeout) throws Exception {
            String id = UUID.randomUUID().toString();
            String name = "bench-" + label + "-floor-" + id.substring(0, 8);
            cluster.client.apps().deployments().inNamespace(FLOOR_NAMESPACE).resource(plainDeployment(FLOOR_NAMESPACE, name, "1.0.0"))
                    .create();
            CompletableFuture<Long> deleted = cluster.when(FLOOR_NAMESPACE, name, (action, d) -> action == Watcher.Action.DELETED);
            topics.floor.put(id, name);
            long t0 = System.nanoTime();
            topics.publishHealth(id, name, "unhealthy");
            recovered.add(id + " " + name);
            try {
                return deleted.get(timeout.toMillis(), TimeUnit.MILLISECONDS) - t0;
            } finally {
                cluster.forget(deleted);
            }
        }

        void concurrentRollouts(List<Service> fleet) throws Exception {
            // Baseline: the same version change as a script would make it with kubectl, on Deployments of its own.
            for (Service service : fleet) {
                cluster.client.apps().deployments().inNamespace(KUBECTL_NAMESPACE)
                        .resource(plainDeployment(KUBECTL_NAMESPACE, service.app(), "1.0.0")).create();
            }
            for (Service service : fleet) {
                cluster.awaitRolledOut(KUBECTL_NAMESPACE, service.app(), WAIT);
            }
            ExecutorService kubectl = Executors.newFixedThreadPool(KUBECTL_PARALLELISM, daemon("kubectl"));
            // Warm-up, not reported: the same edits on the same Deployments to an interim version, so that this JVM's
            // side of the baseline is compiled as the deployer's side is by the phases before.
            for (Future<Long> warm : setImages(kubectl, fleet, "1.0.1")) {
                warm.get();
            }
            long baselineStart = System.nanoTime();
            List<Future<Long>> edits = setImages(kubectl, fleet, "1.1.0");
            List<Double> baseline = new ArrayList<>();
            for (Future<Long> edit : edits) {
                baseline.add(ms(edit.get()));
            }
            double baselineWall = ms(System.nanoTime() - baselineStart) / 1000;
            kubectl.shutdown();
            log("baseline, kubectl-style (set image, rollout status), %d Deployments, %d at a time: %.2f s; per rollout p50 %s ms,"
                    + " p99 %s ms", fleet.size(), KUBECTL_PARALLELISM, baselineWall, f(percentile(baseline, 50)),
                    f(percentile(baseline, 99)));
            rolloutsByDeployer(fleet, baselineWall, baseline);
        }

        /** What {@code kubectl set image} then {@code kubectl rollout status} do, for each service, on the pool. */
        List<Future<Long>> setImages(ExecutorService kubectl, List<Service> fleet, String version) {
            List<Future<Long>> edits = new ArrayList<>();
            for (Service service : fleet) {
                edits.add(kubectl.submit(() -> {
                    long start = System.nanoTime();
                    String image = "registry.local/" + service.app() + ":" + version;
                    CompletableFuture<Long> rolledOut = cluster.when(KUBECTL_NAMESPACE, service.app(),
                            (action, d) -> action != Watcher.Action.DELETED && image.equals(image(d)) && MockCluster.settled(d));
                    // kubectl set image: read the Deployment, patch its container's image.
                    cluster.client.apps().deployments().inNamespace(KUBECTL_NAMESPACE).withName(service.app()).edit(d -> {
                        d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
                        return d;
                    });
                    // kubectl rollout status: wait until the controller reports every replica updated and available.
                    try {
                        return rolledOut.get(WAIT.toMillis(), TimeUnit.MILLISECONDS) - start;
                    } finally {
                        cluster.forget(rolledOut);
                    }
                }));
            }
            return edits;
        }

        /** The deployer: every rollout requested at once. */
        void rolloutsByDeployer(List<Service> fleet, double baselineWall, List<Double> baseline) throws Exception {
            Map<String, Long> postedAt = new ConcurrentHashMap<>();
            List<CompletableFuture<String>> requests = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < fleet.size(); i++) {
                Service service = fleet.get(i);
                Map<String, Object> body = switch (i % 3) {
                    case 0 -> rolling(service, "1.1.0");
                    case 1 -> {
                        Map<String, Object> blueGreen = rolling(service, "1.1.0");
                        blueGreen.put("strategy", "blue_green");
                        blueGreen.put("retention", "1m");
                        yield blueGreen;
                    }
                    default -> canary(service, "1.1.0", List.of(Map.of("weight", 25, "pause", "200ms"),
                            Map.of("weight", 50, "pause", "200ms")));
                };
                long sent = System.nanoTime();
                requests.add(api.deploy(body).thenApply(id -> {
                    postedAt.put(id, sent);
                    return id;
                }));
            }
            List<String> ids = new ArrayList<>();
            for (CompletableFuture<String> request : requests) {
                ids.add(request.get(60, TimeUnit.SECONDS));
            }
            double postsDone = ms(System.nanoTime() - start) / 1000;
            List<Double> perRollout = new ArrayList<>();
            Map<String, List<Double>> perStrategy = new TreeMap<>();
            long last = start;
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                try {
                    Topics.Seen end = topics.awaitStatus(id, END, WAIT);
                    perRollout.add(ms(end.at() - postedAt.get(id)));
                    perStrategy.computeIfAbsent(List.of("rolling", "blue_green", "canary").get(i % 3), k -> new ArrayList<>())
                            .add(ms(end.at() - postedAt.get(id)));
                    last = Math.max(last, end.at());
                } catch (TimeoutException e) {
                    log("deployment %s reached no end state within %s", id, WAIT);
                }
            }
            double wall = ms(last - start) / 1000;
            // The end states as the API reports them.
            Map<String, Integer> statuses = new TreeMap<>();
            Map<String, Integer> byStrategy = new TreeMap<>();
            for (String id : ids) {
                JsonNode view = api.get("/deployments/" + id);
                statuses.merge(view.path("status").asText(), 1, Integer::sum);
                byStrategy.merge(view.path("strategy").asText() + ":" + view.path("status").asText(), 1, Integer::sum);
            }
            StringBuilder strategies = new StringBuilder();
            perStrategy.forEach((strategy, times) -> strategies.append(", ").append(strategy).append(" p50 ")
                    .append(f(percentile(times, 50))).append(" ms, max ").append(f(percentile(times, 100))).append(" ms"));
            log("deployer, %d rollouts requested at once (accepted in %.2f s): all ended in %.2f s; per rollout p50 %s ms,"
                    + " p99 %s ms%s; %s", fleet.size(), postsDone, wall, f(percentile(perRollout, 50)), f(percentile(perRollout, 99)),
                    strategies, byStrategy);
            System.out.printf(Locale.ROOT, "RESULT phase=rollouts rollouts=%d succeeded=%d ended=%d wall_s=%.2f p50_ms=%s p99_ms=%s"
                    + " baseline_wall_s=%.2f baseline_p50_ms=%s baseline_p99_ms=%s%n", fleet.size(),
                    statuses.getOrDefault("succeeded", 0), perRollout.size(), wall, f(percentile(perRollout, 50)),
                    f(percentile(perRollout, 99)), baselineWall, f(percentile(baseline, 50)), f(percentile(baseline, 99)));
        }

        void cleanup() {
            try {
                for (String entry : recovered) {
                    String[] idAndName = entry.split(" ", 2);
                    topics.publishHealth(idAndName[0], idAndName[1], "healthy");
                }
                topics.producer.flush();
                if (!rolledBack.isEmpty()) {
                    deployAll(rolledBack, service -> rolling(service, "1.0.1"), Set.of("succeeded"),
                            "1.0.1 (rolling, so that their DeploymentRolledBack alerts resolve)");
                }
            } catch (Exception e) {
                log("cleanup: %s", e);
            }
            for (Service service : registered) {
                topics.publish("registry.services", service.id(), "io.devops.registry.service.deregistered", null);
            }
            topics.producer.flush();
            log("cleanup: %d transitions recovered, %d services deregistered", recovered.size(), registered.size());
        }

        @Override
        public void close() {
            target.stop(0);
            topics.close();
            cluster.close();
        }
    }

    static Map<String, Object> rolling(Service service, String version) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service.name());
        body.put("version", version);
        body.put("strategy", "rolling");
        body.put("replicas", REPLICAS);
        body.put("analysis", "0s");
        return body;
    }

    static Map<String, Object> canary(Service service, String version, List<Map<String, Object>> steps) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service.name());
        body.put("version", version);
        body.put("strategy", "canary");
        body.put("replicas", REPLICAS);
        body.put("canary", Map.of("steps", steps));
        return body;
    }

    static Deployment plainDeployment(String namespace, String name, String version) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName(name).addToLabels("app", name).endMetadata()
                .withNewSpec().withReplicas(REPLICAS).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec().addNewContainer()
                .withName("app").withImage("registry.local/" + name + ":" + version).endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    static String image(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * fabric8's mock API server in CRUD mode, and the Deployment controller it lacks: a worker sets the status of
     * every Deployment whose spec changed as the real controller does once all replicas are updated and available.
     * A watch on every Deployment feeds the controller and times the changes the bench waits for.
     */
    static final class MockCluster implements AutoCloseable {
        final KubernetesMockServer server;
        final KubernetesClient client;
        final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final Set<String> queued = ConcurrentHashMap.newKeySet();
        final ExecutorService workers = Executors.newFixedThreadPool(2, daemon("deployment-controller"));
        final ScheduledExecutorService resync = Executors.newSingleThreadScheduledExecutor(daemon("controller-resync"));
        volatile Watch watch;
        volatile boolean closing;

        record Waiter(BiPredicate<Watcher.Action, Deployment> match, CompletableFuture<Long> at) {
        }

        MockCluster(int port) {
            server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(),
                    false);
            server.init(InetAddress.getLoopbackAddress(), port);
            client = server.createClient();
            watch();
            for (int i = 0; i < 2; i++) {
                workers.execute(this::work);
            }
            // A safety net, as an informer's resync: a status write lost to a conflict is retried anyway.
            resync.scheduleWithFixedDelay(this::resyncAll, 1, 1, TimeUnit.SECONDS);
        }

        private void watch() {
            watch = client.apps().deployments().inAnyNamespace().watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Deployment deployment) {
                    observed(action, deployment, System.nanoTime());
                }

                @Override
                public void onClose(WatcherException cause) {
                    if (!closing) {
                        log("the watch closed (%s); watching again", cause.getMessage());
                        watch();
                        resyncAll();
                    }
                }
            });
        }

        static String key(String namespace, String name) {
            return namespace + "/" + name;
        }

        private void observed(Watcher.Action action, Deployment deployment, long at) {
            String key = key(deployment.getMetadata().getNamespace(), deployment.getMetadata().getName());
            List<Waiter> list = waiters.get(key);
            if (list != null) {
                for (Waiter waiter : list) {
                    if (waiter.match().test(action, deployment) && waiter.at().complete(at)) {
                        list.remove(waiter);
                    }
                }
            }
            if (action != Watcher.Action.DELETED) {
                offer(deployment);
            }
        }

        /** The time of the first watch event after this call that matches. */
        CompletableFuture<Long> when(String namespace, String name, BiPredicate<Watcher.Action, Deployment> match) {
            Waiter waiter = new Waiter(match, new CompletableFuture<>());
            waiters.computeIfAbsent(key(namespace, name), k -> new CopyOnWriteArrayList<>()).add(waiter);
            return waiter.at();
        }

        void forget(CompletableFuture<Long> at) {
            waiters.values().forEach(list -> list.removeIf(waiter -> waiter.at() == at));
        }

        void awaitRolledOut(String namespace, String name, Duration timeout) throws Exception {
            CompletableFuture<Long> done = when(namespace, name, (action, d) -> settled(d));
            Deployment now = client.apps().deployments().inNamespace(namespace).withName(name).get();
            if (now == null || !settled(now)) {
                done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            forget(done);
        }

        /** What the real controller reports once a Deployment's current spec is rolled out. */
        static boolean settled(Deployment d) {
            DeploymentStatus status = d.getStatus();
            long generation = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
            int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            return status != null && status.getObservedGeneration() != null && status.getObservedGeneration() >= generation
                    && status.getReplicas() != null && status.getReplicas() == replicas && status.getUpdatedReplicas() != null
                    && status.getUpdatedReplicas() == replicas && status.getAvailableReplicas() != null
                    && status.getAvailableReplicas() == replicas;
        }

        private void offer(Deployment deployment) {
            String key = key(deployment.getMetadata().getNamespace(), deployment.getMetadata().getName());
            if (!settled(deployment) && queued.add(key)) {
                queue.add(key);
            }
        }

        private void resyncAll() {
            try {
                client.apps().deployments().inAnyNamespace().list().getItems().forEach(this::offer);
            } catch (RuntimeException e) {
                // The next resync tries again.
            }
        }

        private void work() {
            while (!closing) {
                String key;
                try {
                    key = queue.take();
                } catch (InterruptedException e) {
                    return;
                }
                queued.remove(key);
                try {
                    reconcile(key);
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        log("controller: %s: %s", key, e.getMessage());
                    }
                    // The deployer changed it meanwhile (or the write failed): read it again.
                    if (!closing && queued.add(key)) {
                        queue.add(key);
                    }
                } catch (RuntimeException e) {
                    log("controller: %s: %s", key, e);
                }
            }
        }

        private void reconcile(String key) {
            String[] namespaceAndName = key.split("/", 2);
            var resource = client.apps().deployments().inNamespace(namespaceAndName[0]).withName(namespaceAndName[1]);
            Deployment deployment = resource.get();
            if (deployment == null || settled(deployment)) {
                return;
            }
            long generation = deployment.getMetadata().getGeneration() == null ? 1 : deployment.getMetadata().getGeneration();
            int replicas = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
            deployment.setStatus(new DeploymentStatusBuilder().withObservedGeneration(generation).withReplicas(replicas)
                    .withUpdatedReplicas(replicas).withAvailableReplicas(replicas).withReadyReplicas(replicas)
                    .withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("True")
                            .withReason("NewReplicaSetAvailable").build())
                    .build());
            client.apps().deployments().inNamespace(namespaceAndName[0]).resource(deployment).updateStatus();
        }

        @Override
        public void close() {
            closing = true;
            if (watch != null) {
                watch.close();
            }
            workers.shutdownNow();
            resync.shutdownNow();
            client.close();
            server.destroy();
        }
    }

    /**
     * The bench's Kafka: a producer for the snapshots and transitions; the floor's plain consumer of
     * monitoring.health; and a reader of deployer.deployments that remembers when each deployment's
     * statuses first arrived.
     */
    static final class Topics implements AutoCloseable {
        record Seen(String status, long at) {
        }

        final KafkaProducer<String, String> producer;
        final Map<String, String> floor = new ConcurrentHashMap<>();
        final Map<String, Map<String, Long>> statuses = new HashMap<>();
        final MockCluster cluster;
        final Thread floorConsumer;
        final Thread eventReader;
        volatile boolean closing;

        Topics(String bootstrap, MockCluster cluster) {
            this.cluster = cluster;
            Properties producerConfig = new Properties();
            producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            producerConfig.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producerConfig.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(producerConfig);
            KafkaConsumer<String, String> health = atEnd(bootstrap, "monitoring.health");
            KafkaConsumer<String, String> deployments = atEnd(bootstrap, "deployer.deployments");
            floorConsumer = new Thread(() -> consume(health, this::floorRecord), "floor-consumer");
            eventReader = new Thread(() -> consume(deployments, this::deploymentEvent), "deployment-events");
            floorConsumer.setDaemon(true);
            eventReader.setDaemon(true);
            floorConsumer.start();
            eventReader.start();
        }

        private static KafkaConsumer<String, String> atEnd(String bootstrap, String topic) {
            Properties config = new Properties();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config);
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            return consumer;
        }

        private void consume(KafkaConsumer<String, String> consumer,
                java.util.function.BiConsumer<ConsumerRecord<String, String>, Long> handler) {
            try (consumer) {
                while (!closing) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        handler.accept(record, System.nanoTime());
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException e) {
                // closing
            }
        }

        /** The floor: the transition arrived; delete the one Deployment it stands for, as a deployer's least work. */
        private void floorRecord(ConsumerRecord<String, String> record, long at) {
            String name = record.key() == null ? null : floor.remove(record.key());
            if (name != null) {
                cluster.client.apps().deployments().inNamespace(FLOOR_NAMESPACE).withName(name).delete();
            }
        }

        private void deploymentEvent(ConsumerRecord<String, String> record, long at) {
            try {
                JsonNode event = JSON.readTree(record.value());
                String id = event.path("deployment_id").asText(null);
                String status = event.path("status").asText(null);
                if (id == null || status == null) {
                    return;
                }
                synchronized (statuses) {
                    statuses.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(status, at);
                    statuses.notifyAll();
                }
            } catch (IOException e) {
                // Not a deployment event this bench reads.
            }
        }

        /** The first of {@code wanted} statuses that deployment {@code id} announced, and when it arrived here. */
        Seen awaitStatus(String id, Set<String> wanted, Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (statuses) {
                while (true) {
                    Map<String, Long> seen = statuses.getOrDefault(id, Map.of());
                    Seen first = null;
                    for (var entry : seen.entrySet()) {
                        if (wanted.contains(entry.getKey()) && (first == null || entry.getValue() < first.at())) {
                            first = new Seen(entry.getKey(), entry.getValue());
                        }
                    }
                    if (first != null) {
                        return first;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException("deployment " + id + " announced none of " + wanted + " within " + timeout
                                + " (saw " + seen.keySet() + ")");
                    }
                    TimeUnit.NANOSECONDS.timedWait(statuses, left);
                }
            }
        }

        void publish(String topic, String key, String type, String json) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, json);
            header(record, "ce_specversion", "1.0");
            header(record, "ce_id", UUID.randomUUID().toString());
            header(record, "ce_type", type);
            header(record, "ce_source", "/bench");
            header(record, "ce_time", OffsetDateTime.now(ZoneOffset.UTC).toString());
            if (json != null) {
                header(record, "content-type", "application/json");
            }
            producer.send(record, (metadata, failure) -> {
                if (failure != null) {
                    log("could not publish to %s: %s", topic, failure);
                }
            });
        }

        /** A HealthTransition as monitoring-service publishes it, checked now. */
        OffsetDateTime publishHealth(String serviceId, String name, String status) {
            boolean unhealthy = status.equals("unhealthy");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("service_id", serviceId);
            body.put("service_name", name);
            body.put("previous_status", unhealthy ? "healthy" : "unhealthy");
            body.put("status", status);
            body.put("reason", unhealthy ? "http_status" : "recovered");
            body.put("message", unhealthy ? "HTTP 503" : "HTTP 200");
            body.put("status_code", unhealthy ? 503 : 200);
            body.put("response_time_ms", 3);
            OffsetDateTime checkedAt = OffsetDateTime.now(ZoneOffset.UTC);
            body.put("checked_at", checkedAt.toString());
            publish("monitoring.health", serviceId, "io.devops.monitoring.health.transition", write(body));
            return checkedAt;
        }

        private static void header(ProducerRecord<String, String> record, String name, String value) {
            record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() {
            closing = true;
            producer.close(Duration.ofSeconds(10));
            try {
                floorConsumer.join(2000);
                eventReader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The deployer's REST API, as an operator's client calls it. */
    static final class Api {
        final String base;
        final String token;
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();

        Api(String base, String token) {
            this.base = base;
            this.token = token;
        }

        void awaitReady(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the deployer at " + base + " was not ready within " + timeout);
                }
                Thread.sleep(500);
            }
        }

        /** Waits until a dry run of each service is accepted: the deployer has read it from registry.services. */
        void awaitKnown(List<Service> services, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Service> unknown = new ArrayList<>(services);
            while (!unknown.isEmpty()) {
                List<Service> still = new ArrayList<>();
                for (Service service : unknown) {
                    HttpResponse<String> dryRun = http.send(request("/deployments?dry_run=true")
                            .POST(HttpRequest.BodyPublishers.ofString(write(Map.of("service", service.name(), "version", "1.0.0"))))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    if (dryRun.statusCode() != 200) {
                        still.add(service);
                    }
                }
                unknown = still;
                if (!unknown.isEmpty()) {
                    if (System.nanoTime() > deadline) {
                        throw new TimeoutException(unknown.size() + " services still unknown to the deployer after " + timeout);
                    }
                    Thread.sleep(200);
                }
            }
        }

        CompletableFuture<String> deploy(Map<String, Object> body) {
            return http.sendAsync(request("/deployments").POST(HttpRequest.BodyPublishers.ofString(write(body))).build(),
                    HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
                        if (response.statusCode() != 201) {
                            throw new IllegalStateException("POST /deployments " + body + ": " + response.statusCode() + " "
                                    + response.body());
                        }
                        try {
                            return JSON.readTree(response.body()).path("id").asText();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    });
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> response = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        }

        String metrics() throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        }
    }

    /** Reads one sample of Prometheus text. */
    static final class Metrics {
        static double value(String text, String name, String quantile) {
            for (String line : text.split("\n")) {
                if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                    continue;
                }
                if (quantile != null && !line.contains("quantile=\"" + quantile + "\"")) {
                    continue;
                }
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
            return 0;
        }
    }
}
