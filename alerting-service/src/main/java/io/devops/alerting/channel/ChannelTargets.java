package io.devops.alerting.channel;

import static io.devops.common.sql.JsonColumns.OBJECT;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.sql.JsonColumns;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Channels as the notification path reads them, in its own transaction on the reactive client. */
@ApplicationScoped
public class ChannelTargets {
    private final ChannelTable channels;
    private final JsonColumns json;
    private final SecretBox box;

    ChannelTargets(ChannelTable channels, JsonColumns json, SecretBox box) {
        this.channels = channels;
        this.json = json;
        this.box = box;
    }

    /** Every channel's id by its name. */
    public Uni<Map<String, UUID>> idsByName(SqlClient connection) {
        return channels.idsByName(connection);
    }

    /** The channels with these ids that exist, with their secrets opened. */
    public Uni<Map<UUID, ChannelTarget>> byId(SqlClient connection, UUID[] ids) {
        return channels.withIds(connection, ids).map(found -> {
            Map<UUID, ChannelTarget> byId = new HashMap<>();
            found.forEach(channel -> byId.put(channel.id, target(channel)));
            return byId;
        });
    }

    /** The channel as a delivery needs it; its secrets null when they cannot be opened. */
    ChannelTarget target(Channel channel) {
        return new ChannelTarget(channel.id, channel.name, ChannelType.of(channel.type), json.read(channel.settings, OBJECT),
                secrets(channel.secrets));
    }

    /** The secrets stored sealed; null when they cannot be opened with the key this service has. */
    Map<String, Object> secrets(String stored) {
        String opened = box.openOrNull(stored);
        return opened == null ? null : json.read(opened, OBJECT);
    }
}
