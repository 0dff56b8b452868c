package io.devops.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Each way an event breaks its contract, and the field the consumer is told of. */
class EventContractTest {
    private static final String SERVICE = "5b3c8a4e-1f1d-4f7e-9a55-2a7f7c1d0e11";
    private final EventCodec codec = new EventCodec();

    record Row(String name, String type, String body, String field) {
    }

    @Test
    void namesTheFieldAtFault() {
        List<Row> rows = List.of(
                new Row("another type", "io.devops.something.else", "{}", "ce_type"),
                new Row("no service_id", HealthTransition.TYPE, "{\"status\": \"unhealthy\"}", "service_id"),
                new Row("no status", HealthTransition.TYPE, "{\"service_id\": \"" + SERVICE + "\"}", "status"),
                new Row("not JSON", HealthTransition.TYPE, "{oops", null),
                new Row("no body", HealthTransition.TYPE, null, null));
        for (Row row : rows) {
            IncomingEvent event = new IncomingEvent("id-1", row.type(), "/tests", null, SERVICE, row.body());
            MalformedEventException refused = catchThrowableOfType(MalformedEventException.class,
                    () -> codec.decode(event, HealthTransition.CONTRACT));
            assertThat(refused).as(row.name()).isNotNull();
            assertThat(refused.field()).as(row.name()).isEqualTo(row.field());
            assertThat(refused.getMessage()).as(row.name()).contains("id-1");
        }
    }

    @Test
    void givesTheWholePayloadWhenTheContractHolds() {
        IncomingEvent event = new IncomingEvent("id-2", HealthTransition.TYPE, "/tests", null, SERVICE,
                "{\"service_id\": \"" + SERVICE + "\", \"status\": \"degraded\", \"reason\": \"slow_response\"}");
        HealthTransition transition = codec.decode(event, HealthTransition.CONTRACT);
        assertThat(transition.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(transition.reason()).isEqualTo("slow_response");
    }

    @Test
    void everySnapshotTypeOfTheRegistryIsASnapshot() {
        assertThat(ServiceSnapshot.CONTRACT.types()).contains(ServiceSnapshot.REGISTERED, ServiceSnapshot.UPDATED,
                ServiceSnapshot.STATUS_CHANGED, ServiceSnapshot.LEASE_EXPIRED, ServiceSnapshot.LEASE_RENEWED);
    }

    @Test
    void aRecordWithoutCloudEventHeadersOrWithABadTimeIsMalformed() {
        ConsumerRecord<String, String> bare = new ConsumerRecord<>("monitoring.health", 0, 7L, SERVICE, "{}");
        assertThat(catchThrowableOfType(MalformedEventException.class, () -> IncomingEvent.from(bare)).field())
                .isEqualTo(CloudEventHeaders.ID);

        ConsumerRecord<String, String> badTime = new ConsumerRecord<>("monitoring.health", 0, 8L, SERVICE, "{}");
        badTime.headers().add(CloudEventHeaders.ID, "id-3".getBytes(StandardCharsets.UTF_8));
        badTime.headers().add(CloudEventHeaders.TYPE, HealthTransition.TYPE.getBytes(StandardCharsets.UTF_8));
        badTime.headers().add(CloudEventHeaders.TIME, "yesterday".getBytes(StandardCharsets.UTF_8));
        assertThat(catchThrowableOfType(MalformedEventException.class, () -> IncomingEvent.from(badTime)).field())
                .isEqualTo(CloudEventHeaders.TIME);
    }
}
