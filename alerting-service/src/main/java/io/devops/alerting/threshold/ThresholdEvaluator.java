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

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.alerting.JsonColumns;
import io.devops.alerting.alert.AlertBook;
import io.devops.alerting.alert.AlertFiring;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.PlatformSettings;
import io.devops.common.consumer.IdempotentConsumer;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MalformedEventException;
import io.devops.common.events.MetricBatch;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

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

    private final IdempotentConsumer idempotent;
    private final EventCodec codec;
    private final AlertBook book;
    private final JsonColumns json;
    private final String schema;

    ThresholdEvaluator(IdempotentConsumer idempotent, EventCodec codec, AlertBook book, JsonColumns json,
            PlatformSettings settings) {
        this.idempotent = idempotent;
        this.codec = codec;
        this.book = book;
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
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        if (!MetricBatch.TYPE.equals(event.type())) {
            throw new MalformedEventException("unexpected event type " + event.type() + " on " + record.topic());
        }
        MetricBatch batch = codec.decode(event, MetricBatch.class);
        if (batch.nodeId() == null || batch.collectedAt() == null || batch.samples() == null) {
            throw new MalformedEventException("event " + event.id() + " lacks node_id, collected_at or samples");
        }
        return idempotent.processOnce(CONSUMER, event, () -> evaluate(batch));
    }

    private Uni<Void> evaluate(MetricBatch batch) {
        return Panache.getSession().chain(session -> session.createNativeQuery("select cast(coalesce(json_agg(json_build_object("
                + "'id', id, 'name', name, 'metric', metric, 'matchers', matchers, 'comparison', comparison, 'threshold', threshold,"
                + " 'for_ms', for_ms, 'severity', severity, 'per_node', per_node, 'group_by', group_by, 'labels', labels,"
                + " 'annotations', annotations)), '[]') as text) from " + schema + ".threshold_rule where enabled", String.class)
                .getSingleResult())
                .chain(text -> {
                    List<Rule> rules = rules(text);
                    if (rules.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    return states(batch.nodeId()).chain(states -> act(batch, steps(batch, rules, states)));
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

    private Uni<Void> act(MetricBatch batch, List<Step> steps) {
        return Multi.createFrom().iterable(steps).onItem().transformToUniAndConcatenate(step -> {
            boolean wasFiring = step.before() != null && step.before().firing();
            boolean firing = step.after() != null && step.after().firing();
            Uni<Void> saved = step.after() == null ? forget(batch.nodeId(), step) : save(batch, step);
            if (firing && !wasFiring) {
                // the alert is open already when another of its series fires (another core, another node)
                return stillFiring(step).chain(open -> saved.chain(() -> open ? Uni.createFrom().voidItem()
                        : book.fire(firing(batch, step), ACTOR).replaceWithVoid()));
            }
            if (wasFiring && !firing) {
                return saved.chain(() -> stillFiring(step)).chain(others -> others ? Uni.createFrom().voidItem()
                        : book.resolveFiring(firing(batch, step), ACTOR).replaceWithVoid());
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

    private Uni<Map<String, State>> states(String nodeId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("select cast(coalesce(json_agg(json_build_object("
                + "'rule_id', rule_id, 'series', series, 'pending_since', pending_since, 'firing', firing)), '[]') as text) from "
                + schema + ".rule_state where node_id = :node", String.class).setParameter("node", nodeId).getSingleResult())
                .map(text -> {
                    Map<String, State> states = new HashMap<>();
                    json.tree(text).forEach(row -> states.put(row.get("rule_id").asText() + "|" + row.get("series").asText(),
                            new State(OffsetDateTime.parse(row.get("pending_since").asText()), row.get("firing").asBoolean())));
                    return states;
                });
    }

    private Uni<Void> save(MetricBatch batch, Step step) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into " + schema + ".rule_state"
                + " (rule_id, node_id, series, alert_key, pending_since, firing, value, evaluated_at)"
                + " values (:rule, :node, :series, :key, :since, :firing, :value, :at)"
                + " on conflict (rule_id, node_id, series) do update set alert_key = excluded.alert_key,"
                + " pending_since = excluded.pending_since, firing = excluded.firing, value = excluded.value,"
                + " evaluated_at = excluded.evaluated_at")
                .setParameter("rule", step.rule().id()).setParameter("node", batch.nodeId()).setParameter("series", step.series())
                .setParameter("key", step.alertKey()).setParameter("since", step.after().pendingSince())
                .setParameter("firing", step.after().firing()).setParameter("value", step.value())
                .setParameter("at", batch.collectedAt()).executeUpdate()).replaceWithVoid();
    }

    private Uni<Void> forget(String nodeId, Step step) {
        if (step.before() == null) {
            return Uni.createFrom().voidItem();
        }
        return Panache.getSession().chain(session -> session.createNativeQuery("delete from " + schema + ".rule_state"
                + " where rule_id = :rule and node_id = :node and series = :series").setParameter("rule", step.rule().id())
                .setParameter("node", nodeId).setParameter("series", step.series()).executeUpdate()).replaceWithVoid();
    }

    /** Whether another series of the same alert (another node's, for a fleet-wide rule) still fires. */
    private Uni<Boolean> stillFiring(Step step) {
        return Panache.getSession().chain(session -> session.createNativeQuery("select cast(count(*) as text) from " + schema
                + ".rule_state where rule_id = :rule and alert_key = :key and firing", String.class)
                .setParameter("rule", step.rule().id()).setParameter("key", step.alertKey()).getSingleResult())
                .map(count -> Long.parseLong(count) > 0);
    }

    private List<Rule> rules(String text) {
        List<Rule> rules = new ArrayList<>();
        json.tree(text).forEach(row -> rules.add(new Rule(UUID.fromString(row.get("id").asText()), row.get("name").asText(),
                row.get("metric").asText(), json.read(row.get("matchers").toString(), STRINGS).stream().map(LabelMatcher::parse)
                        .toList(), row.get("comparison").asText(), row.get("threshold").asDouble(), row.get("for_ms").asLong(),
                row.get("severity").asText(), row.get("per_node").asBoolean(), json.read(row.get("group_by").toString(), STRINGS),
                json.read(row.get("labels").toString(), LABELS), json.read(row.get("annotations").toString(), LABELS))));
        return rules;
    }
}
