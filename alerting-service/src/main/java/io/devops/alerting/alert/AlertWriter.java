package io.devops.alerting.alert;

import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.util.ArrayList;
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

import io.devops.common.PlatformSettings;
import io.devops.common.events.AlertEvent;
import io.devops.common.events.Topic;
import io.devops.common.outbox.Outbox;
import io.devops.common.time.Timestamps;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes the alert lifecycle set-wise, in the caller's transaction on the raw SQL client: a whole
 * poll of signals costs a handful of statements (locks, one lookup, batched inserts and updates,
 * the history, the outbox, and what the {@link AlertChangeListener}s add) instead of a round of
 * them per alert. Every change is written with its history step and its {@code alerting.alerts}
 * event, so the topic sees every committed change, in order per fingerprint, and nothing else.
 */
@ApplicationScoped
public class AlertWriter {
    private final AlertMapper mapper;
    private final Outbox outbox;
    private final List<AlertChangeListener> listeners;
    private final MeterRegistry meters;
    private final InstantSource clock;
    private final String table;
    private final String insert;
    private final String update;
    private final String insertStep;

    AlertWriter(AlertMapper mapper, Outbox outbox, @All List<AlertChangeListener> listeners, MeterRegistry meters,
            PlatformSettings settings, InstantSource clock) {
        this.mapper = mapper;
        this.outbox = outbox;
        this.listeners = listeners;
        this.meters = meters;
        this.clock = clock;
        this.table = settings.schema() + "." + AlertTable.NAME;
        this.insert = AlertTable.insert(table);
        this.update = AlertTable.update(table);
        this.insertStep = AlertHistory.insert(settings.schema() + ".alert_history");
    }

    /** What a signal did: the alert as the batch left it (null when a resolve found none), and whether it opened. */
    public record Outcome(Alert alert, boolean opened) {
    }

    /** Everything a batch changes, written at its end. */
    private final class Changes {
        final OffsetDateTime now = Timestamps.now(clock);
        final Map<UUID, Alert> inserted = new LinkedHashMap<>();
        final Map<UUID, Alert> updated = new LinkedHashMap<>();
        final List<Tuple> steps = new ArrayList<>();
        final List<Outbox.Message> events = new ArrayList<>();
        final List<AlertChanges.Opened> openings = new ArrayList<>();
        final Set<UUID> resolved = new LinkedHashSet<>();

        void step(Alert row, String action, String actor, String comment) {
            steps.add(AlertHistory.tuple(row.id, now, action, actor, comment));
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
            row.status = AlertStatus.RESOLVED;
            row.resolvedAt = now;
            row.resolvedBy = actor;
            row.endsAt = now;
            row.updatedAt = now;
            changed(row);
            step(row, AlertHistory.RESOLVED, actor, comment);
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
                .chain(() -> connection.preparedQuery("select " + AlertTable.select() + " from " + table
                        + " where fingerprint = any($1) and status <> 'resolved'").execute(Tuple.of((Object) sorted)))
                .chain(rows -> {
                    Map<String, Alert> unresolved = new HashMap<>();
                    for (Row row : rows) {
                        Alert alert = AlertTable.read(row);
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
        return connection.preparedQuery("select " + AlertTable.select() + " from " + table + " where id = $1 for update")
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : AlertTable.read(rows.iterator().next()));
    }

    /** Someone is on it: the alert (open, locked) becomes acknowledged, so its notifications stop. */
    public Uni<Void> acknowledge(SqlConnection connection, Alert row, String actor, String comment) {
        Changes changes = new Changes();
        row.status = AlertStatus.ACKNOWLEDGED;
        row.acknowledgedAt = changes.now;
        row.acknowledgedBy = actor;
        row.updatedAt = changes.now;
        changes.changed(row);
        changes.step(row, AlertHistory.ACKNOWLEDGED, actor, comment);
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
        return connection.preparedQuery("select " + AlertTable.select() + " from " + table + " where status <> 'resolved'"
                + " and ends_at < $1 order by ends_at limit $2 for update skip locked").execute(Tuple.of(Timestamps.now(clock), max))
                .map(rows -> {
                    List<Alert> expired = new ArrayList<>(rows.size());
                    rows.forEach(row -> expired.add(AlertTable.read(row)));
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
            changes.step(existing, AlertHistory.FIRED_AGAIN, signal.actor(), null);
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
        row.status = AlertStatus.OPEN;
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
        changes.step(row, AlertHistory.FIRED, signal.actor(), null);
        changes.publish(row);
        changes.openings.add(new AlertChanges.Opened(row.id, labels, row.severity, row.source));
        count("alerting.alerts.opened", firing);
        return row;
    }

    /**
     * Writes a batch's changes, then hands them to the listeners on the same connection. Alert rows
     * first: every writer takes its alert row locks before any group row lock, so a batch and a
     * change by hand never wait on each other in a cycle.
     */
    private Uni<Void> write(SqlConnection connection, Changes changes) {
        Uni<Void> written = Uni.createFrom().voidItem();
        if (!changes.inserted.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery(insert)
                    .executeBatch(changes.inserted.values().stream().map(AlertTable::tuple).toList()).replaceWithVoid());
        }
        if (!changes.updated.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery(update)
                    .executeBatch(changes.updated.values().stream().map(AlertTable::tuple).toList()).replaceWithVoid());
        }
        if (!changes.steps.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery(insertStep).executeBatch(changes.steps).replaceWithVoid());
        }
        written = written.chain(() -> outbox.append(connection, changes.events));
        if (changes.openings.isEmpty() && changes.resolved.isEmpty()) {
            return written;
        }
        AlertChanges followed = new AlertChanges(changes.now, changes.openings, changes.resolved);
        for (AlertChangeListener listener : listeners) {
            written = written.chain(() -> listener.written(connection, followed));
        }
        return written;
    }

    private void count(String name, AlertFiring firing) {
        meters.counter(name, "source", firing.source(), "severity", firing.severity()).increment();
    }
}
