package io.devops.common.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

class OutgoingEventTest {
    private static final OffsetDateTime AT = OffsetDateTime.of(2026, 12, 1, 20, 0, 0, 0, ZoneOffset.UTC);

    @Test
    void writesTheBinaryModeHeadersAConsumerReadsBack() {
        ProducerRecord<String, byte[]> record = new OutgoingEvent("monitoring.health", "svc-1", "id-1",
                HealthTransition.TYPE, "/monitoring-service", AT, "{}".getBytes(StandardCharsets.UTF_8),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").toRecord();

        assertThat(names(record)).containsExactly(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.ID,
                CloudEventHeaders.TYPE, CloudEventHeaders.SOURCE, CloudEventHeaders.TIME, CloudEventHeaders.SUBJECT,
                CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.TRACEPARENT);
        ConsumerRecord<String, String> read = new ConsumerRecord<>(record.topic(), 0, 0L, record.key(),
                new String(record.value(), StandardCharsets.UTF_8));
        record.headers().forEach(header -> read.headers().add(header));
        IncomingEvent event = IncomingEvent.from(read);
        assertThat(event).isEqualTo(new IncomingEvent("id-1", HealthTransition.TYPE, "/monitoring-service", AT, "svc-1", "{}"));
    }

    @Test
    void aTombstoneHasNoContentTypeAndNoTraceWithoutOne() {
        ProducerRecord<String, byte[]> record = OutgoingEvent.of(Topic.REGISTRY_SERVICES, "svc-1", "id-2",
                ServiceSnapshot.DEREGISTERED, "/registry-service", AT, null).toRecord();
        assertThat(record.value()).isNull();
        assertThat(names(record)).doesNotContain(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.TRACEPARENT)
                .contains(CloudEventHeaders.SUBJECT);
    }

    private static List<String> names(ProducerRecord<String, byte[]> record) {
        List<String> names = new ArrayList<>();
        for (Header header : record.headers()) {
            names.add(header.key());
        }
        return names;
    }
}
