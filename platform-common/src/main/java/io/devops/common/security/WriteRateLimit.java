package io.devops.common.security;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.devops.common.PlatformSettings;
import io.devops.common.events.EventCodec;
import io.devops.common.problem.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Limits each client's writes with a token bucket: {@code burst} at once, then
 * {@code writes-per-second}. A client is its bearer token, or its address when it sends none.
 * Over the limit it gets a 429 problem with Retry-After, before the request reaches any resource.
 */
@ApplicationScoped
public class WriteRateLimit {
    private static final long IDLE_NANOS = 60_000_000_000L;

    private final PlatformSettings.RateLimit settings;
    private final EventCodec codec;
    private final Counter rejected;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    WriteRateLimit(PlatformSettings settings, EventCodec codec, MeterRegistry meters) {
        this.settings = settings.rateLimit();
        this.codec = codec;
        this.rejected = Counter.builder("http.writes.rate_limited").description("Writes refused by the rate limit")
                .register(meters);
    }

    void install(@Observes Router router) {
        if (settings.enabled()) {
            router.route().order(Integer.MIN_VALUE + 1).handler(this::limit);
        }
    }

    private void limit(RoutingContext context) {
        HttpMethod method = context.request().method();
        boolean write = method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH
                || method == HttpMethod.DELETE;
        String path = context.request().path();
        if (!write || settings.exemptPaths().map(p -> p.matcher(path).matches()).orElse(false)) {
            context.next();
            return;
        }
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        String client = authorization != null ? authorization : String.valueOf(context.request().remoteAddress());
        Bucket bucket = buckets.computeIfAbsent(client, c -> new Bucket(settings.burst()));
        long waitNanos = bucket.take(settings.writesPerSecond(), settings.burst());
        if (waitNanos == 0) {
            context.next();
            return;
        }
        rejected.increment();
        long retryAfter = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
        Problem problem = new Problem("about:blank", "Too Many Requests", 429, "more than " + settings.writesPerSecond()
                + " writes per second (bursts of " + settings.burst() + "); retry in " + retryAfter + " s", path, List.of());
        context.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader("Retry-After", String.valueOf(retryAfter)).end(codec.encode(problem));
    }

    @Scheduled(every = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void forgetIdleClients() {
        long now = System.nanoTime();
        buckets.values().removeIf(bucket -> bucket.idleSince(now) > IDLE_NANOS);
    }

    /** A token bucket; {@link #take} returns 0 when a token was taken, else how long until one is due. */
    private static final class Bucket {
        private double tokens;
        private long refilledAt = System.nanoTime();

        Bucket(int burst) {
            this.tokens = burst;
        }

        synchronized long take(int perSecond, int burst) {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) * perSecond / 1e9);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) ((1 - tokens) * 1e9 / perSecond);
        }

        synchronized long idleSince(long now) {
            return now - refilledAt;
        }
    }
}
