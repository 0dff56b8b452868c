package io.devops.alerting.notify;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.alerting.AlertingSettings;
import io.devops.alerting.alert.AlertRepository;
import io.devops.alerting.routing.RoutingTree;
import io.devops.alerting.silence.SilenceRule;
import io.devops.alerting.silence.Silences;
import io.devops.common.PlatformSettings;
import io.devops.common.time.Timestamps;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The notice Alertmanager does not give: when a silence ends while alerts it muted still fire
 * (unacknowledged and not muted by another silence), their groups are made due at once with a note
 * saying so, and the next notification announces them as firing. Each ending is handled once.
 */
@ApplicationScoped
public class SilenceEndings {
    private static final int BATCH = 100;

    private final Pool pool;
    private final Silences silences;
    private final AlertRepository alerts;
    private final InstantSource clock;
    private final String schema;
    private final Periodic ticker;

    SilenceEndings(Pool pool, Silences silences, AlertRepository alerts, PlatformSettings settings, Vertx vertx,
            AlertingSettings alerting, InstantSource clock) {
        this.pool = pool;
        this.silences = silences;
        this.alerts = alerts;
        this.clock = clock;
        this.schema = settings.schema();
        this.ticker = new Periodic(vertx, alerting.notifications().pollInterval(), "announcing ended silences",
                Logger.getLogger(SilenceEndings.class), this::announce);
    }

    void start(@Observes StartupEvent started) {
        ticker.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        ticker.stop();
    }

    Uni<Void> announce() {
        OffsetDateTime now = Timestamps.now(clock);
        return pool.withTransaction(connection -> silences.endedUnannounced(connection, now, BATCH)
                .chain(ended -> ended.isEmpty() ? Uni.createFrom().voidItem() : announce(connection, ended, now)));
    }

    private Uni<Void> announce(SqlConnection connection, List<SilenceRule> ended, OffsetDateTime now) {
        return silences.active(connection, now).chain(stillSilenced -> alerts.open(connection).chain(open -> {
            List<Tuple> wakes = new ArrayList<>();
            for (SilenceRule silence : ended) {
                List<UUID> firing = new ArrayList<>();
                for (AlertRepository.AlertLabels alert : open) {
                    Map<String, String> labels = RoutingTree.routingLabels(alert.labels(), alert.severity(), alert.source());
                    if (silence.matches(labels) && stillSilenced.stream().noneMatch(other -> other.matches(labels))) {
                        firing.add(alert.id());
                    }
                }
                if (!firing.isEmpty()) {
                    wakes.add(Tuple.of(firing.toArray(UUID[]::new), now, silence.endedNote()));
                }
            }
            Uni<Void> woken = wakes.isEmpty() ? Uni.createFrom().voidItem()
                    : connection.preparedQuery("update " + schema + ".notification_group g set next_flush_at = $2,"
                            + " pending_note = $3 where g.id = any(array(select m.group_id from unnest($1::uuid[]) as r(id)"
                            + " cross join lateral (select group_id from " + schema + ".group_alert m"
                            + " where m.alert_id = r.id and m.notified_status is null offset 0) m))").executeBatch(wakes)
                            .replaceWithVoid();
            return woken.chain(() -> silences.announced(connection, ended.stream().map(SilenceRule::id).toList(), now));
        }));
    }
}
