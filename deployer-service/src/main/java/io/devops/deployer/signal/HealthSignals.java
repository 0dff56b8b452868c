package io.devops.deployer.signal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.PlatformSettings;
import io.devops.common.consumer.TransientFailures;
import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthTransition;
import io.devops.common.events.IncomingEvent;
import io.devops.common.time.Timestamps;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the health transitions of {@code monitoring.health} that the gates read, and wakes the
 * rollouts of the service at once. Stored under the event's id, so a redelivery changes nothing;
 * the offset is committed after the insert (retried while PostgreSQL is away), and a record that
 * cannot be read goes to {@code monitoring.health.dlq}.
 */
@ApplicationScoped
public class HealthSignals {
    static final String CONSUMER = "deployer.health";

    private final EventCodec codec;
    private final Pool pool;
    private final TransientFailures retries;
    private final Event<SignalArrived> arrivals;
    private final String table;

    HealthSignals(EventCodec codec, Pool pool, TransientFailures retries, Event<SignalArrived> arrivals,
            PlatformSettings settings) {
        this.codec = codec;
        this.pool = pool;
        this.retries = retries;
        this.arrivals = arrivals;
        this.table = settings.schema() + ".health_signal";
    }

    @Incoming("monitoring-health")
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        IncomingEvent event = IncomingEvent.from(record);
        HealthTransition transition = codec.decode(event, HealthTransition.CONTRACT);
        String insert = "insert into " + table + " (event_id, service_id, status, previous_status, reason, checked_at)"
                + " values ($1, $2, $3, $4, $5, $6) on conflict (event_id) do nothing";
        return retries.retried(CONSUMER, () -> pool.preparedQuery(insert)
                .execute(Tuple.from(new Object[] { event.id(), transition.serviceId(), transition.status().json(),
                        transition.previousStatus() == null ? null : transition.previousStatus().json(),
                        transition.reason() != null ? transition.reason() : transition.message(),
                        transition.checkedAt() != null ? transition.checkedAt() : Timestamps.now() })))
                .invoke(() -> arrivals.fire(new SignalArrived(transition.serviceId(), transition.serviceName())))
                .replaceWithVoid();
    }
}
