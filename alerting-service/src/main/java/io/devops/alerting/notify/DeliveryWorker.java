package io.devops.alerting.notify;

import java.time.Duration;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.alerting.AlertingSettings;
import io.devops.common.sql.JsonColumns;
import io.devops.alerting.channel.ChannelSender;
import io.devops.alerting.channel.ChannelTarget;
import io.devops.alerting.channel.ChannelTargets;
import io.devops.alerting.channel.NotificationMessage;
import io.devops.common.PlatformSettings;
import io.devops.common.retry.Backoff;
import io.devops.common.time.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sends pending deliveries. Each is claimed in a short transaction (its next attempt moved to
 * when a send is given up for lost, so a replica that dies mid-send leaves it to be sent again),
 * sent on its own with no wait on any other, and its outcome recorded: delivered, or the error and
 * a next attempt after an exponential backoff with jitter, until the attempts run out (failed).
 * A slow or failing channel thus holds only its own deliveries.
 */
@ApplicationScoped
public class DeliveryWorker {
    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    /** Longer than any send's own timeouts (a connect and an idle timeout of 10 s). */
    private static final Duration LOST_AFTER = Duration.ofMinutes(2);

    private final Pool pool;
    private final JsonColumns json;
    private final ChannelTargets channels;
    private final ChannelSender sender;
    private final MeterRegistry meters;
    private final AlertingSettings.Delivery settings;
    private final String schema;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final Periodic recorder;
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    /** The last claim took all it could: more deliveries may be due. */
    private final AtomicBoolean moreDue = new AtomicBoolean();
    private final Vertx vertx;
    private final Duration pollInterval;
    private final InstantSource clock;
    private long timer;

    DeliveryWorker(Pool pool, JsonColumns json, ChannelSender sender, MeterRegistry meters, AlertingSettings settings,
            PlatformSettings platform, Vertx vertx, ChannelTargets channels, InstantSource clock) {
        this.channels = channels;
        this.clock = clock;
        this.vertx = vertx;
        this.pollInterval = settings.notifications().pollInterval();
        this.pool = pool;
        this.json = json;
        this.sender = sender;
        this.meters = meters;
        this.settings = settings.delivery();
        this.schema = platform.schema();
        this.recorder = new Periodic(vertx, pollInterval, "recording delivery outcomes", LOG, this::recordOutcomes);
    }

    private record Due(UUID id, int attempts, String channelName, ChannelTarget channel, NotificationMessage message) {
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(pollInterval.toMillis(), ignored -> wake());
        recorder.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        vertx.cancelTimer(timer);
        recorder.stop();
    }

    /** Claims and starts the due deliveries now (new ones were just written). */
    public void wake() {
        wanted.set(true);
        if (!claiming.compareAndSet(false, true)) {
            return;
        }
        wanted.set(false);
        int free = settings.concurrency() - inFlight.get();
        if (free <= 0) {
            claiming.set(false);
            return;
        }
        claim(free).subscribe().with(due -> {
            moreDue.set(due.size() == free);
            try {
                due.forEach(this::send);
            } finally {
                claiming.set(false);
            }
            if (wanted.get() || due.size() == free) {
                wake();
            }
        }, failure -> {
            claiming.set(false);
            LOG.warnf("claiming deliveries failed (retried at the next poll): %s", failure.getMessage());
        });
    }

    private Uni<List<Due>> claim(int max) {
        OffsetDateTime now = Timestamps.now(clock);
        return pool.withTransaction(connection -> connection.preparedQuery("update " + schema + ".delivery d set"
                + " attempts = d.attempts + 1, next_attempt_at = $2, updated_at = $1 from (select id from " + schema
                + ".delivery where status = 'pending' and next_attempt_at <= $1 order by next_attempt_at limit $3"
                + " for update skip locked) due where d.id = due.id returning d.id, d.attempts, d.channel_name, d.channel_id,"
                + " d.notification_id").execute(Tuple.of(now, now.plus(LOST_AFTER), max)).chain(claimed -> {
                    if (claimed.size() == 0) {
                        return Uni.createFrom().item(List.<Due>of());
                    }
                    List<Row> rows = new ArrayList<>();
                    claimed.forEach(rows::add);
                    UUID[] notifications = rows.stream().map(row -> row.getUUID(4)).distinct().toArray(UUID[]::new);
                    UUID[] channelIds = rows.stream().map(row -> row.getUUID(3)).filter(id -> id != null).distinct()
                            .toArray(UUID[]::new);
                    return connection.preparedQuery("select id, payload::text from " + schema + ".notification where id = any($1)")
                            .execute(Tuple.of(notifications)).chain(payloads -> channels.byId(connection, channelIds)
                                    .map(byId -> {
                                        Map<UUID, NotificationMessage> messages = new HashMap<>();
                                        payloads.forEach(row -> messages.put(row.getUUID(0), json.read(row.getString(1), NotificationMessage.class)));
                                        return rows.stream().map(row -> new Due(row.getUUID(0), row.getInteger(1),
                                                row.getString(2), row.getUUID(3) == null ? null : byId.get(row.getUUID(3)),
                                                messages.get(row.getUUID(4)))).toList();
                                    }));
                }));
    }

