package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.alerting.notify.GroupRouter;
import io.devops.common.events.AlertEvent;
import io.devops.common.events.Topic;
import io.devops.common.outbox.Outbox;
import io.devops.common.paging.Page;
import io.devops.common.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The alert lifecycle: open (firing) → acknowledged → resolved. Every change is written with its
 * history step and its {@code alerting.alerts} event in one transaction (the outbox), so the topic
 * sees every committed change, in order per fingerprint, and nothing else.
 */
@ApplicationScoped
public class AlertBook {
    public static final String OPEN = "open";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";
    /** Who resolves an alert whose end passed. */
    public static final String EXPIRY = "expiry";

    private final AlertRepository repository;
    private final AlertMapper mapper;
    private final Outbox outbox;
    private final MeterRegistry meters;
    private final GroupRouter groups;

    AlertBook(AlertRepository repository, AlertMapper mapper, Outbox outbox, MeterRegistry meters, GroupRouter groups) {
        this.repository = repository;
        this.mapper = mapper;
        this.outbox = outbox;
        this.meters = meters;
        this.groups = groups;
    }

    /** What a firing did: opened a new alert, or fired an unresolved one again. */
    public record Fired(AlertView alert, boolean opened) {
    }

    /** Raises an alert by hand: a firing from the {@code manual} source. */
    @WithSpan("alerting.raise")
    public Uni<Fired> raise(@NotNull(message = "a JSON body is required") @Valid ManualAlert request, String actor) {
        Map<String, Object> metadata = request.metadata() == null ? Map.of() : request.metadata();
        return fire(new AlertFiring("manual", request.title().strip(), request.message(), request.severity(),
                blankToNull(request.serviceName()), request.labels() == null ? Map.of() : request.labels(), Map.of(),
                metadata, null, null), actor);
    }

    /**
     * A firing from any source. While an alert with the same fingerprint is unresolved, this is that
     * alert firing again (deduplicated: its description and end are refreshed); otherwise it opens
     * a new alert.
     */
    @WithTransaction
    @WithSpan("alerting.fire")
    public Uni<Fired> fire(AlertFiring firing, String actor) {
        Map<String, String> labels = firing.identifyingLabels();
        String fingerprint = firing.fingerprint();
        return repository.lockFingerprint(fingerprint)
                .chain(() -> repository.findUnresolved(fingerprint))
                .chain(existing -> {
                    OffsetDateTime now = now();
                    if (existing != null) {
                        // Prometheus re-sends a firing alert every minute: only a changed one is worth a history step.
                        boolean changed = !Objects.equals(existing.message, firing.message())
                                || !existing.severity.equals(firing.severity())
                                || !existing.title.equals(firing.title())
                                || !Objects.equals(existing.serviceName, firing.serviceName())
                                || !mapper.labels(existing.annotations).equals(firing.annotations());
                        // a renamed service's alert takes the new name
                        existing.title = firing.title();
                        existing.serviceName = firing.serviceName();
                        existing.labels = mapper.json(labels);
                        existing.message = firing.message();
                        existing.severity = firing.severity();
                        existing.annotations = mapper.json(new TreeMap<>(firing.annotations()));
                        existing.endsAt = firing.endsAt();
                        existing.lastFiredAt = now;
                        existing.fireCount++;
                        existing.updatedAt = now;
                        Uni<Void> step = changed
                                ? AlertHistoryEntry.of(existing.id, now, AlertHistoryEntry.FIRED_AGAIN, actor, null).persist()
                                        .replaceWithVoid()
                                : Uni.createFrom().voidItem();
                        return step.invoke(() -> count("alerting.alerts.deduplicated", firing))
                                .map(ignored -> new Fired(mapper.toView(existing), false));
                    }
                    Alert row = new Alert();
                    row.id = UUID.randomUUID();
                    row.fingerprint = fingerprint;
                    row.title = firing.title();
                    row.message = firing.message();
                    row.severity = firing.severity();
                    row.serviceName = firing.serviceName();
                    row.status = OPEN;
                    row.source = firing.source();
                    row.labels = mapper.json(labels);
                    row.annotations = mapper.json(new TreeMap<>(firing.annotations()));
                    row.metadata = mapper.json(firing.metadata());
                    row.startsAt = firing.startsAt() == null ? now : firing.startsAt();
                    row.endsAt = firing.endsAt();
                    row.lastFiredAt = now;
                    row.fireCount = 1;
                    row.createdAt = now;
                    row.updatedAt = now;
                    return row.persist()
                            .chain(() -> AlertHistoryEntry.of(row.id, now, AlertHistoryEntry.FIRED, actor, null).persist())
                            .chain(() -> publish(row))
                            // the alert's row must exist before its group membership refers to it
                            .chain(() -> Panache.flush())
                            .chain(() -> groups.opened(row.id, labels, row.severity, row.source, now))
                            .invoke(() -> count("alerting.alerts.opened", firing))
                            .map(ignored -> new Fired(mapper.toView(row), true));
                });
    }

