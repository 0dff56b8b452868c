package io.devops.alerting.silence;

import static io.devops.alerting.JsonColumns.LABELS;
import static io.devops.alerting.JsonColumns.STRINGS;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.AlertingSettings;
import io.devops.alerting.alert.AlertBook;
import io.devops.alerting.notify.Periodic;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.alerting.routing.RoutingTree;
import io.devops.common.PlatformSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The notice Alertmanager does not give: when a silence ends while alerts it muted still fire
 * (unacknowledged and not muted by another silence), their groups are made due at once with a note
 * saying so, and the next notification announces them as firing. Each ending is handled once.
 */
@ApplicationScoped
public class SilenceEndings {
    private final Pool pool;
    private final JsonColumns json;
    private final String schema;
    private final Periodic ticker;

    SilenceEndings(Pool pool, JsonColumns json, PlatformSettings settings, Vertx vertx, AlertingSettings alerting) {
        this.pool = pool;
        this.json = json;
        this.schema = settings.schema();
        this.ticker = new Periodic(vertx, alerting.notifications().pollInterval(), "announcing ended silences",
                Logger.getLogger(SilenceEndings.class), this::announce);
    }

    private record Ended(UUID id, List<LabelMatcher> matchers, String comment, String createdBy, OffsetDateTime endsAt) {
    }

    void start(@Observes StartupEvent started) {
        ticker.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        ticker.stop();
    }

    Uni<Void> announce() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(connection -> connection.preparedQuery("select id, matchers::text, comment, created_by, ends_at"
                + " from " + schema + ".silence where ends_at <= $1 and ended_notice_at is null order by ends_at limit 100"
                + " for update skip locked").execute(Tuple.of(now)).chain(rows -> {
                    List<Ended> ended = new ArrayList<>();
                    for (Row row : rows) {
                        ended.add(new Ended(row.getUUID(0), json.read(row.getString(1), STRINGS).stream().map(LabelMatcher::parse)
                                .toList(), row.getString(2), row.getString(3), row.getOffsetDateTime(4)));
                    }
                    return ended.isEmpty() ? Uni.createFrom().voidItem() : announce(connection, ended, now);
                }));
    }

    private Uni<Void> announce(SqlConnection connection, List<Ended> ended, OffsetDateTime now) {
        Uni<List<List<LabelMatcher>>> active = connection.preparedQuery("select matchers::text from " + schema
                + ".silence where starts_at <= $1 and ends_at > $1").execute(Tuple.of(now)).map(rows -> {
                    List<List<LabelMatcher>> silences = new ArrayList<>();
                    rows.forEach(row -> silences.add(json.read(row.getString(0), STRINGS).stream().map(LabelMatcher::parse).toList()));
                    return silences;
                });
        return active.chain(stillSilenced -> connection.preparedQuery("select id, labels::text, severity, source from " + schema
                + ".alert where status = $1").execute(Tuple.of(AlertBook.OPEN)).chain(alerts -> {
                    List<Tuple> wakes = new ArrayList<>();
                    for (Ended silence : ended) {
                        List<UUID> firing = new ArrayList<>();
                        for (Row alert : alerts) {
                            Map<String, String> labels = RoutingTree.routingLabels(json.read(alert.getString(1), LABELS),
                                    alert.getString(2), alert.getString(3));
                            if (LabelMatcher.all(silence.matchers(), labels)
                                    && stillSilenced.stream().noneMatch(matchers -> LabelMatcher.all(matchers, labels))) {
                                firing.add(alert.getUUID(0));
                            }
                        }
                        if (!firing.isEmpty()) {
                            String note = "Silence " + silence.id() + " (\"" + silence.comment() + "\""
                                    + (silence.createdBy() == null ? "" : ", by " + silence.createdBy()) + ") ended at "
                                    + silence.endsAt() + "; these alerts still fire.";
                            wakes.add(Tuple.of(firing.toArray(UUID[]::new), now, note));
                        }
                    }
                    Uni<Void> woken = wakes.isEmpty() ? Uni.createFrom().voidItem()
                            : connection.preparedQuery("update " + schema + ".notification_group g set next_flush_at = $2,"
                                    + " pending_note = $3 where g.id = any(array(select m.group_id from unnest($1::uuid[]) as r(id)"
                                    + " cross join lateral (select group_id from " + schema + ".group_alert m"
                                    + " where m.alert_id = r.id and m.notified_status is null offset 0) m))").executeBatch(wakes).replaceWithVoid();
                    return woken.chain(() -> connection.preparedQuery("update " + schema + ".silence set ended_notice_at = $2"
                            + " where id = any($1)").execute(Tuple.of(ended.stream().map(Ended::id).toArray(UUID[]::new), now)))
                            .replaceWithVoid();
                }));
    }
}
