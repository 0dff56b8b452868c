package io.devops.alerting.threshold;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.common.sql.RowMapping;
import io.devops.common.PlatformSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The threshold_rule table: its one mapping (a {@link RowMapping}), and every statement on it
 * ({@link RuleBook}'s and the {@link ThresholdEvaluator}'s), run on the reactive client it is given.
 */
@ApplicationScoped
class ThresholdRuleTable {
    /** The key first. */
    private static final RowMapping<ThresholdRule> MAPPING = RowMapping.of(ThresholdRule::new)
            .column("id", r -> r.id, (r, row, i) -> r.id = row.getUUID(i))
            .column("name", r -> r.name, (r, row, i) -> r.name = row.getString(i))
            .column("metric", r -> r.metric, (r, row, i) -> r.metric = row.getString(i))
            .json("matchers", r -> r.matchers, (r, row, i) -> r.matchers = row.getString(i))
            .column("comparison", r -> r.comparison, (r, row, i) -> r.comparison = row.getString(i))
            .column("threshold", r -> r.threshold, (r, row, i) -> r.threshold = row.getDouble(i))
            .column("for_ms", r -> r.forMs, (r, row, i) -> r.forMs = row.getLong(i))
            .column("severity", r -> r.severity, (r, row, i) -> r.severity = row.getString(i))
            .column("per_node", r -> r.perNode, (r, row, i) -> r.perNode = row.getBoolean(i))
            .json("group_by", r -> r.groupBy, (r, row, i) -> r.groupBy = row.getString(i))
            .json("labels", r -> r.labels, (r, row, i) -> r.labels = row.getString(i))
            .json("annotations", r -> r.annotations, (r, row, i) -> r.annotations = row.getString(i))
            .column("enabled", r -> r.enabled, (r, row, i) -> r.enabled = row.getBoolean(i))
            .column("created_at", r -> r.createdAt, (r, row, i) -> r.createdAt = row.getOffsetDateTime(i))
            .column("updated_at", r -> r.updatedAt, (r, row, i) -> r.updatedAt = row.getOffsetDateTime(i));

    private final String table;
    private final String select;
    private final String insert;
    private final String update;

    ThresholdRuleTable(PlatformSettings settings) {
        this.table = settings.schema() + ".threshold_rule";
        this.select = "select " + MAPPING.select() + " from " + table;
        this.insert = MAPPING.insert(table);
        this.update = MAPPING.update(table);
    }

    Uni<Void> insert(SqlClient client, ThresholdRule rule) {
        return client.preparedQuery(insert).execute(MAPPING.tuple(rule)).replaceWithVoid();
    }

    /** Writes every column but the id. */
    Uni<Void> update(SqlClient client, ThresholdRule rule) {
        return client.preparedQuery(update).execute(MAPPING.tuple(rule)).replaceWithVoid();
    }

    /** Deletes the rule (its series' states go with it); false when there was none. */
    Uni<Boolean> delete(SqlClient client, UUID id) {
        return client.preparedQuery("delete from " + table + " where id = $1").execute(Tuple.of(id))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The rule; null when there is none. */
    Uni<ThresholdRule> find(SqlClient client, UUID id) {
        return client.preparedQuery(select + " where id = $1").execute(Tuple.of(id))
                .map(MAPPING::first);
    }

    /** Every rule, by name. */
    Uni<List<ThresholdRule>> list(SqlClient client) {
        return client.query(select + " order by name").execute().map(MAPPING::all);
    }

    /** The rules that are evaluated. */
    Uni<List<ThresholdRule>> enabled(SqlClient client) {
        return client.query(select + " where enabled").execute().map(MAPPING::all);
    }

    /** Whether a rule other than {@code except} has the name. */
    Uni<Boolean> named(SqlClient client, String name, UUID except) {
        return client.preparedQuery("select exists (select 1 from " + table + " where name = $1 and id <> $2)")
                .execute(Tuple.of(name, except)).map(rows -> rows.iterator().next().getBoolean(0));
    }
}
