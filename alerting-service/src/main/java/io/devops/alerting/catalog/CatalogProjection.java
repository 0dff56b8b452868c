package io.devops.alerting.catalog;

import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.sql.JsonColumns;
import io.devops.common.PlatformSettings;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.time.Timestamps;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The projection of the service catalog that alerting keeps (the {@code catalog_service} table),
 * followed from the compacted {@code registry.services}: each snapshot is stored unless a newer revision is (so a replay
 * changes nothing), a tombstone deletes. A tag {@code severity:critical} (or {@code =}) on a
 * service sets the severity of its health alerts.
 */
@ApplicationScoped
public class CatalogProjection {
    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    private final EventCodec codec;
    private final JsonColumns json;
    private final InstantSource clock;
    private final String table;

    CatalogProjection(EventCodec codec, JsonColumns json, PlatformSettings settings, InstantSource clock) {
        this.codec = codec;
        this.clock = clock;
        this.json = json;
        this.table = settings.schema() + ".catalog_service";
    }

    @Incoming("registry-services")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        UUID id = IncomingEvent.idKey(record);
        if (record.value() == null) {
            return Panache.getSession().chain(session -> session.createNativeQuery("delete from " + table + " where id = :id")
                    .setParameter("id", id).executeUpdate()).replaceWithVoid();
        }
        ServiceSnapshot snapshot = codec.decode(IncomingEvent.from(record), ServiceSnapshot.CONTRACT);
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into " + table
                + " (id, name, tags, revision, updated_at) values (:id, :name, cast(cast(:tags as text) as jsonb), :revision, :at)"
                + " on conflict (id) do update set name = excluded.name, tags = excluded.tags, revision = excluded.revision,"
                + " updated_at = excluded.updated_at where " + table + ".revision <= excluded.revision")
                .setParameter("id", id).setParameter("name", snapshot.name())
                .setParameter("tags", json.write(snapshot.tags() == null ? List.of() : snapshot.tags()))
                .setParameter("revision", snapshot.revision()).setParameter("at", Timestamps.now(clock))
                .executeUpdate()).replaceWithVoid();
    }

    /** The severities the tags of these services ask for their health alerts, for those whose tags ask for one. */
    public Uni<Map<UUID, String>> severities(SqlConnection connection, Set<UUID> serviceIds) {
        if (serviceIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return connection.preparedQuery("select id, tags::text from " + table + " where id = any($1)")
                .execute(Tuple.of((Object) serviceIds.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, String> severities = new HashMap<>();
                    for (Row row : rows) {
                        severity(json.read(row.getString(1), JsonColumns.STRINGS))
                                .ifPresent(level -> severities.put(row.getUUID(0), level));
                    }
                    return severities;
                });
    }

    static Optional<String> severity(List<String> tags) {
        for (String tag : tags) {
            String text = tag.strip().toLowerCase(Locale.ROOT);
            if (text.startsWith("severity:") || text.startsWith("severity=")) {
                String level = text.substring("severity:".length()).strip();
                if (SEVERITIES.contains(level)) {
                    return Optional.of(level);
                }
            }
        }
        return Optional.empty();
    }
}
