package io.devops.alerting.threshold;

import static io.devops.common.sql.JsonColumns.LABELS;
import static io.devops.common.sql.JsonColumns.STRINGS;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.common.sql.JsonColumns;
import io.devops.alerting.routing.LabelMatcher;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.time.Durations;
import io.devops.common.time.Timestamps;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Threshold rules: created, changed and deleted through the API, on the reactive client through
 * {@link ThresholdRuleTable}; a change starts the rule's series afresh.
 */
@ApplicationScoped
public class RuleBook {
    private static final Duration LONGEST_FOR = Duration.ofDays(7);

    private final ThresholdRuleTable rules;
    private final RuleStateTable states;
    private final Pool pool;
    private final JsonColumns json;
    private final InstantSource clock;

    RuleBook(ThresholdRuleTable rules, RuleStateTable states, Pool pool, JsonColumns json, InstantSource clock) {
        this.rules = rules;
        this.states = states;
        this.pool = pool;
        this.json = json;
        this.clock = clock;
    }

    @WithSpan("alerting.rules.create")
    public Uni<RuleView> create(@NotNull(message = "a JSON body is required") @Valid RuleRequest request) {
        ThresholdRule rule = new ThresholdRule();
        rule.id = UUID.randomUUID();
        rule.createdAt = Timestamps.now(clock);
        apply(rule, request);
        return pool.withTransaction(connection -> unusedName(connection, request.name(), rule.id)
                .chain(() -> rules.insert(connection, rule))).map(ignored -> view(rule));
    }

    @WithSpan("alerting.rules.list")
    public Uni<List<RuleView>> list() {
        return rules.list(pool).map(rows -> rows.stream().map(this::view).toList());
    }

    @WithSpan("alerting.rules.get")
    public Uni<RuleView> get(@SpanAttribute("rule.id") UUID id) {
        return rules.find(pool, id).map(found -> view(require(found, id)));
    }

    /** Replaces the rule; its series start afresh (their state was measured against the old condition). */
    @WithSpan("alerting.rules.update")
    public Uni<RuleView> update(@SpanAttribute("rule.id") UUID id,
            @NotNull(message = "a JSON body is required") @Valid RuleRequest request) {
        return pool.withTransaction(connection -> rules.find(connection, id).chain(found -> {
            ThresholdRule rule = require(found, id);
            apply(rule, request);
            return unusedName(connection, request.name(), id)
                    .chain(() -> rules.update(connection, rule))
                    .chain(() -> states.forget(connection, id))
                    .map(ignored -> view(rule));
        }));
    }

    /** Deletes the rule; its alerts stay as they are, for someone to resolve. */
    @WithSpan("alerting.rules.delete")
    public Uni<Void> delete(@SpanAttribute("rule.id") UUID id) {
        return rules.delete(pool, id).invoke(deleted -> {
            if (!deleted) {
                throw ProblemException.notFound("no rule with id " + id);
            }
        }).replaceWithVoid();
    }

    private void apply(ThresholdRule rule, RuleRequest request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        List<String> matchers = new ArrayList<>();
        List<String> given = request.matchers() == null ? List.of() : request.matchers();
        for (int i = 0; i < given.size(); i++) {
            try {
                matchers.add(LabelMatcher.parse(given.get(i)).toString());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("matchers[" + i + "]", e.getMessage()));
            }
        }
        Duration forDuration = Duration.ZERO;
        if (request.forDuration() != null) {
            try {
                forDuration = Durations.parse(request.forDuration());
                if (forDuration.compareTo(LONGEST_FOR) > 0) {
                    errors.add(new Problem.FieldError("for", "must be at most " + Durations.format(LONGEST_FOR)));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("for", e.getMessage()));
            }
        }
        if (request.threshold() != null && (request.threshold().isNaN() || request.threshold().isInfinite())) {
            errors.add(new Problem.FieldError("threshold", "must be a finite number"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidFields("the rule is invalid", errors);
        }
        rule.name = request.name();
        rule.metric = request.metric().strip();
        rule.matchers = json.write(matchers);
        rule.comparison = request.comparison();
        rule.threshold = request.threshold();
        rule.forMs = forDuration.toMillis();
        rule.severity = request.severity() == null ? "warning" : request.severity();
        rule.perNode = request.perNode() == null || request.perNode();
        rule.groupBy = json.write(request.groupBy() == null ? List.of() : request.groupBy());
        rule.labels = json.write(request.labels() == null ? Map.of() : request.labels());
        rule.annotations = json.write(request.annotations() == null ? Map.of() : request.annotations());
        rule.enabled = request.enabled() == null || request.enabled();
        rule.updatedAt = Timestamps.now(clock);
    }

    private Uni<Void> unusedName(SqlClient client, String name, UUID except) {
        return rules.named(client, name, except).invoke(taken -> {
            if (taken) {
                throw ProblemException.conflict("a rule named '" + name + "' exists");
            }
        }).replaceWithVoid();
    }

    private RuleView view(ThresholdRule rule) {
        return new RuleView(rule.id, rule.name, rule.metric, json.read(rule.matchers, STRINGS), rule.comparison, rule.threshold,
                Durations.format(Duration.ofMillis(rule.forMs)), rule.severity, rule.perNode, json.read(rule.groupBy, STRINGS),
                json.read(rule.labels, LABELS), json.read(rule.annotations, LABELS), rule.enabled, rule.createdAt, rule.updatedAt);
    }

    private static ThresholdRule require(ThresholdRule rule, UUID id) {
        if (rule == null) {
            throw ProblemException.notFound("no rule with id " + id);
        }
        return rule;
    }

}
