package io.devops.alerting.threshold;

import java.time.OffsetDateTime;
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

/**
 * The rule_state table, its one mapping: where each series of each rule stands, read and written
 * by the {@link ThresholdEvaluator} and cleared by {@link RuleBook} when a rule changes, on the
 * reactive client it is given.
 */
@ApplicationScoped
class RuleStateTable {
    /** Where a series stands: holding since {@code pendingSince}, firing or not. */
    record State(OffsetDateTime pendingSince, boolean firing) {
    }

    private final String table;

    RuleStateTable(PlatformSettings settings) {
        this.table = settings.schema() + ".rule_state";
    }

    /** The states of the node's series, by {@link #key}. */
    Uni<Map<String, State>> states(SqlClient client, String nodeId) {
        return client.preparedQuery("select rule_id, series, pending_since, firing from " + table + " where node_id = $1")
                .execute(Tuple.of(nodeId)).map(rows -> {
                    Map<String, State> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(key(row.getUUID(0), row.getString(1)), new State(row.getOffsetDateTime(2), row.getBoolean(3)));
                    }
                    return states;
                });
    }

    /** A series' key in {@link #states}. */
    static String key(UUID ruleId, String series) {
        return ruleId + "|" + series;
    }

    /** Writes where the series stands, its last value and when that was measured. */
    Uni<Void> save(SqlClient client, UUID ruleId, String nodeId, String series, String alertKey, State state, double value,
            OffsetDateTime evaluatedAt) {
        return client.preparedQuery("insert into " + table
                + " (rule_id, node_id, series, alert_key, pending_since, firing, value, evaluated_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8)"
                + " on conflict (rule_id, node_id, series) do update set alert_key = excluded.alert_key,"
                + " pending_since = excluded.pending_since, firing = excluded.firing, value = excluded.value,"
                + " evaluated_at = excluded.evaluated_at")
                .execute(Tuple.from(List.of(ruleId, nodeId, series, alertKey, state.pendingSince(), state.firing(), value,
                        evaluatedAt)))
                .replaceWithVoid();
    }

    /** Forgets the series: its condition no longer holds. */
    Uni<Void> forget(SqlClient client, UUID ruleId, String nodeId, String series) {
        return client.preparedQuery("delete from " + table + " where rule_id = $1 and node_id = $2 and series = $3")
                .execute(Tuple.of(ruleId, nodeId, series)).replaceWithVoid();
    }

    /** Forgets every series of the rule, which start afresh. */
    Uni<Void> forget(SqlClient client, UUID ruleId) {
        return client.preparedQuery("delete from " + table + " where rule_id = $1").execute(Tuple.of(ruleId)).replaceWithVoid();
    }

    /** Whether a series of the rule's alert under {@code alertKey} fires. */
    Uni<Boolean> firing(SqlClient client, UUID ruleId, String alertKey) {
        return client.preparedQuery("select exists (select 1 from " + table + " where rule_id = $1 and alert_key = $2 and firing)")
                .execute(Tuple.of(ruleId, alertKey)).map(rows -> rows.iterator().next().getBoolean(0));
    }
}
