package io.devops.deployer.signal;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.PlatformSettings;
import io.devops.common.consumer.TransientFailures;
import io.devops.common.events.AlertEvent;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the latest state of every alert of {@code alerting.alerts} that names a service, for the
 * gates and the DORA figures, and wakes the rollouts of the service at once. A state older than
 * the stored one is ignored, so a redelivery or a reorder changes nothing; the write is retried while
 * PostgreSQL is away, and a record that cannot be read goes to {@code alerting.alerts.dlq}.
 */
@ApplicationScoped
public class AlertSignals {
    static final String CONSUMER = "deployer.alerts";

    private final EventCodec codec;
    private final Pool pool;
    private final TransientFailures retries;
    private final Event<SignalArrived> arrivals;
    private final String table;

    AlertSignals(EventCodec codec, Pool pool, TransientFailures retries, Event<SignalArrived> arrivals,
            PlatformSettings settings) {
        this.codec = codec;
        this.pool = pool;
        this.retries = retries;
        this.arrivals = arrivals;
        this.table = settings.schema() + ".alert_signal";
    }

    @Incoming("alerting-alerts")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        AlertEvent alert = codec.decode(IncomingEvent.from(record), AlertEvent.CONTRACT);
        Map<String, String> labels = alert.labels() == null ? Map.of() : alert.labels();
        UUID serviceId = uuid(labels.get("service_id"));
        String serviceName = alert.serviceName() != null ? alert.serviceName() : labels.get("service");
        if (serviceId == null && serviceName == null) {
            return Uni.createFrom().voidItem();
        }
        String upsert = "insert into " + table + " (fingerprint, alert_id, alertname, title, service_id, service_name,"
                + " environment, severity, status, starts_at, ends_at, occurred_at)"
                + " values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict (fingerprint) do update set"
                + " alert_id = excluded.alert_id, alertname = excluded.alertname, title = excluded.title,"
                + " service_id = excluded.service_id, service_name = excluded.service_name, environment = excluded.environment,"
                + " severity = excluded.severity, status = excluded.status, starts_at = excluded.starts_at,"
                + " ends_at = excluded.ends_at, occurred_at = excluded.occurred_at"
                + " where " + table + ".occurred_at <= excluded.occurred_at";
        return retries.retried(CONSUMER, () -> pool.preparedQuery(upsert)
                .execute(Tuple.from(new Object[] { alert.fingerprint(), alert.alertId(), labels.get("alertname"), alert.title(),
                        serviceId, serviceName, labels.get("environment"), alert.severity(), alert.status(), alert.startsAt(),
                        alert.endsAt(), alert.occurredAt() != null ? alert.occurredAt() : Timestamps.now() })))
                .invoke(() -> arrivals.fire(new SignalArrived(serviceId, serviceName)))
                .replaceWithVoid();
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
