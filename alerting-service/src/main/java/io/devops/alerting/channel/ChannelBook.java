package io.devops.alerting.channel;

import static io.devops.common.sql.JsonColumns.LABELS;
import static io.devops.common.sql.JsonColumns.OBJECT;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.common.sql.JsonColumns;
import io.devops.common.PlatformSettings;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.time.Timestamps;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Channels: created, changed and deleted through the API, their secrets kept and never shown. */
@ApplicationScoped
public class ChannelBook {
    private final ChannelTable channels;
    private final Pool pool;
    private final JsonColumns json;
    private final SecretBox box;
    private final ChannelReferences references;
    private final ChannelSender sender;
    private final ChannelTargets targets;
    private final InstantSource clock;
    private final String schema;

    ChannelBook(ChannelTable channels, Pool pool, JsonColumns json, ChannelReferences references, ChannelSender sender,
            ChannelTargets targets, PlatformSettings settings, SecretBox box, InstantSource clock) {
        this.channels = channels;
        this.pool = pool;
        this.json = json;
        this.box = box;
        this.references = references;
        this.sender = sender;
        this.targets = targets;
        this.clock = clock;
        this.schema = settings.schema();
    }

    @WithSpan("alerting.channels.create")
    public Uni<ChannelView> create(@NotNull(message = "a JSON body is required") @Valid ChannelRequest request) {
        Channel channel = newChannel(request);
        return pool.withTransaction(connection -> unusedName(connection, request.name(), null)
                .chain(() -> channels.insert(connection, channel))).map(ignored -> view(channel));
    }

    /** Creates the channel named in the request, or updates the one of that name (the configuration file's way). */
    @WithSpan("alerting.channels.put")
    public Uni<ChannelView> put(@NotNull(message = "a channel is required") @Valid ChannelRequest request) {
        return pool.withTransaction(connection -> channels.named(connection, request.name()).chain(found -> {
            if (found == null) {
                Channel channel = newChannel(request);
                return channels.insert(connection, channel).map(ignored -> view(channel));
            }
            Map<String, String> kept = found.type.equals(request.type()) ? kept(found) : Map.of();
            apply(found, request, kept);
            return channels.update(connection, found).map(ignored -> view(found));
        }));
    }

    @WithSpan("alerting.channels.list")
    public Uni<List<ChannelView>> list() {
        return channels.list(pool).map(rows -> rows.stream().map(this::view).toList());
    }

    @WithSpan("alerting.channels.get")
    public Uni<ChannelView> get(@SpanAttribute("channel.id") UUID id) {
        return channels.find(pool, id, false).map(found -> view(require(found, id)));
    }

    /** Replaces name, type and settings; secrets given replace theirs, secrets left out are kept (while the type stays). */
    @WithSpan("alerting.channels.update")
    public Uni<ChannelView> update(@SpanAttribute("channel.id") UUID id,
            @NotNull(message = "a JSON body is required") @Valid ChannelRequest request) {
        return pool.withTransaction(connection -> channels.find(connection, id, true).chain(found -> {
            Channel channel = require(found, id);
            String oldName = channel.name;
            Map<String, String> kept = channel.type.equals(request.type()) ? kept(channel) : Map.of();
            apply(channel, request, kept);
            Uni<Void> renamed = oldName.equals(request.name()) ? Uni.createFrom().voidItem()
                    : unusedName(connection, request.name(), id).chain(() -> notRouted(connection, oldName, "renamed"));
            return renamed.chain(() -> channels.update(connection, channel)).map(ignored -> view(channel));
        }));
    }

    @WithSpan("alerting.channels.delete")
    public Uni<Void> delete(@SpanAttribute("channel.id") UUID id) {
        return pool.withTransaction(connection -> channels.find(connection, id, true).chain(found -> {
            Channel channel = require(found, id);
            return notRouted(connection, channel.name, "deleted").chain(() -> channels.delete(connection, id));
        }));
    }

