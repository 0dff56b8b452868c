package io.devops.alerting.silence;

import static io.devops.common.sql.JsonColumns.STRINGS;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.sql.JsonColumns;
import io.devops.common.sql.RowMapping;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The silence table, its one mapping (a {@link RowMapping}): every read and write of it, for
 * {@link SilenceBook} and for the notification path (which reads silences as {@link SilenceRule}s in
 * its own transaction), on the reactive client.
 */
@ApplicationScoped
public class Silences {
    private static final RowMapping<Silence> MAPPING = RowMapping.of(Silence::new)
            .column("id", s -> s.id, (s, row, i) -> s.id = row.getUUID(i))
            .json("matchers", s -> s.matchers, (s, row, i) -> s.matchers = row.getString(i))
            .column("starts_at", s -> s.startsAt, (s, row, i) -> s.startsAt = row.getOffsetDateTime(i))
            .column("ends_at", s -> s.endsAt, (s, row, i) -> s.endsAt = row.getOffsetDateTime(i))
            .column("created_by", s -> s.createdBy, (s, row, i) -> s.createdBy = row.getString(i))
            .column("comment", s -> s.comment, (s, row, i) -> s.comment = row.getString(i))
            .column("created_at", s -> s.createdAt, (s, row, i) -> s.createdAt = row.getOffsetDateTime(i))
            .column("updated_at", s -> s.updatedAt, (s, row, i) -> s.updatedAt = row.getOffsetDateTime(i))
            .column("ended_notice_at", s -> s.endedNoticeAt, (s, row, i) -> s.endedNoticeAt = row.getOffsetDateTime(i));
    private static final String COLUMNS = MAPPING.select();

    private final JsonColumns json;
    private final String table;

    Silences(JsonColumns json, PlatformSettings settings) {
        this.json = json;
        this.table = settings.schema() + ".silence";
    }

    Uni<Void> insert(SqlClient client, Silence silence) {
        return client.preparedQuery(MAPPING.insert(table)).execute(MAPPING.tuple(silence)).replaceWithVoid();
    }

    /** The silence, locked until the transaction ends when {@code lock}; null when there is none. */
    Uni<Silence> find(SqlClient client, UUID id, boolean lock) {
        return client.preparedQuery("select " + COLUMNS + " from " + table + " where id = $1" + (lock ? " for update" : ""))
                .execute(Tuple.of(id)).map(MAPPING::first);
    }

    /** Up to {@code max} silences matching {@code where} (on $1, {@code now}; every silence when null), in the order given. */
    Uni<List<Silence>> list(SqlClient client, String where, String order, OffsetDateTime now, int max) {
        String select = "select " + COLUMNS + " from " + table;
        return (where == null ? client.preparedQuery(select + " order by " + order + " limit $1").execute(Tuple.of(max))
                : client.preparedQuery(select + " where " + where + " order by " + order + " limit $2").execute(Tuple.of(now, max)))
                .map(MAPPING::all);
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

    private List<SilenceRule> rules(RowSet<Row> rows) {
        List<SilenceRule> rules = new ArrayList<>(rows.size());
        for (Silence silence : MAPPING.all(rows)) {
            rules.add(new SilenceRule(silence.id, matchers(silence).stream().map(LabelMatcher::parse).toList(), silence.comment,
                    silence.createdBy, silence.endsAt));
        }
        return rules;
    }
}
