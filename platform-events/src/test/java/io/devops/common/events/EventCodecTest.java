package io.devops.common.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class EventCodecTest {
    private final EventCodec codec = new EventCodec();

    @Test
    void writesSnakeCaseWithTimesAsText() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 22, 10, 0, 0, 0, ZoneOffset.UTC);
        String json = codec.encode(new MetricBatch("node-1", "host", at, 7,
                List.of(new MetricBatch.Sample("system_load_1m", 0.5, Map.of("core", "0")))));
        assertThat(json).contains("\"node_id\":\"node-1\"", "\"collected_at\":\"2026-11-22T10:00:00Z\"", "\"sequence\":7",
                "\"labels\":{\"core\":\"0\"}");
    }

    @Test
    void readsWhatItWroteAndIgnoresFieldsItDoesNotKnow() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 22, 10, 0, 0, 0, ZoneOffset.UTC);
        HealthTransition transition = new HealthTransition(java.util.UUID.randomUUID(), "orders", HealthStatus.HEALTHY,
                HealthStatus.UNHEALTHY, "timeout", "no response within 2 s", null, 2001L, at);
        String json = codec.encode(transition).replace("{", "{\"added_later\":true,");
        HealthTransition read = codec.decode(new IncomingEvent("id-1", HealthTransition.TYPE, "/tests", at, "k", json),
                HealthTransition.class);
        assertThat(read).isEqualTo(transition);
        assertThat(json).contains("\"status\":\"unhealthy\"", "\"previous_status\":\"healthy\"");
    }

    @Test
    void aBodyThatDoesNotParseIsMalformed() {
        IncomingEvent broken = new IncomingEvent("id-2", MetricBatch.TYPE, "/tests", null, "k", "{\"node_id\": ");
        assertThatThrownBy(() -> codec.decode(broken, MetricBatch.class)).isInstanceOf(MalformedEventException.class)
                .hasMessageContaining("id-2");
        IncomingEvent empty = new IncomingEvent("id-3", MetricBatch.TYPE, "/tests", null, "k", null);
        assertThatThrownBy(() -> codec.decode(empty, MetricBatch.class)).isInstanceOf(MalformedEventException.class);
    }
}
