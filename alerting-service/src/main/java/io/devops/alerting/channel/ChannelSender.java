package io.devops.alerting.channel;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.AlertingSettings;
import io.devops.common.net.AddressGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;

/**
 * Sends one rendered notification to one channel, without blocking: HTTP channels through one
 * pooled Vert.x client, email through a Vert.x mail client made for the channel's server. A send
 * fails with a {@link DeliveryException} whose message names the host and the answer but never a
 * URL path or a secret (a Slack or Discord URL carries its token in the path).
 */
@ApplicationScoped
public class ChannelSender {
    public static final String SIGNATURE_HEADER = "X-Devops-Signature";
    public static final String TIMESTAMP_HEADER = "X-Devops-Timestamp";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** How long a channel host's resolved address is reused. */
    private static final Duration DNS_CACHE_TTL = Duration.ofSeconds(30);
    private static final String USER_AGENT = "devops-alerting-service";
    private static final int KEPT_ANSWER = 300;

    private final Vertx vertx;
    private final HttpClient http;
    private final MessageFormats formats;
    private final AddressGuard guard;
    private final InstantSource clock;

    ChannelSender(Vertx vertx, MessageFormats formats, AlertingSettings settings, InstantSource clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.formats = formats;
        this.guard = new AddressGuard(vertx, settings.delivery().blockedNetworks(), settings.delivery().allowBlockedNetworks(),
                DNS_CACHE_TTL);
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setMaxPoolSize(settings.delivery().connectionsPerHost())
                .setConnectTimeout((int) TIMEOUT.toMillis()).setMaxRedirects(0));
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** A failed send, with a message safe to store and show. */
    public static class DeliveryException extends RuntimeException {
        public DeliveryException(String message) {
            super(message, null, false, false);
        }
    }

    public Uni<Void> send(ChannelTarget channel, NotificationMessage message) {
        if (channel.secrets() == null) {
            return Uni.createFrom().failure(new DeliveryException(
                    "the channel's secrets cannot be opened with alerting.secrets-key (sealed under another key?)"));
        }
        return switch (channel.type()) {
            case SLACK -> post(text(channel.secrets(), "url"), formats.slack(message, channel.settings()), null);
            case DISCORD -> post(text(channel.secrets(), "url"), formats.discord(message, channel.settings()), null);
            case WEBHOOK -> post(text(channel.settings(), "url"), formats.webhook(message),
                    channel.secrets().containsKey("hmac_secret") ? text(channel.secrets(), "hmac_secret") : null);
            case PAGERDUTY -> post(channel.settings().containsKey("url") ? text(channel.settings(), "url") : ChannelType.PAGERDUTY_EVENTS_URL,
                    formats.pagerDuty(message, text(channel.secrets(), "routing_key")), null);
            case EMAIL -> mail(channel, message);
        };
    }

    private Uni<Void> post(String url, String body, String hmacKey) {
        URI target = URI.create(url);
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() > 0 ? target.getPort() : https ? 443 : 80;
        String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(target.getHost()).setPort(port)
                .setSsl(https).setURI(path).setIdleTimeout(TIMEOUT.toMillis())
                .putHeader("Content-Type", "application/json").putHeader("User-Agent", USER_AGENT);
        if (hmacKey != null) {
            // The timestamp is signed with the body, so a receiver can refuse a replayed message.
            String timestamp = Long.toString(clock.millis() / 1000);
            options.putHeader(TIMESTAMP_HEADER, timestamp);
            options.putHeader(SIGNATURE_HEADER, "sha256=" + sign(hmacKey, timestamp + "." + body));
        }
        String where = target.getHost() + ":" + port;
        // to the address the guard let through, so a second DNS answer cannot point elsewhere
        Future<Void> sent = guard.resolve(target.getHost())
                .compose(address -> http.request(options.setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))))
                .compose(request -> request.send(Buffer.buffer(body, "UTF-8")))
                .compose(response -> response.body().compose(answer -> {
                    if (response.statusCode() >= 200 && response.statusCode() < 300) {
                        return Future.succeededFuture();
                    }
                    String text = answer.toString(StandardCharsets.UTF_8);
                    return Future.failedFuture(new DeliveryException("HTTP " + response.statusCode() + " from " + where
                            + (text.isBlank() ? "" : ": " + (text.length() > KEPT_ANSWER ? text.substring(0, KEPT_ANSWER) + "…" : text))));
                }));
        return Uni.createFrom().completionStage(sent.toCompletionStage())
                .onFailure(failure -> !(failure instanceof DeliveryException))
                .transform(failure -> new DeliveryException(describe(failure) + " (" + where + ")"));
    }

    private Uni<Void> mail(ChannelTarget channel, NotificationMessage message) {
        String tls = channel.settings().getOrDefault("tls", "starttls").toString();
        int port = channel.settings().get("port") instanceof Number number ? number.intValue()
                : "ssl".equals(tls) ? 465 : 587;
        MailConfig config = new MailConfig().setHostname(text(channel.settings(), "host")).setPort(port)
                .setSsl("ssl".equals(tls))
                .setStarttls("starttls".equals(tls) ? StartTLSOptions.REQUIRED : StartTLSOptions.DISABLED)
                .setConnectTimeout((int) TIMEOUT.toMillis()).setIdleTimeout((int) TIMEOUT.toSeconds())
                .setKeepAlive(false).setUserAgent(USER_AGENT);
        if (channel.settings().get("username") instanceof String username) {
            config.setUsername(username).setPassword(channel.secrets().containsKey("password") ? text(channel.secrets(), "password") : "");
        }
        @SuppressWarnings("unchecked")
        List<String> to = (List<String>) channel.settings().get("to");
        MailMessage mail = new MailMessage().setFrom(text(channel.settings(), "from")).setTo(to)
                .setSubject(message.subject()).setText(formats.emailText(message)).setHtml(formats.emailHtml(message));
        MailClient client = MailClient.create(vertx, config);
        String where = config.getHostname() + ":" + port;
        // the mail client resolves the name itself: the guard checks it first
        return Uni.createFrom().completionStage(guard.resolve(config.getHostname())
                .compose(address -> client.sendMail(mail)).<Void>mapEmpty().toCompletionStage())
                .onFailure().transform(failure -> new DeliveryException(describe(failure) + " (SMTP " + where + ")"))
                .onTermination().call(() -> Uni.createFrom().completionStage(client.close().toCompletionStage()));
    }

    private static String describe(Throwable failure) {
        if (failure instanceof AddressGuard.BlockedAddressException) {
            return failure.getMessage();
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String text(Map<String, Object> values, String key) {
        Object value = values.get(key);
        if (value == null) {
            throw new DeliveryException("the channel has no " + key);
        }
        return value.toString();
    }

    static String sign(String key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
