package io.devops.deployer.dora;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads the DORA figures from the deployer's own history and the alerts it keeps from alerting:
 * deployment frequency (successful deployments a day), lead time (commit to success, for
 * deployments that carry their commit time), change failure rate (deployments, rollbacks aside,
 * that failed, were rolled back, or were later rolled back by a person) and time to restore (how
 * long the service's alerts fired before they resolved, deployment alerts included).
 */
@ApplicationScoped
public class DoraBook {
    private final Pool pool;
    private final String deployments;
    private final String alerts;

    DoraBook(Pool pool, PlatformSettings settings) {
        this.pool = pool;
        this.deployments = settings.schema() + ".deployment";
        this.alerts = settings.schema() + ".alert_signal";
    }

    @WithSpan("deployer.dora")
    public Uni<List<DoraFigures>> figures(UUID serviceId, String serviceName, String environment, OffsetDateTime from,
            OffsetDateTime to) {
        Tuple args = Tuple.of(from, to, serviceId, serviceName, environment);
        Uni<List<Row>> changes = pool.preparedQuery("""
                select service_id, max(service_name), environment,
                    count(*) filter (where status = 'succeeded'),
                    array_agg(extract(epoch from completed_at - commit_time)::float8)
                        filter (where status = 'succeeded' and commit_time is not null),
                    count(*) filter (where rollback_of is null and status in ('succeeded', 'failed', 'rolled_back')),
                    count(*) filter (where rollback_of is null
                        and (status in ('failed', 'rolled_back') or rolled_back_by is not null))
                from %s
                where created_at >= $1 and created_at < $2 and ($3::uuid is null or service_id = $3)
                    and ($4::text is null or lower(service_name) = lower($4)) and ($5::text is null or environment = $5)
                group by service_id, environment order by max(service_name), environment""".formatted(deployments))
                .execute(args).map(DoraBook::list);
        Uni<List<Row>> restores = pool.preparedQuery("""
                select service_id, service_name, environment, extract(epoch from ends_at - starts_at)::float8
                from %s
                where status = 'resolved' and ends_at >= $1 and ends_at < $2 and starts_at is not null
                    and severity in ('warning', 'critical') and ($3::uuid is null or service_id = $3)
                    and ($4::text is null or lower(service_name) = lower($4)) and ($5::text is null or environment is null
                    or environment = $5)
                limit 100000""".formatted(alerts))
                .execute(args).map(DoraBook::list);
        return Uni.combine().all().unis(changes, restores).with((changeRows, restoreRows) -> {
            Map<String, DoraFigures.Facts> facts = new LinkedHashMap<>();
            for (Row row : changeRows) {
                Double[] leads = row.getArrayOfDoubles(4);
                List<Double> restoreTimes = new ArrayList<>();
                for (Row alert : restoreRows) {
                    boolean sameService = row.getUUID(0).equals(alert.getUUID(0)) || row.getString(1).equals(alert.getString(1));
                    boolean sameEnvironment = alert.getString(2) == null || alert.getString(2).equals(row.getString(2));
                    if (sameService && sameEnvironment) {
                        restoreTimes.add(alert.getDouble(3));
                    }
                }
                facts.put(row.getUUID(0) + "/" + row.getString(2), new DoraFigures.Facts(row.getUUID(0), row.getString(1),
                        row.getString(2), row.getLong(3), leads == null ? List.of() : List.of(leads), row.getLong(5),
                        row.getLong(6), restoreTimes));
            }
            return facts.values().stream().map(f -> DoraFigures.of(f, from, to)).toList();
        });
    }

    private static List<Row> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Row> all = new ArrayList<>(rows.size());
        rows.forEach(all::add);
        return all;
    }
}
