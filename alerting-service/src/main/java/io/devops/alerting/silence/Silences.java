package io.devops.alerting.silence;

import static io.devops.alerting.JsonColumns.STRINGS;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The silence table, its one mapping: every read and write of it, for {@link SilenceBook} and for
 * the notification path (which reads silences as {@link SilenceRule}s in its own transaction), on
 * the reactive client. The matchers are jsonb, travelling as text.
 */
@ApplicationScoped
public class Silences {
    private static final String COLUMNS = "id, matchers::text as matchers, starts_at, ends_at, created_by, comment, created_at,"
            + " updated_at, ended_notice_at";

    private final JsonColumns json;
    private final String table;

    Silences(JsonColumns json, PlatformSettings settings) {
        this.json = json;
        this.table = settings.schema() + ".silence";
    }

    Uni<Void> insert(SqlClient client, Silence silence) {
        return client.preparedQuery("insert into " + table + " (id, matchers, starts_at, ends_at, created_by, comment, created_at,"
                + " updated_at, ended_notice_at) values ($1, $2::text::jsonb, $3, $4, $5, $6, $7, $8, $9)")
                .execute(Tuple.from(new Object[] { silence.id, silence.matchers, silence.startsAt, silence.endsAt,
                        silence.createdBy, silence.comment, silence.createdAt, silence.updatedAt, silence.endedNoticeAt }))
                .replaceWithVoid();
    }

    /** The silence, locked until the transaction ends when {@code lock}; null when there is none. */
    Uni<Silence> find(SqlClient client, UUID id, boolean lock) {
        return client.preparedQuery("select " + COLUMNS + " from " + table + " where id = $1" + (lock ? " for update" : ""))
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : read(rows.iterator().next()));
    }

    /** Up to {@code max} silences matching {@code where} (on $1, {@code now}; every silence when null), in the order given. */
    Uni<List<Silence>> list(SqlClient client, String where, String order, OffsetDateTime now, int max) {
        String select = "select " + COLUMNS + " from " + table;
        return (where == null ? client.preparedQuery(select + " order by " + order + " limit $1").execute(Tuple.of(max))
                : client.preparedQuery(select + " where " + where + " order by " + order + " limit $2").execute(Tuple.of(now, max)))
                .map(rows -> {
                    List<Silence> silences = new ArrayList<>(rows.size());
                    rows.forEach(row -> silences.add(read(row)));
                    return silences;
                });
    }

    /** Writes when the silence starts and ends. */
    Uni<Void> reschedule(SqlClient client, Silence silence) {
        return client.preparedQuery("update " + table + " set starts_at = $2, ends_at = $3, updated_at = $4 where id = $1")
                .execute(Tuple.of(silence.id, silence.startsAt, silence.endsAt, silence.updatedAt)).replaceWithVoid();
    }

    /** The silences active at {@code now}, and those that ended in the day before it (they explain why muted alerts are told now). */
    public Uni<List<SilenceRule>> recent(SqlClient client, OffsetDateTime now) {
        return client.preparedQuery("select " + COLUMNS + " from " + table + " where starts_at <= $1 and ends_at > $1 - interval '1 day'")
                .execute(Tuple.of(now)).map(this::rules);
    }

    /** The silences active at {@code now}. */
    public Uni<List<SilenceRule>> active(SqlClient client, OffsetDateTime now) {
        return client.preparedQuery("select " + COLUMNS + " from " + table + " where starts_at <= $1 and ends_at > $1")
                .execute(Tuple.of(now)).map(this::rules);
    }

    /** Up to {@code max} silences ended by {@code now} whose ending was not announced yet, locked (others skipped), earliest first. */
    public Uni<List<SilenceRule>> endedUnannounced(SqlClient client, OffsetDateTime now, int max) {
        return client.preparedQuery("select " + COLUMNS + " from " + table + " where ends_at <= $1 and ended_notice_at is null"
                + " order by ends_at limit $2 for update skip locked").execute(Tuple.of(now, max)).map(this::rules);
    }

    /** Records that the endings of these silences were announced. */
    public Uni<Void> announced(SqlClient client, Collection<UUID> ids, OffsetDateTime at) {
        return client.preparedQuery("update " + table + " set ended_notice_at = $2 where id = any($1)")
                .execute(Tuple.of(ids.toArray(UUID[]::new), at)).replaceWithVoid();
    }

    /** The matchers as written. */
    List<String> matchers(Silence silence) {
        return json.read(silence.matchers, STRINGS);
    }

    private static Silence read(Row row) {
        Silence silence = new Silence();
        silence.id = row.getUUID("id");
        silence.matchers = row.getString("matchers");
        silence.startsAt = row.getOffsetDateTime("starts_at");
        silence.endsAt = row.getOffsetDateTime("ends_at");
        silence.createdBy = row.getString("created_by");
        silence.comment = row.getString("comment");
        silence.createdAt = row.getOffsetDateTime("created_at");
        silence.updatedAt = row.getOffsetDateTime("updated_at");
        silence.endedNoticeAt = row.getOffsetDateTime("ended_notice_at");
        return silence;
    }

    private List<SilenceRule> rules(RowSet<Row> rows) {
        List<SilenceRule> rules = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Silence silence = read(row);
            rules.add(new SilenceRule(silence.id, matchers(silence).stream().map(LabelMatcher::parse).toList(), silence.comment,
                    silence.createdBy, silence.endsAt));
        }
        return rules;
    }
}
