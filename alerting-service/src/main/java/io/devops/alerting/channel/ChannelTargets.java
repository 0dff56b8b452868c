package io.devops.alerting.channel;

import static io.devops.alerting.JsonColumns.OBJECT;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.JsonColumns;
import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Channels as the notification path reads them, in its own transaction on the reactive client. */
@ApplicationScoped
public class ChannelTargets {
    private final JsonColumns json;
    private final SecretBox box;
    private final String table;

    ChannelTargets(JsonColumns json, SecretBox box, PlatformSettings settings) {
        this.json = json;
        this.box = box;
        this.table = settings.schema() + ".channel";
    }

    /** Every channel's id by its name. */
    public Uni<Map<String, UUID>> idsByName(SqlClient connection) {
        return connection.preparedQuery("select name, id from " + table).execute().map(rows -> {
            Map<String, UUID> byName = new HashMap<>();
            rows.forEach(row -> byName.put(row.getString(0), row.getUUID(1)));
            return byName;
        });
    }

    /** The channels with these ids that exist, with their secrets opened. */
    public Uni<Map<UUID, ChannelTarget>> byId(SqlClient connection, UUID[] ids) {
        return connection.preparedQuery("select id, name, type, settings::text, secrets from " + table + " where id = any($1)")
                .execute(Tuple.of(ids)).map(rows -> {
                    Map<UUID, ChannelTarget> byId = new HashMap<>();
                    for (Row row : rows) {
                        byId.put(row.getUUID(0), target(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3),
                                row.getString(4)));
                    }
                    return byId;
                });
    }

    /** A channel stored with these values; its secrets null when they cannot be opened. */
    ChannelTarget target(UUID id, String name, String type, String settings, String secrets) {
        return new ChannelTarget(id, name, ChannelType.of(type), json.read(settings, OBJECT), secrets(secrets));
    }

    /** The secrets stored sealed; null when they cannot be opened with the key this service has. */
    Map<String, Object> secrets(String stored) {
        String opened = box.openOrNull(stored);
        return opened == null ? null : json.read(opened, OBJECT);
    }
}
