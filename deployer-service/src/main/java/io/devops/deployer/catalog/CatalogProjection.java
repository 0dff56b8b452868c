package io.devops.deployer.catalog;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.PlatformSettings;
import io.devops.common.consumer.TransientFailures;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.ServiceSnapshot;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The deployer's projection of the service catalog ({@code catalog_service}), followed from the
 * compacted {@code registry.services}: a snapshot is stored unless a newer revision is (so a
 * replay changes nothing), a tombstone deletes. A deployment names its service from here, by id or
 * by name, and takes the image repository from the service's {@code image} metadata.
 */
@ApplicationScoped
public class CatalogProjection {
    static final String IMAGE_METADATA = "image";
    static final String CONSUMER = "deployer.catalog";

    private final EventCodec codec;
    private final Pool pool;
    private final TransientFailures retries;
    private final String table;

    CatalogProjection(EventCodec codec, Pool pool, TransientFailures retries, PlatformSettings settings) {
        this.codec = codec;
        this.pool = pool;
        this.retries = retries;
        this.table = settings.schema() + ".catalog_service";
    }

    @Incoming("registry-services")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        UUID id = IncomingEvent.idKey(record);
        if (record.value() == null) {
            String delete = "delete from " + table + " where id = $1";
            return retries.retried(CONSUMER, () -> pool.preparedQuery(delete).execute(Tuple.of(id))).replaceWithVoid();
        }
        ServiceSnapshot snapshot = codec.decode(IncomingEvent.from(record), ServiceSnapshot.CONTRACT);
        String image = snapshot.metadata() == null ? null : snapshot.metadata().get(IMAGE_METADATA);
        String upsert = "insert into " + table + " (id, name, environment, version, image, revision, updated_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do update set name = excluded.name,"
                + " environment = excluded.environment, version = excluded.version, image = excluded.image,"
                + " revision = excluded.revision, updated_at = excluded.updated_at where " + table + ".revision <= excluded.revision";
        return retries.retried(CONSUMER, () -> pool.preparedQuery(upsert)
                .execute(Tuple.from(new Object[] { id, snapshot.name(), snapshot.environment(), snapshot.version(), image,
                        snapshot.revision(), Timestamps.now() })))
                .replaceWithVoid();
    }
}
