package io.devops.alerting.alert;

import static io.devops.common.time.Timestamps.now;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.alerting.notify.GroupRouter;
import io.devops.common.PlatformSettings;
import io.devops.common.events.AlertEvent;
import io.devops.common.events.Topic;
import io.devops.common.outbox.Outbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes the alert lifecycle set-wise, in the caller's transaction on the raw SQL client: a whole
 * poll of signals costs a handful of statements (locks, one lookup, batched inserts and updates,
 * the history, the outbox, the notification groups) instead of a round of them per alert. Every
 * change is written with its history step and its {@code alerting.alerts} event, so the topic sees
 * every committed change, in order per fingerprint, and nothing else.
 */
@ApplicationScoped
public class AlertWriter {
    static final String COLUMNS = "id, fingerprint, title, message, severity, service_name, status, source, "
            + "labels::text as labels, annotations::text as annotations, metadata::text as metadata, starts_at, ends_at, "
            + "last_fired_at, fire_count, created_at, updated_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by";
    private static final String ROW_VALUES = "$2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11::text::jsonb,"
            + " $12, $13, $14, $15, $16, $17, $18, $19, $20, $21";

    private final AlertMapper mapper;
    private final Outbox outbox;
    private final GroupRouter groups;
    private final MeterRegistry meters;
    private final String table;
    private final String history;

    AlertWriter(AlertMapper mapper, Outbox outbox, GroupRouter groups, MeterRegistry meters, PlatformSettings settings) {
        this.mapper = mapper;
        this.outbox = outbox;
        this.groups = groups;
        this.meters = meters;
        this.table = settings.schema() + ".alert";
        this.history = settings.schema() + ".alert_history";
    }

    /** What a signal did: the alert as the batch left it (null when a resolve found none), and whether it opened. */
    public record Outcome(Alert alert, boolean opened) {
    }

    /** Everything a batch changes, written at its end. */
    private final class Changes {
        final OffsetDateTime now = now();
        final Map<UUID, Alert> inserted = new LinkedHashMap<>();
        final Map<UUID, Alert> updated = new LinkedHashMap<>();
        final List<Tuple> steps = new ArrayList<>();
        final List<Outbox.Message> events = new ArrayList<>();
        final List<GroupRouter.Opening> openings = new ArrayList<>();
        final Set<UUID> resolved = new LinkedHashSet<>();

        void step(Alert row, String action, String actor, String comment) {
            steps.add(Tuple.of(row.id, now, action, actor, comment));
        }

        void publish(Alert row) {
            events.add(new Outbox.Message(Topic.ALERTING_ALERTS, row.fingerprint, AlertEvent.TYPE, mapper.toEvent(row)));
        }

        void changed(Alert row) {
            if (!inserted.containsKey(row.id)) {
                updated.put(row.id, row);
            }
        }

        void close(Alert row, String actor, String comment, String by) {
            row.status = AlertBook.RESOLVED;
            row.resolvedAt = now;
            row.resolvedBy = actor;
            row.endsAt = now;
            row.updatedAt = now;
            changed(row);
            step(row, AlertHistoryEntry.RESOLVED, actor, comment);
            publish(row);
            resolved.add(row.id);
            meters.counter("alerting.alerts.resolved", "severity", row.severity, "by", by).increment();
        }
    }