    private void send(Due due) {
        inFlight.incrementAndGet();
        Timer.Sample timing = Timer.start(meters);
        Uni<Void> sending = due.channel() == null
                ? Uni.createFrom().failure(new ChannelSender.DeliveryException("the channel was deleted"))
                : Uni.createFrom().deferred(() -> sender.send(due.channel(), due.message()));
        sending.subscribe().with(ignored -> ended(due, timing, null), failure -> ended(due, timing, failure));
    }

    private void ended(Due due, Timer.Sample timing, Throwable failure) {
        String type = due.channel() == null ? "deleted" : due.channel().type().json();
        timing.stop(meters.timer("alerting.deliveries.duration", "channel_type", type,
                "outcome", failure == null ? "delivered" : "failed"));
        outcomes.add(failure == null ? delivered(due) : failed(due, failure));
        int sending = inFlight.decrementAndGet();
        recorder.run();
        // a backlog is claimed again once half the slots are free, not at the next poll
        if (moreDue.get() && sending <= settings.concurrency() / 2) {
            wake();
        }
    }

    /** What became of a send, to be written with the others that ended meanwhile. */
    private record Outcome(UUID id, String status, OffsetDateTime deliveredAt, OffsetDateTime nextAttemptAt, String error,
            OffsetDateTime at) {
    }

    private Outcome delivered(Due due) {
        OffsetDateTime now = Timestamps.now(clock);
        meters.counter("alerting.deliveries", "channel_type", due.channel().type().json(), "outcome", "delivered").increment();
        return new Outcome(due.id(), "delivered", now, null, null, now);
    }

    private Outcome failed(Due due, Throwable failure) {
        OffsetDateTime now = Timestamps.now(clock);
        String error = failure instanceof ChannelSender.DeliveryException ? failure.getMessage()
                : failure.getClass().getSimpleName() + " while sending";
        boolean last = due.attempts() >= settings.maxAttempts() || due.channel() == null;
        String type = due.channel() == null ? "deleted" : due.channel().type().json();
        meters.counter("alerting.deliveries", "channel_type", type, "outcome", last ? "failed" : "retried").increment();
        LOG.infof("delivery %s to %s, attempt %d: %s%s", due.id(), due.channelName(), due.attempts(), error,
                last ? " (given up)" : "");
        return new Outcome(due.id(), last ? "failed" : "pending", null, last ? null : now.plus(backoff(due.attempts())), error, now);
    }

    /**
     * Writes the outcomes that ended since the last write, in one statement: a burst of sends costs
     * a few writes, not one each. Outcomes whose write fails are kept for the next one; a send whose
     * outcome is never written (the process died) is sent again after {@link #LOST_AFTER}.
     */
    private Uni<Void> recordOutcomes() {
        List<Outcome> batch = new ArrayList<>();
        for (Outcome outcome = outcomes.poll(); outcome != null; outcome = outcomes.poll()) {
            batch.add(outcome);
        }
        if (batch.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("update " + schema + ".delivery d set status = o.status, delivered_at = o.delivered_at,"
                + " next_attempt_at = o.next_attempt_at, last_error = o.error, updated_at = o.at"
                + " from unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::timestamptz[])"
                + " as o(id, status, delivered_at, next_attempt_at, error, at) where d.id = o.id")
                .execute(Tuple.from(List.of(batch.stream().map(Outcome::id).toArray(UUID[]::new),
                        batch.stream().map(Outcome::status).toArray(String[]::new),
                        batch.stream().map(Outcome::deliveredAt).toArray(OffsetDateTime[]::new),
                        batch.stream().map(Outcome::nextAttemptAt).toArray(OffsetDateTime[]::new),
                        batch.stream().map(Outcome::error).toArray(String[]::new),
                        batch.stream().map(Outcome::at).toArray(OffsetDateTime[]::new))))
                .replaceWithVoid()
                .onFailure().invoke(() -> outcomes.addAll(batch));
    }

    /** Exponential, with jitter so that deliveries that failed together do not retry together. */
    private Duration backoff(int attempts) {
        return Backoff.jittered(settings.initialBackoff(), settings.maxBackoff(), attempts);
    }
}