    @WithSession
    @WithSpan("alerting.get")
    public Uni<AlertDetail> get(@SpanAttribute("alert.id") UUID id) {
        return repository.findById(id).chain(found -> {
            Alert row = require(found, id);
            return repository.history(id).chain(steps -> repository.notifications(id).map(notifications -> new AlertDetail(
                    mapper.toView(row), steps.stream().map(step -> new AlertDetail.Step(step.at, step.action, step.actor,
                            step.comment)).toList(), mapper.notifications(notifications))));
        });
    }

    @WithSession
    @WithSpan("alerting.list")
    public Uni<Page<AlertView>> list(AlertQuery query) {
        return repository.search(query, mapper.json(query.labels()))
                .map(page -> new Page<>(page.items().stream().map(mapper::toView).toList(), page.total()));
    }

    /** Someone is on it: notifications for the alert stop. Only an open alert can be acknowledged. */
    @WithTransaction
    @WithSpan("alerting.acknowledge")
    public Uni<AlertView> acknowledge(@SpanAttribute("alert.id") UUID id, @Valid AlertNote note, String actor) {
        return repository.findForUpdate(id).chain(found -> {
            Alert row = require(found, id);
            if (!OPEN.equals(row.status)) {
                return Uni.createFrom().failure(ProblemException.conflict("alert " + id + " is " + row.status
                        + (ACKNOWLEDGED.equals(row.status) ? " (by " + row.acknowledgedBy + ")" : "")
                        + "; only an open alert can be acknowledged"));
            }
            OffsetDateTime now = now();
            row.status = ACKNOWLEDGED;
            row.acknowledgedAt = now;
            row.acknowledgedBy = actor;
            row.updatedAt = now;
            return AlertHistoryEntry.of(id, now, AlertHistoryEntry.ACKNOWLEDGED, actor, comment(note)).persist()
                    .chain(() -> publish(row))
                    .invoke(() -> meters.counter("alerting.alerts.acknowledged", "severity", row.severity).increment())
                    .map(ignored -> mapper.toView(row));
        });
    }

    /** Resolves an open or acknowledged alert by hand; a later firing of it opens a new alert. */
    @WithTransaction
    @WithSpan("alerting.resolve")
    public Uni<AlertView> resolve(@SpanAttribute("alert.id") UUID id, @Valid AlertNote note, String actor) {
        return repository.findForUpdate(id).chain(found -> {
            Alert row = require(found, id);
            if (RESOLVED.equals(row.status)) {
                return Uni.createFrom().failure(ProblemException.conflict("alert " + id + " was resolved at "
                        + row.resolvedAt + (row.resolvedBy == null ? "" : " by " + row.resolvedBy)));
            }
            return close(row, actor, comment(note), "hand").map(ignored -> mapper.toView(row));
        });
    }

    /**
     * The source of a firing says it is over: resolves the unresolved alert with the firing's
     * fingerprint, if there is one. Returns whether there was.
     */
    @WithTransaction
    @WithSpan("alerting.resolve-firing")
    public Uni<Boolean> resolveFiring(AlertFiring firing, String actor) {
        String fingerprint = firing.fingerprint();
        return repository.lockFingerprint(fingerprint)
                .chain(() -> repository.findUnresolved(fingerprint))
                .chain(row -> row == null ? Uni.createFrom().item(false)
                        : close(row, actor, firing.message(), "source").replaceWith(true));
    }

    /**
     * Resolves up to {@code max} alerts whose end has passed: an alert Prometheus stops re-sending
     * resolves at its {@code endsAt}, as in Alertmanager. Returns how many it resolved.
     */
    @WithTransaction
    @WithSpan("alerting.expire")
    public Uni<Integer> expire(int max) {
        return repository.expiredForUpdate(now(), max).chain(rows -> Multi.createFrom().iterable(rows)
                .onItem().transformToUniAndConcatenate(row -> close(row, EXPIRY, "not re-sent before its end", "expiry"))
                .collect().asList().map(List::size));
    }

    private Uni<Void> close(Alert row, String actor, String comment, String by) {
        OffsetDateTime now = now();
        row.status = RESOLVED;
        row.resolvedAt = now;
        row.resolvedBy = actor;
        row.endsAt = now;
        row.updatedAt = now;
        return AlertHistoryEntry.of(row.id, now, AlertHistoryEntry.RESOLVED, actor, comment).persist()
                .chain(() -> publish(row))
                .chain(() -> groups.resolved(row.id, now))
                .invoke(() -> meters.counter("alerting.alerts.resolved", "severity", row.severity, "by", by).increment());
    }

    private Uni<Void> publish(Alert row) {
        return outbox.append(Topic.ALERTING_ALERTS, row.fingerprint, AlertEvent.TYPE, mapper.toEvent(row));
    }

    private void count(String name, AlertFiring firing) {
        meters.counter(name, "source", firing.source(), "severity", firing.severity()).increment();
    }

    private static Alert require(Alert row, UUID id) {
        if (row == null) {
            throw ProblemException.notFound("no alert with id " + id);
        }
        return row;
    }

    private static String comment(AlertNote note) {
        return note == null ? null : blankToNull(note.comment());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static OffsetDateTime now() {
        // Microseconds: what PostgreSQL keeps, so a view built before the write equals one read after.
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