    /**
     * Applies signals in their order. A firing while an alert with its fingerprint is unresolved is
     * that alert firing again (deduplicated: its description and end are refreshed); otherwise it
     * opens a new alert. A resolve closes the unresolved alert with its fingerprint, if there is one.
     * Returns one outcome per signal.
     */
    public Uni<List<Outcome>> apply(SqlConnection connection, List<AlertSignal> signals) {
        if (signals.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] fingerprints = new String[signals.size()];
        for (int i = 0; i < fingerprints.length; i++) {
            fingerprints[i] = signals.get(i).firing().fingerprint();
        }
        // Locks in one order (sorted) so two batches never wait on each other in a cycle; two firings
        // of one alert at the same moment queue up instead of both creating it.
        String[] sorted = new TreeSet<>(List.of(fingerprints)).toArray(String[]::new);
        return connection.preparedQuery("select count(pg_advisory_xact_lock(hashtextextended(f, 0))) from unnest($1::text[]) f")
                .execute(Tuple.of((Object) sorted))
                .chain(() -> connection.preparedQuery("select " + COLUMNS + " from " + table
                        + " where fingerprint = any($1) and status <> 'resolved'").execute(Tuple.of((Object) sorted)))
                .chain(rows -> {
                    Map<String, Alert> unresolved = new HashMap<>();
                    for (Row row : rows) {
                        Alert alert = mapper.fromRow(row);
                        unresolved.put(alert.fingerprint, alert);
                    }
                    Changes changes = new Changes();
                    List<Outcome> outcomes = new ArrayList<>(signals.size());
                    for (int i = 0; i < fingerprints.length; i++) {
                        AlertSignal signal = signals.get(i);
                        Alert existing = unresolved.get(fingerprints[i]);
                        if (signal.resolves()) {
                            if (existing != null) {
                                changes.close(existing, signal.actor(), signal.firing().message(), "source");
                                unresolved.remove(fingerprints[i]);
                            }
                            outcomes.add(new Outcome(existing, false));
                        } else if (existing != null) {
                            fireAgain(existing, signal, changes);
                            outcomes.add(new Outcome(existing, false));
                        } else {
                            Alert opened = open(fingerprints[i], signal, changes);
                            unresolved.put(fingerprints[i], opened);
                            outcomes.add(new Outcome(opened, true));
                        }
                    }
                    return write(connection, changes).replaceWith(outcomes);
                });
    }

