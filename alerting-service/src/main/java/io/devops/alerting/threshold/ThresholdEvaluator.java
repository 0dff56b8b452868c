package io.devops.alerting.threshold;

import static io.devops.common.sql.JsonColumns.LABELS;
import static io.devops.common.sql.JsonColumns.STRINGS;

import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.sql.JsonColumns;
import io.devops.alerting.alert.AlertFiring;
import io.devops.alerting.alert.AlertSignal;
import io.devops.alerting.alert.SignalIntake;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.alerting.threshold.RuleStateTable.State;
import io.devops.common.events.MetricBatch;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

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
    private final JsonColumns json;
    private final ThresholdRuleTable ruleTable;
    private final RuleStateTable stateTable;

    ThresholdEvaluator(SignalIntake intake, JsonColumns json, ThresholdRuleTable ruleTable,
            RuleStateTable stateTable) {
        this.intake = intake;
        this.json = json;
        this.ruleTable = ruleTable;
        this.stateTable = stateTable;
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

    /** One series of one rule in this batch, and what to do about it. */
    private record Step(Rule rule, String series, String alertKey, Map<String, String> alertLabels, double value,
            State before, State after) {
    }

    @Incoming("metrics-samples")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        intake.consume(CONSUMER, records, MetricBatch.CONTRACT, this::evaluate);
    }

    /** The poll's batches one after another (a node's states move with each), against the rules read once. */
    private Uni<List<AlertSignal>> evaluate(SqlConnection connection, List<MetricBatch> batches) {
        return ruleTable.enabled(connection).chain(rows -> {
            List<Rule> enabled = rows.stream().map(this::rule).toList();
            List<AlertSignal> signals = new ArrayList<>();
            if (enabled.isEmpty()) {
                return Uni.createFrom().item(signals);
            }
            return Multi.createFrom().iterable(batches)
                    .onItem().transformToUniAndConcatenate(batch -> stateTable.states(connection, batch.nodeId())
                            .chain(before -> act(connection, batch, steps(batch, enabled, before), signals)))
                    .collect().last().replaceWith(signals);
        });
    }

    private Rule rule(ThresholdRule row) {
        return new Rule(row.id, row.name, row.metric, json.read(row.matchers, STRINGS).stream().map(LabelMatcher::parse).toList(),
                row.comparison, row.threshold, row.forMs, row.severity, row.perNode, json.read(row.groupBy, STRINGS),
                json.read(row.labels, LABELS), json.read(row.annotations, LABELS));
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
                State before = states.get(RuleStateTable.key(rule.id(), series));
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
            Uni<Void> saved = step.after() == null ? forget(connection, batch.nodeId(), step)
                    : stateTable.save(connection, step.rule().id(), batch.nodeId(), step.series(), step.alertKey(), step.after(),
                            step.value(), batch.collectedAt());
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

    private Uni<Void> forget(SqlConnection connection, String nodeId, Step step) {
        return step.before() == null ? Uni.createFrom().voidItem()
                : stateTable.forget(connection, step.rule().id(), nodeId, step.series());
    }

    /** Whether another series of the same alert (another node's, for a fleet-wide rule) still fires. */
    private Uni<Boolean> stillFiring(SqlConnection connection, Step step) {
        return stateTable.firing(connection, step.rule().id(), step.alertKey());
    }
}
