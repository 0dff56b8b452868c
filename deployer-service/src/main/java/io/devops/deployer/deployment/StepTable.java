package io.devops.deployer.deployment;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Every statement on {@code deployment_step}, a rollout's history. */
@ApplicationScoped
public class StepTable {
    private final String table;

    StepTable(PlatformSettings settings) {
        this.table = settings.schema() + ".deployment_step";
    }

    /** Appends steps after the deployment's last one, in list order; the caller holds the deployment's row. */
    public Uni<Void> append(SqlClient client, UUID deploymentId, List<RolloutStep> steps) {
        if (steps.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery("insert into " + table + " (deployment_id, seq, action, detail, actor, at)"
                + " select $1, (select coalesce(max(seq), 0) from " + table + " where deployment_id = $1) + s.n,"
                + " s.action, s.detail, s.actor, s.at"
                + " from unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[]) with ordinality as s(action, detail, actor, at, n)")
                .execute(Tuple.of(deploymentId, steps.stream().map(RolloutStep::action).toArray(String[]::new),
                        steps.stream().map(RolloutStep::detail).toArray(String[]::new),
                        steps.stream().map(RolloutStep::actor).toArray(String[]::new),
                        steps.stream().map(RolloutStep::at).toArray(OffsetDateTime[]::new)))
                .replaceWithVoid();
    }

    /** The histories of these deployments, each in order. */
    public Uni<Map<UUID, List<RolloutStep>>> of(SqlClient client, List<UUID> deploymentIds) {
        if (deploymentIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("select deployment_id, action, detail, actor, at from " + table
                + " where deployment_id = any($1) order by deployment_id, seq")
                .execute(Tuple.of((Object) deploymentIds.toArray(UUID[]::new))).map(rows -> {
                    Map<UUID, List<RolloutStep>> steps = new HashMap<>();
                    for (Row row : rows) {
                        steps.computeIfAbsent(row.getUUID(0), id -> new ArrayList<>())
                                .add(new RolloutStep(row.getString(1), row.getString(2), row.getString(3), row.getOffsetDateTime(4)));
                    }
                    return steps;
                });
    }
}
