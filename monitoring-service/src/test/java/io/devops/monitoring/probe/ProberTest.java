package io.devops.monitoring.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthCheckSpec.BodyCondition;
import io.devops.common.events.HealthCheckSpec.BodyCondition.Operator;
import io.devops.common.events.HealthStatus;
import io.devops.monitoring.MonitoringSettings;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.PfxOptions;

/** The prober against real servers this test starts: HTTP, HTTPS with a certificate about to expire, and TCP. */
class ProberTest {
    private static Vertx vertx;
    private static HttpServer http;
    private static HttpServer https;
    private static NetServer tcp;
    private static Prober prober;
    private static Prober permissive;

    @TempDir
    static Path keys;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        http = vertx.createHttpServer().requestHandler(request -> {
            switch (request.path()) {
                case "/ok/health" -> request.response().end("{\"status\":\"UP\",\"checks\":[{\"name\":\"db\",\"state\":\"UP\"}],\"tags\":[\"a\",\"b\"]}");
                case "/broken/health" -> request.response().setStatusCode(500).end("{\"status\":\"DOWN\"}");
                case "/teapot/health" -> request.response().setStatusCode(418).end();
                case "/slow/health" -> vertx.setTimer(700, id -> request.response().end("{}"));
                case "/hang/health" -> { }
                case "/text/health" -> request.response().end("all good");
                case "/huge/health" -> request.response().end("{\"status\":\"" + "x".repeat(200_000) + "\"}");
                case "/moved/health" -> request.response().setStatusCode(302).putHeader("Location", "/ok/health").end();
                case "/loop/health" -> request.response().setStatusCode(307).putHeader("Location", "/loop/health").end();
                case "/metadata/health" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://169.254.169.254/latest/meta-data").end();
                case "/same-origin/health" -> request.response().setStatusCode(302).putHeader("Location", "/headers/health").end();
                case "/other-origin/health" -> request.response().setStatusCode(302)
                        .putHeader("Location", "http://localhost:" + request.localAddress().port() + "/headers/health").end();
                case "/headers/health" -> request.response()
                        .setStatusCode("secret".equals(request.getHeader("X-Token")) ? 204 : 401).end();
                default -> request.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        Path keystore = keys.resolve("expiring.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "target", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit").inheritIO().start();
        assertThat(keytool.waitFor()).isZero();
        https = vertx.createHttpServer(new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(keystore.toString()).setPassword("changeit")))
                .requestHandler(request -> request.response().end("{\"status\":\"UP\"}"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        tcp = vertx.createNetServer().connectHandler(socket -> socket.close()).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
        prober = new Prober(vertx, settings(false), 16);
        permissive = new Prober(vertx, settings(true), 16);
    }

    @AfterAll
    static void stop() {
        prober.close();
        permissive.close();
        vertx.close();
    }

    @Test
    void aHealthyTargetIsHealthyWithItsStatusAndTime() {
        ProbeResult result = check(prober, "ok", spec());
        assertThat(result.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(result.reason()).isEqualTo(CheckReason.OK);
        assertThat(result.statusCode()).isEqualTo(200);
        assertThat(result.message()).isNull();
        assertThat(result.responseTimeMs()).isLessThan(1_000);
        assertThat(result.checkedAt()).isBefore(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(1));
    }

    @Test
    void statusCodesAreCheckedAgainstWhatIsExpected() {
        ProbeResult broken = check(prober, "broken", spec());
        assertThat(broken.reason()).isEqualTo(CheckReason.UNEXPECTED_STATUS);
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.message()).isEqualTo("status 500, expected 2xx");
        assertThat(check(prober, "teapot", spec().withExpected(List.of(418))).status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(check(prober, "ok", spec().withExpected(List.of(204))).reason()).isEqualTo(CheckReason.UNEXPECTED_STATUS);
    }

    @Test
    void headersAreSent() {
        assertThat(check(prober, "headers", spec()).statusCode()).isEqualTo(401);
        assertThat(check(prober, "headers", spec().withHeaders(Map.of("X-Token", "secret"))).statusCode()).isEqualTo(204);
    }

    @Test
    void headersFollowARedirectOnlyWithinTheOrigin() {
        Map<String, String> token = Map.of("X-Token", "secret");
        assertThat(check(prober, "same-origin", spec().withHeaders(token)).statusCode()).isEqualTo(204);
        assertThat(check(prober, "other-origin", spec().withHeaders(token)).statusCode())
                .as("credentials never go to another host").isEqualTo(401);
    }

    @Test
    void aSlowTargetIsDegradedAndAHangingOneTimesOutOnTime() {
        ProbeResult slow = check(prober, "slow", spec().withDegradedAfter(200));
        assertThat(slow.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(slow.reason()).isEqualTo(CheckReason.SLOW_RESPONSE);
        assertThat(slow.responseTimeMs()).isGreaterThanOrEqualTo(700);

        long start = System.nanoTime();
        ProbeResult hanging = check(prober, "hang", spec().withTimeout(1));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(hanging.reason()).isEqualTo(CheckReason.TIMEOUT);
        assertThat(hanging.message()).isEqualTo("no response within 1 s");
        assertThat(elapsed).isBetween(900L, 2_000L);
    }

    @Test
    void refusedConnectionsAndUnknownNamesSayWhy() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ProbeResult refused = result(probe(prober, "http://127.0.0.1:" + closed, spec()));
        assertThat(refused.reason()).isEqualTo(CheckReason.CONNECTION_REFUSED);
        assertThat(refused.message()).contains("127.0.0.1:" + closed);
        ProbeResult unknown = result(probe(prober, "http://nonexistent.invalid:8080", spec()));
        assertThat(unknown.reason()).isEqualTo(CheckReason.DNS_FAILURE);
        assertThat(result(probe(prober, "ftp://example.org", spec())).reason()).isEqualTo(CheckReason.INVALID_TARGET);
    }

    @Test
    void bodyConditionsReadJsonFields() {
        assertThat(check(prober, "ok", spec().withCondition("status", Operator.EQUALS, "UP")).status())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(check(prober, "ok", spec().withCondition("checks[0].state", Operator.EQUALS, "UP")).status())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(check(prober, "ok", spec().withCondition("tags", Operator.CONTAINS, "b")).status())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(check(prober, "ok", spec().withCondition("checks", Operator.EXISTS, null)).status())
                .isEqualTo(HealthStatus.HEALTHY);
        ProbeResult down = check(prober, "ok", spec().withCondition("status", Operator.NOT_EQUALS, "UP"));
        assertThat(down.reason()).isEqualTo(CheckReason.CONDITION_FAILED);
        ProbeResult missing = check(prober, "ok", spec().withCondition("version", Operator.EXISTS, null));
        assertThat(missing.message()).isEqualTo("version is absent");
        ProbeResult notJson = check(prober, "text", spec().withCondition("status", Operator.EQUALS, "UP"));
        assertThat(notJson.reason()).isEqualTo(CheckReason.CONDITION_FAILED);
        assertThat(notJson.message()).contains("not JSON");
    }

    @Test
    void bodiesAreReadOnlyUpToTheCap() {
        ProbeResult huge = check(prober, "huge", spec().withCondition("status", Operator.EXISTS, null));
        assertThat(huge.reason()).isEqualTo(CheckReason.CONDITION_FAILED);
        assertThat(huge.message()).isEqualTo("body larger than 65536 bytes");
        assertThat(check(prober, "huge", spec()).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void redirectsAreFollowedAFewTimesAndNeverToMetadata() {
        ProbeResult moved = check(prober, "moved", spec());
        assertThat(moved.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(moved.statusCode()).isEqualTo(200);
        ProbeResult loop = check(prober, "loop", spec());
        assertThat(loop.reason()).isEqualTo(CheckReason.TOO_MANY_REDIRECTS);
        assertThat(loop.message()).startsWith("more than 3 redirects");
        ProbeResult metadata = check(prober, "metadata", spec());
        assertThat(metadata.reason()).isEqualTo(CheckReason.ADDRESS_BLOCKED);
        assertThat(metadata.message()).contains("169.254.169.254");
        ProbeResult direct = result(probe(prober, "http://169.254.169.254", spec()));
        assertThat(direct.reason()).isEqualTo(CheckReason.ADDRESS_BLOCKED);
        assertThat(direct.responseTimeMs()).isLessThan(500);
        ProbeResult ipv6 = result(probe(prober, "http://[fd00:ec2::254]", spec()));
        assertThat(ipv6.reason()).isEqualTo(CheckReason.ADDRESS_BLOCKED);
    }

    @Test
    void configurationCanAllowTheBlockedNetworks() {
        // Allowed, the address is tried; nothing answers there on this machine, so the check fails another way.
        ProbeResult allowed = result(probe(permissive, "http://169.254.169.254", spec()));
        assertThat(allowed.reason()).isNotEqualTo(CheckReason.ADDRESS_BLOCKED);
    }

    @Test
    void aCertificateAboutToExpireIsDegradedAndAnUntrustedOneATlsError() {
        String url = "https://localhost:" + https.actualPort();
        ProbeResult trusting = result(probe(prober, url, spec().withTlsVerify(false)));
        assertThat(trusting.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(trusting.reason()).isEqualTo(CheckReason.CERTIFICATE_EXPIRING);
        assertThat(trusting.tlsExpiresAt()).isBetween(OffsetDateTime.now(ZoneOffset.UTC).plusDays(2),
                OffsetDateTime.now(ZoneOffset.UTC).plusDays(3).plusMinutes(5));
        assertThat(trusting.message()).startsWith("certificate expires in 2 days");
        ProbeResult lenient = result(probe(prober, url, spec().withTlsVerify(false).withTlsExpiryDays(1)));
        assertThat(lenient.status()).isEqualTo(HealthStatus.HEALTHY);

        ProbeResult verifying = result(probe(prober, url, spec()));
        assertThat(verifying.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(verifying.reason()).isEqualTo(CheckReason.TLS_ERROR);
    }

    @Test
    void tcpChecksConnect() throws Exception {
        Spec tcpSpec = spec().withType(HealthCheckSpec.CheckType.TCP);
        assertThat(result(probe(prober, "http://127.0.0.1:" + tcp.actualPort(), tcpSpec)).status())
                .isEqualTo(HealthStatus.HEALTHY);
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        assertThat(result(probe(prober, "http://127.0.0.1:" + closed, tcpSpec)).reason())
                .isEqualTo(CheckReason.CONNECTION_REFUSED);
    }

    @Test
    void checksRunConcurrentlyWithoutAThreadEach() throws Exception {
        Prober wide = new Prober(vertx, settings(false), 300);
        try {
            int threadsBefore = Thread.activeCount();
            List<CompletableFuture<ProbeResult>> all = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 300; i++) {
                all.add(probe(wide, "http://127.0.0.1:" + http.actualPort() + "/slow", spec().withTimeout(5)).toCompletableFuture());
            }
            int threadsDuring = Thread.activeCount();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(all).allSatisfy(f -> assertThat(f.join().status()).isEqualTo(HealthStatus.HEALTHY));
            // 300 checks of 700 ms at once: together in about 700 ms, not 300 * 700 ms, and on the event loop's threads
            assertThat(elapsed).isLessThan(4_000);
            assertThat(threadsDuring - threadsBefore).isLessThan(20);
        } finally {
            wide.close();
        }
    }

    private static ProbeResult check(Prober prober, String service, Spec spec) {
        return result(probe(prober, "http://127.0.0.1:" + http.actualPort() + "/" + service, spec));
    }

    private static CompletionStage<ProbeResult> probe(Prober prober, String url, Spec spec) {
        return prober.check(url, spec.toHealthCheck());
    }

    private static ProbeResult result(CompletionStage<ProbeResult> stage) {
        try {
            return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A timeout well clear of every answer, so a busy machine never turns a check into a timeout; the timeout test sets 1 s. */
    private static Spec spec() {
        return new Spec(HealthCheckSpec.CheckType.HTTP, Map.of(), List.of(), 5, null, null, 14, true);
    }

    /** A health-check spec with a 1 s timeout, built up for each case. */
    private record Spec(HealthCheckSpec.CheckType type, Map<String, String> headers, List<Integer> expected, int timeout,
            Integer degradedAfter, BodyCondition condition, int tlsExpiryDays, boolean tlsVerify) {
        Spec withExpected(List<Integer> codes) {
            return new Spec(type, headers, codes, timeout, degradedAfter, condition, tlsExpiryDays, tlsVerify);
        }

        Spec withHeaders(Map<String, String> values) {
            return new Spec(type, values, expected, timeout, degradedAfter, condition, tlsExpiryDays, tlsVerify);
        }

        Spec withDegradedAfter(int ms) {
            return new Spec(type, headers, expected, timeout, ms, condition, tlsExpiryDays, tlsVerify);
        }

        Spec withCondition(String path, Operator operator, String value) {
            return new Spec(type, headers, expected, timeout, degradedAfter, new BodyCondition(path, operator, value),
                    tlsExpiryDays, tlsVerify);
        }

        Spec withTlsVerify(boolean verify) {
            return new Spec(type, headers, expected, timeout, degradedAfter, condition, tlsExpiryDays, verify);
        }

        Spec withTlsExpiryDays(int days) {
            return new Spec(type, headers, expected, timeout, degradedAfter, condition, days, tlsVerify);
        }

        Spec withType(HealthCheckSpec.CheckType kind) {
            return new Spec(kind, headers, expected, timeout, degradedAfter, condition, tlsExpiryDays, tlsVerify);
        }

        HealthCheckSpec toHealthCheck() {
            return new HealthCheckSpec(type, "GET", "/health", headers, expected, Math.max(5, timeout), timeout, 3, 2,
                    degradedAfter, condition, tlsExpiryDays, tlsVerify);
        }

        Spec withTimeout(int seconds) {
            return new Spec(type, headers, expected, seconds, degradedAfter, condition, tlsExpiryDays, tlsVerify);
        }
    }

    private static MonitoringSettings.Probe settings(boolean allowBlocked) {
        return new MonitoringSettings.Probe() {
            @Override
            public int maxRedirects() {
                return 3;
            }

            @Override
            public MemorySize maxBodySize() {
                return new MemorySize(java.math.BigInteger.valueOf(65_536));
            }

            @Override
            public List<String> blockedNetworks() {
                return List.of("169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128");
            }

            @Override
            public boolean allowBlockedNetworks() {
                return allowBlocked;
            }

            @Override
            public Duration dnsCacheTtl() {
                return Duration.ofSeconds(30);
            }
        };
    }
}