    /**
     * Sends a test message to the channel now, bypassing routing and retries, and records it as a
     * notification with its one delivery.
     */
    @WithSpan("alerting.channels.test")
    public Uni<ChannelTestResult> test(@SpanAttribute("channel.id") UUID id, String actor) {
        return channels.find(pool, id, false).chain(found -> {
            Channel channel = require(found, id);
            UUID notificationId = UUID.randomUUID();
            OffsetDateTime now = Timestamps.now(clock);
            NotificationMessage message = new NotificationMessage(NotificationMessage.VERSION, notificationId, "test",
                    NotificationMessage.FIRING, "test-" + channel.id, Map.of(), List.of(), List.of(),
                    "A test message sent by " + (actor == null ? "someone" : actor) + " to check the channel " + channel.name + ".",
                    now);
            ChannelTarget target = targets.target(channel);
            long started = System.nanoTime();
            return sender.send(target, message).map(ignored -> (String) null)
                    .onFailure().recoverWithItem(failure -> failure instanceof ChannelSender.DeliveryException
                            ? failure.getMessage() : failure.getClass().getSimpleName())
                    .chain(error -> record(message, channel, error, now)
                            .map(ignored -> new ChannelTestResult(notificationId, error == null, error,
                                    (System.nanoTime() - started) / 1_000_000)));
        });
    }

    private Uni<Void> record(NotificationMessage message, Channel channel, String error, OffsetDateTime at) {
        return pool.withTransaction(connection -> connection.preparedQuery("insert into " + schema + ".notification (id,"
                + " group_id, kind, status, payload, created_at) values ($1, null, 'test', 'firing', $2::text::jsonb, $3)")
                .execute(Tuple.of(message.notificationId(), json.write(message), at))
                .chain(() -> connection.preparedQuery("insert into " + schema + ".delivery (id, notification_id, channel_id,"
                        + " channel_name, status, attempts, last_error, created_at, updated_at, delivered_at) values ($1, $2,"
                        + " $3, $4, $5, 1, $6, $7, $7, $8)")
                        .execute(Tuple.from(new Object[] { UUID.randomUUID(), message.notificationId(), channel.id, channel.name,
                                error == null ? "delivered" : "failed", error, at, error == null ? at : null }))))
                .replaceWithVoid();
    }

    private Channel newChannel(ChannelRequest request) {
        Channel channel = new Channel();
        channel.id = UUID.randomUUID();
        channel.createdAt = Timestamps.now(clock);
        apply(channel, request, Map.of());
        return channel;
    }

    private void apply(Channel channel, ChannelRequest request, Map<String, String> keptSecrets) {
        ChannelType type = ChannelType.of(request.type());
        if (type == null) {
            throw ProblemException.invalidFields("the channel is invalid",
                    List.of(new Problem.FieldError("type", "must be one of " + ChannelType.names())));
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, Object> settings = type.settings(request.settings(), errors);
        Map<String, Object> secrets = type.secrets(request.secrets(), keptSecrets, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("the channel is invalid", errors);
        }
        channel.name = request.name();
        channel.type = type.json();
        channel.settings = json.write(settings);
        channel.secrets = box.seal(json.write(secrets));
        channel.updatedAt = Timestamps.now(clock);
    }

    private Uni<Void> unusedName(SqlClient connection, String name, UUID except) {
        return channels.nameTaken(connection, name, except).map(taken -> {
            if (taken) {
                throw ProblemException.conflict("a channel named '" + name + "' exists");
            }
            return null;
        });
    }

    private Uni<Void> notRouted(SqlClient connection, String name, String change) {
        return references.channelsInUse(connection).map(used -> {
            if (used.contains(name)) {
                throw ProblemException.conflict("the routing sends to channel '" + name + "'; change the routing before the"
                        + " channel is " + change);
            }
            return null;
        });
    }

    /** The secrets an update keeps; none when they cannot be opened (they are then given anew). */
    private Map<String, String> kept(Channel channel) {
        String opened = box.openOrNull(channel.secrets);
        return opened == null ? Map.of() : json.read(opened, LABELS);
    }

    private ChannelView view(Channel channel) {
        Map<String, Object> secrets = targets.secrets(channel.secrets);
        return new ChannelView(channel.id, channel.name, channel.type, json.read(channel.settings, OBJECT),
                secrets == null ? List.of() : List.copyOf(new TreeSet<>(secrets.keySet())), channel.createdAt, channel.updatedAt);
    }

    private static Channel require(Channel channel, UUID id) {
        if (channel == null) {
            throw ProblemException.notFound("no channel with id " + id);
        }
        return channel;
    }

}
