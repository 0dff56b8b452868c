package io.devops.common.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.devops.common.events.EventCodec;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Refuses a body larger than {@code quarkus.http.limits.max-body-size} before reading it, with a
 * problem+json 413 (the HTTP layer would otherwise close with a bare 413). Bodies sent without a
 * Content-Length are still cut off by the HTTP layer at the same limit.
 */
@ApplicationScoped
public class BodySizeLimit {
    private final long maxBytes;
    private final EventCodec codec;

    BodySizeLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max,
            EventCodec codec) {
        this.maxBytes = max.asLongValue();
        this.codec = codec;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && exceeds(length)) {
                Problem problem = new Problem("about:blank", "Content Too Large", 413,
                        "the request body has " + length + " bytes; the limit is " + maxBytes, context.request().path(),
                        java.util.List.of());
                context.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close").end(codec.encode(problem));
                return;
            }
            context.next();
        });
    }

    private boolean exceeds(String contentLength) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
