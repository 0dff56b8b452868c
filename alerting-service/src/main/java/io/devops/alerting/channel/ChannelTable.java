package io.devops.alerting.channel;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.sql.RowMapping;
import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The channel table: its one mapping (a {@link RowMapping}), and every statement on it
 * ({@link ChannelBook}'s, the notification path's through {@link ChannelTargets}, {@link SecretBox}'s
 * sealing), on the reactive client.
 */
@ApplicationScoped
public class ChannelTable {

    /** The key first. */
    private static final RowMapping<Channel> MAPPING = RowMapping.of(Channel::new)
            .column("id", c -> c.id, (c, row, i) -> c.id = row.getUUID(i))
            .column("name", c -> c.name, (c, row, i) -> c.name = row.getString(i))
            .column("type", c -> c.type, (c, row, i) -> c.type = row.getString(i))
            .json("settings", c -> c.settings, (c, row, i) -> c.settings = row.getString(i))
            .column("secrets", c -> c.secrets, (c, row, i) -> c.secrets = row.getString(i))
            .column("created_at", c -> c.createdAt, (c, row, i) -> c.createdAt = row.getOffsetDateTime(i))
            .column("updated_at", c -> c.updatedAt, (c, row, i) -> c.updatedAt = row.getOffsetDateTime(i));

    private final String table;
    private final String select;
    private final String insert;
    private final String update;

    ChannelTable(PlatformSettings settings) {
        this.table = settings.schema() + ".channel";
        this.select = "select " + MAPPING.select() + " from " + table;
        this.insert = MAPPING.insert(table);
        this.update = MAPPING.update(table);
    }

    /** The channel, locked until the transaction ends when {@code lock}; null when there is none. */
    Uni<Channel> find(SqlClient client, UUID id, boolean lock) {
        return client.preparedQuery(select + " where id = $1" + (lock ? " for update" : "")).execute(Tuple.of(id))
                .map(MAPPING::first);
    }

    /** The channel of that name, locked until the transaction ends; null when there is none. */
    Uni<Channel> named(SqlClient client, String name) {
        return client.preparedQuery(select + " where name = $1 for update").execute(Tuple.of(name)).map(MAPPING::first);
    }

    /** Every channel, by name. */
    Uni<List<Channel>> list(SqlClient client) {
        return client.preparedQuery(select + " order by name").execute().map(MAPPING::all);
    }

    /** The channels with these ids that exist. */
    Uni<List<Channel>> withIds(SqlClient client, UUID[] ids) {
        return client.preparedQuery(select + " where id = any($1)").execute(Tuple.of(ids)).map(MAPPING::all);
    }

    /** Every channel's id by its name. */
    Uni<Map<String, UUID>> idsByName(SqlClient client) {
        return client.preparedQuery("select name, id from " + table).execute().map(rows -> {
            Map<String, UUID> byName = new HashMap<>();
            rows.forEach(row -> byName.put(row.getString(0), row.getUUID(1)));
            return byName;
        });
    }

    /** Whether a channel other than the one with id {@code except} (any channel when null) has this name. */
    Uni<Boolean> nameTaken(SqlClient client, String name, UUID except) {
        return client.preparedQuery("select count(*) from " + table + " where name = $1 and id is distinct from $2")
                .execute(Tuple.of(name, except)).map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    Uni<Void> insert(SqlClient client, Channel channel) {
        return client.preparedQuery(insert).execute(MAPPING.tuple(channel)).replaceWithVoid();
    }

    /** Writes every column but the id. */
    Uni<Void> update(SqlClient client, Channel channel) {
        return client.preparedQuery(update).execute(MAPPING.tuple(channel)).replaceWithVoid();
    }

    Uni<Void> delete(SqlClient client, UUID id) {
        return client.preparedQuery("delete from " + table + " where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    /** The stored secrets that are not {@code like} the pattern, by channel id. */
    Uni<Map<UUID, String>> secretsNotLike(SqlClient client, String pattern) {
        return client.preparedQuery("select id, secrets from " + table + " where secrets not like $1").execute(Tuple.of(pattern))
                .map(rows -> {
                    Map<UUID, String> secrets = new LinkedHashMap<>();
                    rows.forEach(row -> secrets.put(row.getUUID(0), row.getString(1)));
                    return secrets;
                });
    }

    /** Replaces a channel's stored secrets if they are still {@code expected}; whether they were. */
    Uni<Boolean> replaceSecrets(SqlClient client, UUID id, String expected, String replacement) {
        return client.preparedQuery("update " + table + " set secrets = $2 where id = $1 and secrets = $3")
                .execute(Tuple.of(id, replacement, expected)).map(rows -> rows.rowCount() > 0);
    }
}
