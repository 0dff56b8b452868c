package io.devops.monitoring.probe;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.net.AddressGuard;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;

/**
 * Runs one check of a service: HTTP(S) or a TCP connect, non-blocking on Vert.x, with a hard
 * deadline, redirects followed by hand (each hop through the address guard), the body read only
 * up to a cap, and the certificate's expiry read from the TLS session. Every outcome, failures
 * included, is a {@link ProbeResult}; the returned stage never fails.
 */
@ApplicationScoped
public class Prober {
    private static final String USER_AGENT = "devops-monitoring/0.1";
    private static final long DAY_MS = TimeUnit.DAYS.toMillis(1);

    private final Vertx vertx;
    private final MonitoringSettings.Probe settings;
    private final AddressGuard guard;
    private final HttpClient verifying;
    private final HttpClient trusting;
    private final NetClient tcp;
    private final BodyConditions conditions = new BodyConditions();

    @Inject
    Prober(Vertx vertx, MonitoringSettings settings) {
        this(vertx, settings.probe(), settings.checks().connectionsPerHost());
    }

    public Prober(Vertx vertx, MonitoringSettings.Probe settings, int connectionsPerHost) {
        this.vertx = vertx;
        this.settings = settings;
        this.guard = new AddressGuard(vertx, settings.blockedNetworks(), settings.allowBlockedNetworks(),
                settings.dnsCacheTtl());
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(connectionsPerHost).setMaxWaitQueueSize(-1);
        this.verifying = vertx.createHttpClient(clientOptions().setVerifyHost(true), pool);
        this.trusting = vertx.createHttpClient(clientOptions().setTrustAll(true).setVerifyHost(false), pool);
        this.tcp = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) TimeUnit.MINUTES.toMillis(2)));
    }

    private static HttpClientOptions clientOptions() {
        // SNI carries the service's host name even though we connect to the address the guard resolved.
        return new HttpClientOptions().setKeepAlive(true).setForceSni(true).setConnectTimeout((int) TimeUnit.MINUTES.toMillis(2))
                .setMaxRedirects(0);
    }

    @PreDestroy
    void close() {
        verifying.close();
        trusting.close();
        tcp.close();
    }

    public CompletionStage<ProbeResult> check(String serviceUrl, HealthCheckSpec spec) {
        Check check = new Check(spec);
        URI target;
        try {
            target = URI.create(stripTrailingSlash(serviceUrl) + (spec.type() == HealthCheckSpec.CheckType.TCP ? "" : spec.path()));
        } catch (IllegalArgumentException e) {
            return check.fail(CheckReason.INVALID_TARGET, "the url is not valid: " + e.getMessage());
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (target.getHost() == null || !(scheme.equals("http") || scheme.equals("https"))) {
            return check.fail(CheckReason.INVALID_TARGET, "only http and https urls with a host can be checked: " + serviceUrl);
        }
        check.deadline = vertx.setTimer(TimeUnit.SECONDS.toMillis(spec.timeoutSeconds()),
                id -> check.fail(CheckReason.TIMEOUT, "no response within " + spec.timeoutSeconds() + " s"));
        if (spec.type() == HealthCheckSpec.CheckType.TCP) {
            connect(check, target);
        } else {
            request(check, target, 0, true);
        }
        return check.result;
    }

    private void connect(Check check, URI target) {
        int port = port(target);
        guard.resolve(target.getHost()).onComplete(resolved -> {
            if (resolved.failed()) {
                check.failWith(resolved.cause(), target.getHost() + ":" + port);
                return;
            }
            tcp.connect(port, resolved.result().getHostAddress(), target.getHost()).onComplete(connected -> {
                if (connected.failed()) {
                    check.failWith(connected.cause(), resolved.result().getHostAddress() + ":" + port);
                    return;
                }
                connected.result().close();
                check.succeed(null, null);
            });
        });
    }

    /** {@code withHeaders}: the spec's headers (often credentials) go only to the registered origin. */
    private void request(Check check, URI target, int redirects, boolean withHeaders) {
        if (check.isDone()) {
            return;
        }
        boolean https = target.getScheme().equalsIgnoreCase("https");
        int port = port(target);
        guard.resolve(target.getHost()).onComplete(resolved -> {
            if (resolved.failed()) {
                check.failWith(resolved.cause(), target.getHost());
                return;
            }
            HealthCheckSpec spec = check.spec;
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(spec.method())).setHost(target.getHost())
                    .setPort(port).setSsl(https).setURI(pathAndQuery(target))
                    .setServer(SocketAddress.inetSocketAddress(port, resolved.result().getHostAddress()))
                    .putHeader("User-Agent", USER_AGENT);
            if (withHeaders && spec.headers() != null) {
                spec.headers().forEach(options::putHeader);
            }
            HttpClient client = https && Boolean.FALSE.equals(spec.tlsVerify()) ? trusting : verifying;
            client.request(options).onComplete(created -> {
                if (created.failed()) {
                    check.failWith(created.cause(), resolved.result().getHostAddress() + ":" + port);
                    return;
                }
                HttpClientRequest request = created.result();
                check.request = request;
                if (check.isDone()) {
                    request.reset();
                    return;
                }
                request.send().onComplete(sent -> {
                    if (sent.failed()) {
                        check.failWith(sent.cause(), resolved.result().getHostAddress() + ":" + port);
                    } else {
                        respond(check, target, redirects, withHeaders, sent.result());
                    }
                });
            });
        });
    }

    private void respond(Check check, URI target, int redirects, boolean withHeaders, HttpClientResponse response) {
        int status = response.statusCode();
        String location = response.getHeader("Location");
        if (isRedirect(status) && location != null) {
            response.end();
            if (redirects >= settings.maxRedirects()) {
                check.fail(CheckReason.TOO_MANY_REDIRECTS, "more than " + settings.maxRedirects() + " redirects, the last to "
                        + location, status);
                return;
            }
            URI next;
            try {
                next = target.resolve(location);
            } catch (IllegalArgumentException e) {
                check.fail(CheckReason.UNEXPECTED_STATUS, "redirect to an invalid location: " + location, status);
                return;
            }
            if (next.getHost() == null || !(next.getScheme().equalsIgnoreCase("http") || next.getScheme().equalsIgnoreCase("https"))) {
                check.fail(CheckReason.UNEXPECTED_STATUS, "redirect to a location that cannot be checked: " + location, status);
                return;
            }
            request(check, next, redirects + 1, withHeaders && sameOrigin(target, next));
            return;
        }
        OffsetDateTime expiresAt = certificateExpiry(response);
        long maxBody = settings.maxBodySize().asLongValue();
        Buffer body = Buffer.buffer();
        AtomicBoolean tooLarge = new AtomicBoolean();
        response.handler(chunk -> {
            if (tooLarge.get()) {
                return;
            }
            if (body.length() + chunk.length() > maxBody) {
                tooLarge.set(true);
                // Reading on would let one target hold memory and a connection; drop the connection instead.
                response.request().connection().close();
                evaluate(check, status, null, true, expiresAt);
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(failure -> {
            if (!tooLarge.get()) {
                check.failWith(failure, target.getHost());
            }
        });
        response.endHandler(ignored -> {
            if (!tooLarge.get()) {
                evaluate(check, status, body, false, expiresAt);
            }
        });
    }

    private void evaluate(Check check, int status, Buffer body, boolean tooLarge, OffsetDateTime expiresAt) {
        HealthCheckSpec spec = check.spec;
        List<Integer> expected = spec.expectedStatus();
        boolean statusOk = expected == null || expected.isEmpty() ? status >= 200 && status < 300 : expected.contains(status);
        if (!statusOk) {
            check.fail(CheckReason.UNEXPECTED_STATUS, "status " + status + ", expected "
                    + (expected == null || expected.isEmpty() ? "2xx" : expected.toString()), status);
            return;
        }
        if (spec.bodyCondition() != null) {
            String failure = tooLarge ? "body larger than " + settings.maxBodySize().asLongValue() + " bytes"
                    : conditions.failure(spec.bodyCondition(), body);
            if (failure != null) {
                check.fail(CheckReason.CONDITION_FAILED, failure, status);
                return;
            }
        }
        if (expiresAt != null) {
            long left = expiresAt.toInstant().toEpochMilli() - System.currentTimeMillis();
            if (left <= 0) {
                check.finish(HealthStatus.UNHEALTHY, CheckReason.TLS_ERROR, "certificate expired at " + expiresAt, status,
                        expiresAt);
                return;
            }
            int days = spec.tlsExpiryDays() == null ? HealthCheckSpec.DEFAULT_TLS_EXPIRY_DAYS : spec.tlsExpiryDays();
            if (left < days * DAY_MS) {
                check.finish(HealthStatus.DEGRADED, CheckReason.CERTIFICATE_EXPIRING, "certificate expires in "
                        + Duration.ofMillis(left).toDays() + " days, at " + expiresAt, status, expiresAt);
                return;
            }
        }
        check.succeed(status, expiresAt);
    }

    private static OffsetDateTime certificateExpiry(HttpClientResponse response) {
        try {
            var session = response.request().connection().sslSession();
            if (session == null) {
                return null;
            }
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                return leaf.getNotAfter().toInstant().atOffset(ZoneOffset.UTC);
            }
        } catch (SSLException e) {
            return null;
        }
        return null;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI from, URI to) {
        return from.getScheme().equalsIgnoreCase(to.getScheme()) && from.getHost().equalsIgnoreCase(to.getHost())
                && port(from) == port(to);
    }

    private static int port(URI target) {
        if (target.getPort() > 0) {
            return target.getPort();
        }
        return target.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String pathAndQuery(URI target) {
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        return target.getRawQuery() == null ? path : path + "?" + target.getRawQuery();
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** One check under way: completes once, with the first outcome (the response, a failure or the deadline). */
    private final class Check {
        final HealthCheckSpec spec;
        final long startNanos = System.nanoTime();
        final OffsetDateTime checkedAt = Timestamps.now();
        final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        volatile HttpClientRequest request;
        long deadline = -1;

        Check(HealthCheckSpec spec) {
            this.spec = spec;
        }

        boolean isDone() {
            return result.isDone();
        }

        CompletableFuture<ProbeResult> fail(CheckReason reason, String message) {
            return fail(reason, message, null);
        }

        CompletableFuture<ProbeResult> fail(CheckReason reason, String message, Integer status) {
            finish(HealthStatus.UNHEALTHY, reason, message, status, null);
            HttpClientRequest pending = request;
            if (reason == CheckReason.TIMEOUT && pending != null) {
                pending.reset();
            }
            return result;
        }

        void succeed(Integer status, OffsetDateTime expiresAt) {
            long elapsed = elapsedMs();
            Integer slowAfter = spec.degradedResponseTimeMs();
            if (slowAfter != null && elapsed > slowAfter) {
                finish(HealthStatus.DEGRADED, CheckReason.SLOW_RESPONSE,
                        "responded in " + elapsed + " ms, slower than " + slowAfter + " ms", status, expiresAt);
            } else {
                finish(HealthStatus.HEALTHY, CheckReason.OK, null, status, expiresAt);
            }
        }

        void finish(HealthStatus status, CheckReason reason, String message, Integer code, OffsetDateTime expiresAt) {
            if (result.complete(new ProbeResult(status, reason, message, code, elapsedMs(), expiresAt, checkedAt))
                    && deadline >= 0) {
                vertx.cancelTimer(deadline);
            }
        }

        /** Maps a failure to its reason; {@code where} names what was being reached. */
        void failWith(Throwable failure, String where) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof AddressGuard.BlockedAddressException) {
                    fail(CheckReason.ADDRESS_BLOCKED, t.getMessage());
                    return;
                }
                if (t instanceof UnknownHostException) {
                    fail(CheckReason.DNS_FAILURE, "cannot resolve " + where);
                    return;
                }
                if (t instanceof SSLException) {
                    fail(CheckReason.TLS_ERROR, "TLS failed with " + where + ": " + t.getMessage());
                    return;
                }
                if (t instanceof TimeoutException || t instanceof io.netty.channel.ConnectTimeoutException) {
                    fail(CheckReason.TIMEOUT, "no response within " + spec.timeoutSeconds() + " s");
                    return;
                }
                if (t instanceof NoRouteToHostException) {
                    fail(CheckReason.CONNECTION_ERROR, "no route to " + where);
                    return;
                }
                if (t instanceof ConnectException) {
                    fail(CheckReason.CONNECTION_REFUSED, "connection refused by " + where);
                    return;
                }
            }
            fail(CheckReason.CONNECTION_ERROR, "connection to " + where + " failed: " + failure.getMessage());
        }

        long elapsedMs() {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        }
    }
}
