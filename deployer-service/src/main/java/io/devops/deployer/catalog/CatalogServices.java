package io.devops.deployer.catalog;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Finds a catalogued service by its id or its name. */
@ApplicationScoped
public class CatalogServices {
    private final Pool pool;
    private final String table;

    CatalogServices(Pool pool, PlatformSettings settings) {
        this.pool = pool;
        this.table = settings.schema() + ".catalog_service";
    }

    /** The service {@code reference} names: an id if it parses as one, else a name (case-insensitive). */
    public Uni<Optional<KnownService>> find(String reference) {
        String select = "select id, name, environment, version, image from " + table;
        UUID id = asUuid(reference);
        Uni<RowSet<Row>> rows = id != null
                ? pool.preparedQuery(select + " where id = $1").execute(Tuple.of(id))
                : pool.preparedQuery(select + " where lower(name) = lower($1) order by updated_at desc limit 1")
                        .execute(Tuple.of(reference.strip()));
        return rows.map(found -> {
            if (found.size() == 0) {
                return Optional.empty();
            }
            Row row = found.iterator().next();
            return Optional.of(new KnownService(row.getUUID(0), row.getString(1), row.getString(2), row.getString(3),
                    row.getString(4)));
        });
    }

    private static UUID asUuid(String reference) {
        try {
            return UUID.fromString(reference.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
