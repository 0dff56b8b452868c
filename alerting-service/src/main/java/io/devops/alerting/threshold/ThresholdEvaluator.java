package io.devops.alerting.threshold;

import static io.devops.alerting.JsonColumns.LABELS;
import static io.devops.alerting.JsonColumns.STRINGS;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.alert.AlertFiring;
import io.devops.alerting.alert.AlertSignal;
import io.devops.alerting.alert.SignalIntake;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.PlatformSettings;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MetricBatch;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Evaluates the threshold rules on each node's batches from {@code metrics.samples}. Each series
 * (a rule, a node, the sample's labels) has a row saying since when its condition holds and
 * whether it fires; time is the batch's collection time, so a late or replayed batch is judged
 * as of when it was measured. A series that has held for the rule's {@code for} fires its alert
 * once (not on every sample); when it stops holding it no longer fires, and the alert resolves
 * when none of its series fires. Batches of a node come in order on one partition, and the
 * partition's owner is the only writer of that node's rows, so replicas share the work.
 */
@ApplicationScoped
public class ThresholdEvaluator {
    static final String CONSUMER = "alerting.threshold";
    static final String ACTOR = "threshold";

    private final SignalIntake intake;
    private final EventCodec codec;
    private final JsonColumns json;
    private final String schema;

    ThresholdEvaluator(SignalIntake intake, EventCodec codec, JsonColumns json, PlatformSettings settings) {
        this.intake = intake;
        this.codec = codec;
        this.json = json;
        this.schema = settings.schema();
    }

    private record Rule(UUID id, String name, String metric, List<LabelMatcher> matchers, String comparison, double threshold,
            long forMs, String severity, boolean perNode, List<String> groupBy, Map<String, String> labels,
            Map<String, String> annotations) {

        boolean holds(double value) {
            return switch (comparison) {
                case ">" -> value > threshold;
                case ">=" -> value >= threshold;
                case "<" -> value < threshold;
                case "<=" -> value <= threshold;
                case "==" -> value == threshold;
                default -> value != threshold;
            };
        }
    }

    private record State(OffsetDateTime pendingSince, boolean firing) {
    }

    /** One series of one rule in this batch, and what to do about it. */
    private record Step(Rule rule, String series, String alertKey, Map<String, String> alertLabels, double value,
            State before, State after) {
    }

    @Incoming("metrics-samples")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        intake.consume(CONSUMER, records, this::decode, this::evaluate);
    }

    private MetricBatch decode(IncomingEvent event) {
        return codec.decode(event, MetricBatch.CONTRACT);
    }

    /** The poll's batches one after another (a node's states move with each), against the rules read once. */
    private Uni<List<AlertSignal>> evaluate(SqlConnection connection, List<MetricBatch> batches) {
        return connection.preparedQuery("select id, name, metric, matchers::text, comparison, threshold, for_ms, severity,"
                + " per_node, group_by::text, labels::text, annotations::text from " + schema + ".threshold_rule where enabled")
                .execute().chain(rows -> {
                    List<Rule> rules = new ArrayList<>();
                    for (Row row : rows) {
                        rules.add(new Rule(row.getUUID(0), row.getString(1), row.getString(2),
                                json.read(row.getString(3), STRINGS).stream().map(LabelMatcher::parse).toList(),
                                row.getString(4), row.getDouble(5), row.getLong(6), row.getString(7), row.getBoolean(8),
                                json.read(row.getString(9), STRINGS), json.read(row.getString(10), LABELS),
                                json.read(row.getString(11), LABELS)));
                    }
                    List<AlertSignal> signals = new ArrayList<>();
                    if (rules.isEmpty()) {
                        return Uni.createFrom().item(signals);
                    }
                    return Multi.createFrom().iterable(batches)
                            .onItem().transformToUniAndConcatenate(batch -> states(connection, batch.nodeId())
                                    .chain(states -> act(connection, batch, steps(batch, rules, states), signals)))
                            .collect().last().replaceWith(signals);
                });
    }

    private List<Step> steps(MetricBatch batch, List<Rule> rules, Map<String, State> states) {
        OffsetDateTime at = batch.collectedAt();
        List<Step> steps = new ArrayList<>();
        for (MetricBatch.Sample sample : batch.samples()) {
            for (Rule rule : rules) {
                if (!rule.metric().equals(sample.name())) {
                    continue;
                }
                Map<String, String> labels = new TreeMap<>(sample.labels() == null ? Map.of() : sample.labels());
                labels.putIfAbsent("node_id", batch.nodeId());
                if (!LabelMatcher.all(rule.matchers(), labels)) {
                    continue;
                }
                String series = json.write(labels);
                State before = states.get(rule.id() + "|" + series);
                boolean holds = rule.holds(sample.value());
                State after;
                if (!holds) {
                    after = null;
                } else {
                    OffsetDateTime since = before == null ? at : before.pendingSince();
                    after = new State(since, before != null && before.firing()
                            || !at.isBefore(since.plus(rule.forMs(), ChronoUnit.MILLIS)));
                }
                Map<String, String> alertLabels = new TreeMap<>(rule.labels());
                if (rule.perNode()) {
                    alertLabels.put("node_id", batch.nodeId());
                }
                for (String name : rule.groupBy()) {
                    alertLabels.put(name, labels.getOrDefault(name, ""));
                }
                steps.add(new Step(rule, series, json.write(alertLabels), alertLabels, sample.value(), before, after));
            }
        }
        return steps;
    }

    private Uni<Void> act(SqlConnection connection, MetricBatch batch, List<Step> steps, List<AlertSignal> signals) {
        return Multi.createFrom().iterable(steps).onItem().transformToUniAndConcatenate(step -> {
            boolean wasFiring = step.before() != null && step.before().firing();
            boolean firing = step.after() != null && step.after().firing();
            Uni<Void> saved = step.after() == null ? forget(connection, batch.nodeId(), step) : save(connection, batch, step);
            if (firing && !wasFiring) {
                // the alert is open already when another of its series fires (another core, another node)
                return stillFiring(connection, step).chain(open -> saved.invoke(() -> {
                    if (!open) {
                        signals.add(AlertSignal.fire(firing(batch, step), ACTOR));
                    }
                }));
            }
            if (wasFiring && !firing) {
                return saved.chain(() -> stillFiring(connection, step)).invoke(others -> {
                    if (!others) {
                        signals.add(AlertSignal.resolve(firing(batch, step), ACTOR));
                    }
                }).replaceWithVoid();
            }
            return saved;
        }).collect().last().replaceWithVoid();
    }

    private AlertFiring firing(MetricBatch batch, Step step) {
        Rule rule = step.rule();
        Map<String, String> annotations = new TreeMap<>(rule.annotations());
        annotations.put("value", Double.toString(step.value()));
        annotations.put("threshold", rule.comparison() + " " + rule.threshold());
        if (batch.hostname() != null) {
            annotations.putIfAbsent("hostname", batch.hostname());
        }
        String message = rule.annotations().getOrDefault("summary", rule.metric() + " is " + step.value() + " ("
                + rule.comparison() + " " + rule.threshold() + ") on " + (batch.hostname() == null ? batch.nodeId() : batch.hostname()));
        return new AlertFiring("threshold", rule.name(), message, rule.severity(), null, step.alertLabels(), annotations,
                Map.of("rule_id", rule.id().toString(), "metric", rule.metric()), step.after() == null ? null
                        : step.after().pendingSince(), null);
    }

    private Uni<Map<String, State>> states(SqlConnection connection, String nodeId) {
        return connection.preparedQuery("select rule_id, series, pending_since, firing from " + schema
                + ".rule_state where node_id = $1").execute(Tuple.of(nodeId)).map(rows -> {
                    Map<String, State> states = new HashMap<>();
                    for (Row row : rows) {
                        states.put(row.getUUID(0) + "|" + row.getString(1), new State(row.getOffsetDateTime(2), row.getBoolean(3)));
                    }
                    return states;
                });
    }

    private Uni<Void> save(SqlConnection connection, MetricBatch batch, Step step) {
        return connection.preparedQuery("insert into " + schema + ".rule_state"
                + " (rule_id, node_id, series, alert_key, pending_since, firing, value, evaluated_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8)"
                + " on conflict (rule_id, node_id, series) do update set alert_key = excluded.alert_key,"
                + " pending_since = excluded.pending_since, firing = excluded.firing, value = excluded.value,"
                + " evaluated_at = excluded.evaluated_at")
                .execute(Tuple.from(List.of(step.rule().id(), batch.nodeId(), step.series(), step.alertKey(),
                        step.after().pendingSince(), step.after().firing(), step.value(), batch.collectedAt())))
                .replaceWithVoid();
    }

    private Uni<Void> forget(SqlConnection connection, String nodeId, Step step) {
        if (step.before() == null) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery("delete from " + schema + ".rule_state where rule_id = $1 and node_id = $2 and series = $3")
                .execute(Tuple.of(step.rule().id(), nodeId, step.series())).replaceWithVoid();
    }

    /** Whether another series of the same alert (another node's, for a fleet-wide rule) still fires. */
    private Uni<Boolean> stillFiring(SqlConnection connection, Step step) {
        return connection.preparedQuery("select exists (select 1 from " + schema
                + ".rule_state where rule_id = $1 and alert_key = $2 and firing)")
                .execute(Tuple.of(step.rule().id(), step.alertKey())).map(rows -> rows.iterator().next().getBoolean(0));
    }
}
