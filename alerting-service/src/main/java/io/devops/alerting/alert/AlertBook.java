package io.devops.alerting.alert;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import io.devops.common.paging.Page;
import io.devops.common.problem.ProblemException;
import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The alert lifecycle ({@link AlertStatus}): open (firing) → acknowledged → resolved. Changes go
 * through {@link AlertWriter}, each call in a transaction of its own, and are announced with
 * {@link AlertsCommitted} once committed; reads go through the repository.
 */
@ApplicationScoped
public class AlertBook {
    /** Who resolves an alert whose end passed. */
    public static final String EXPIRY = "expiry";

    private final AlertRepository repository;
    private final AlertMapper mapper;
    private final AlertWriter writer;
    private final Pool pool;
    private final Event<AlertsCommitted> committed;

    AlertBook(AlertRepository repository, AlertMapper mapper, AlertWriter writer, Pool pool, Event<AlertsCommitted> committed) {
        this.repository = repository;
        this.mapper = mapper;
        this.writer = writer;
        this.pool = pool;
        this.committed = committed;
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

    /** A firing from any source: see {@link AlertWriter#apply}. */
    @WithSpan("alerting.fire")
    public Uni<Fired> fire(AlertFiring firing, String actor) {
        return pool.withTransaction(connection -> writer.apply(connection, List.of(AlertSignal.fire(firing, actor))))
                .invoke(this::announceCommitted)
                .map(outcomes -> new Fired(mapper.toView(outcomes.get(0).alert()), outcomes.get(0).opened()));
    }

    /** Signals from a source, in their order, in one transaction: see {@link AlertWriter#apply}. */
    @WithSpan("alerting.record")
    public Uni<Void> record(List<AlertSignal> signals) {
        return pool.withTransaction(connection -> writer.apply(connection, signals)).invoke(this::announceCommitted).replaceWithVoid();
    }

    @WithSpan("alerting.get")
    public Uni<AlertDetail> get(@SpanAttribute("alert.id") UUID id) {
        return repository.findById(id).chain(found -> {
            Alert row = require(found, id);
            return repository.history(id).chain(steps -> repository.notifications(id).map(notifications -> new AlertDetail(
                    mapper.toView(row), steps, mapper.notifications(notifications))));
        });
    }

    @WithSpan("alerting.list")
    public Uni<Page<AlertView>> list(AlertQuery query) {
        return repository.search(query)
                .map(page -> new Page<>(page.items().stream().map(mapper::toView).toList(), page.total()));
    }

    /** Someone is on it: notifications for the alert stop. Only an open alert can be acknowledged. */
    @WithSpan("alerting.acknowledge")
    public Uni<AlertView> acknowledge(@SpanAttribute("alert.id") UUID id, @Valid AlertNote note, String actor) {
        return pool.withTransaction(connection -> writer.lock(connection, id).chain(found -> {
            Alert row = require(found, id);
            if (!AlertStatus.OPEN.equals(row.status)) {
                return Uni.createFrom().failure(ProblemException.conflict("alert " + id + " is " + row.status
                        + (AlertStatus.ACKNOWLEDGED.equals(row.status) ? " (by " + row.acknowledgedBy + ")" : "")
                        + "; only an open alert can be acknowledged"));
            }
            return writer.acknowledge(connection, row, actor, comment(note)).map(ignored -> mapper.toView(row));
        }));
    }

    /** Resolves an open or acknowledged alert by hand; a later firing of it opens a new alert. */
    @WithSpan("alerting.resolve")
    public Uni<AlertView> resolve(@SpanAttribute("alert.id") UUID id, @Valid AlertNote note, String actor) {
        return pool.withTransaction(connection -> writer.lock(connection, id).chain(found -> {
            Alert row = require(found, id);
            if (AlertStatus.RESOLVED.equals(row.status)) {
                return Uni.createFrom().failure(ProblemException.conflict("alert " + id + " was resolved at "
                        + row.resolvedAt + (row.resolvedBy == null ? "" : " by " + row.resolvedBy)));
            }
            return writer.resolve(connection, List.of(row), actor, comment(note), "hand").map(ignored -> mapper.toView(row));
        })).invoke(this::announceCommitted);
    }

    /**
     * Resolves up to {@code max} alerts whose end has passed: an alert Prometheus stops re-sending
     * resolves at its {@code endsAt}, as in Alertmanager. Returns how many it resolved.
     */
    @WithSpan("alerting.expire")
    public Uni<Integer> expire(int max) {
        return pool.withTransaction(connection -> writer.expired(connection, max).chain(rows -> writer.resolve(connection,
                rows, EXPIRY, "not re-sent before its end", "expiry").replaceWith(rows.size()))).invoke(this::announceCommitted);
    }

    private void announceCommitted() {
        committed.fire(new AlertsCommitted());
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
}