    /** The alert, locked until the transaction ends, so concurrent changes to one alert queue up; null when none. */
    public Uni<Alert> lock(SqlConnection connection, UUID id) {
        return connection.preparedQuery("select " + COLUMNS + " from " + table + " where id = $1 for update")
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : mapper.fromRow(rows.iterator().next()));
    }

    /** Someone is on it: the alert (open, locked) becomes acknowledged, so its notifications stop. */
    public Uni<Void> acknowledge(SqlConnection connection, Alert row, String actor, String comment) {
        Changes changes = new Changes();
        row.status = AlertBook.ACKNOWLEDGED;
        row.acknowledgedAt = changes.now;
        row.acknowledgedBy = actor;
        row.updatedAt = changes.now;
        changes.changed(row);
        changes.step(row, AlertHistoryEntry.ACKNOWLEDGED, actor, comment);
        changes.publish(row);
        meters.counter("alerting.alerts.acknowledged", "severity", row.severity).increment();
        return write(connection, changes);
    }

    /** Resolves unresolved, locked alerts: by hand, or because their end passed ({@code by} says which). */
    public Uni<Void> resolve(SqlConnection connection, List<Alert> rows, String actor, String comment, String by) {
        Changes changes = new Changes();
        rows.forEach(row -> changes.close(row, actor, comment, by));
        return write(connection, changes);
    }

    /** Unresolved alerts whose end has passed (their source stopped re-sending them), locked, oldest end first. */
    public Uni<List<Alert>> expired(SqlConnection connection, int max) {
        return connection.preparedQuery("select " + COLUMNS + " from " + table + " where status <> 'resolved' and ends_at < $1"
                + " order by ends_at limit $2 for update skip locked").execute(Tuple.of(now(), max))
                .map(rows -> {
                    List<Alert> expired = new ArrayList<>(rows.size());
                    rows.forEach(row -> expired.add(mapper.fromRow(row)));
                    return expired;
                });
    }

    private void fireAgain(Alert existing, AlertSignal signal, Changes changes) {
        AlertFiring firing = signal.firing();
        // Prometheus re-sends a firing alert every minute: only a changed one is worth a history step.
        boolean changed = !Objects.equals(existing.message, firing.message())
                || !existing.severity.equals(firing.severity())
                || !existing.title.equals(firing.title())
                || !Objects.equals(existing.serviceName, firing.serviceName())
                || !mapper.labels(existing.annotations).equals(firing.annotations());
        // a renamed service's alert takes the new name
        existing.title = firing.title();
        existing.serviceName = firing.serviceName();
        existing.labels = mapper.json(firing.identifyingLabels());
        existing.message = firing.message();
        existing.severity = firing.severity();
        existing.annotations = mapper.json(new TreeMap<>(firing.annotations()));
        existing.endsAt = firing.endsAt();
        existing.lastFiredAt = changes.now;
        existing.fireCount++;
        existing.updatedAt = changes.now;
        changes.changed(existing);
        if (changed) {
            changes.step(existing, AlertHistoryEntry.FIRED_AGAIN, signal.actor(), null);
        }
        count("alerting.alerts.deduplicated", firing);
    }

    private Alert open(String fingerprint, AlertSignal signal, Changes changes) {
        AlertFiring firing = signal.firing();
        Map<String, String> labels = firing.identifyingLabels();
        Alert row = new Alert();
        row.id = UUID.randomUUID();
        row.fingerprint = fingerprint;
        row.title = firing.title();
        row.message = firing.message();
        row.severity = firing.severity();
        row.serviceName = firing.serviceName();
        row.status = AlertBook.OPEN;
        row.source = firing.source();
        row.labels = mapper.json(labels);
        row.annotations = mapper.json(new TreeMap<>(firing.annotations()));
        row.metadata = mapper.json(firing.metadata());
        row.startsAt = firing.startsAt() == null ? changes.now : firing.startsAt();
        row.endsAt = firing.endsAt();
        row.lastFiredAt = changes.now;
        row.fireCount = 1;
        row.createdAt = changes.now;
        row.updatedAt = changes.now;
        changes.inserted.put(row.id, row);
        changes.step(row, AlertHistoryEntry.FIRED, signal.actor(), null);
        changes.publish(row);
        changes.openings.add(new GroupRouter.Opening(row.id, labels, row.severity, row.source));
        count("alerting.alerts.opened", firing);
        return row;
    }

    /**
     * Writes a batch's changes. Alert rows first: every writer takes its alert row locks before any
     * group row lock, so a batch and a change by hand never wait on each other in a cycle.
     */
    private Uni<Void> write(SqlConnection connection, Changes changes) {
        Uni<Void> written = Uni.createFrom().voidItem();
        if (!changes.inserted.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery("insert into " + table + " (id, fingerprint, title, message,"
                    + " severity, service_name, status, source, labels, annotations, metadata, starts_at, ends_at, last_fired_at,"
                    + " fire_count, created_at, updated_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by) values ($1, "
                    + ROW_VALUES + ")").executeBatch(changes.inserted.values().stream().map(AlertWriter::tuple).toList())
                    .replaceWithVoid());
        }
        if (!changes.updated.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery("update " + table + " set (fingerprint, title, message,"
                    + " severity, service_name, status, source, labels, annotations, metadata, starts_at, ends_at, last_fired_at,"
                    + " fire_count, created_at, updated_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by) = ("
                    + ROW_VALUES + ") where id = $1")
                    .executeBatch(changes.updated.values().stream().map(AlertWriter::tuple).toList()).replaceWithVoid());
        }
        if (!changes.steps.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery("insert into " + history
                    + " (alert_id, at, action, actor, comment) values ($1, $2, $3, $4, $5)").executeBatch(changes.steps)
                    .replaceWithVoid());
        }
        return written.chain(() -> outbox.append(connection, changes.events))
                .chain(() -> groups.opened(connection, changes.openings, changes.now))
                .chain(() -> groups.resolved(connection, changes.resolved, changes.now));
    }

    private static Tuple tuple(Alert row) {
        return Tuple.from(Arrays.asList(row.id, row.fingerprint, row.title, row.message, row.severity,
                row.serviceName, row.status, row.source, row.labels, row.annotations, row.metadata, row.startsAt, row.endsAt,
                row.lastFiredAt, row.fireCount, row.createdAt, row.updatedAt, row.acknowledgedAt, row.acknowledgedBy,
                row.resolvedAt, row.resolvedBy));
    }

    private void count(String name, AlertFiring firing) {
        meters.counter(name, "source", firing.source(), "severity", firing.severity()).increment();
    }
}
