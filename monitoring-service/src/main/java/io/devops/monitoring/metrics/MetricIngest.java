package io.devops.monitoring.metrics;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.agroal.api.AgroalDataSource;
import io.devops.common.consumer.DeadLetters;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MetricBatch;
import io.devops.monitoring.MonitoringSettings;
import io.devops.monitoring.history.DailyPartitions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.common.annotation.Blocking;

/**
 * Stores {@code metrics.samples}: each poll's records in one JDBC transaction that records their
 * {@code ce_id}s (a batch seen before is skipped), resolves each sample's series (cached), loads the
 * samples with PostgreSQL's {@code COPY} (no row-at-a-time inserts), notes when each node was last
 * heard from, and marks the minutes whose rollups must be computed. The offsets are committed after
 * the transaction. A record that is not a metric batch goes to {@code metrics.samples.dlq}; while
 * PostgreSQL is away the consumer waits and retries the same records.
 */
@ApplicationScoped
public class MetricIngest {
    static final String CONSUMER = "monitoring.metrics";
    private static final Logger LOG = Logger.getLogger(MetricIngest.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final AgroalDataSource dataSource;
    private final DailyPartitions partitions;
    private final Duration retention;
    private final Set<LocalDate> partitionDays = ConcurrentHashMap.newKeySet();
    private final EventCodec codec;
    private final DeadLetters deadLetters;
    /** Series ids by node, name and labels; a series never changes its id. */
    private final Map<SeriesKey, Long> seriesIds = new ConcurrentHashMap<>();
    private final Counter stored;
    private final Counter duplicates;
    private final Counter expired;
    private final Timer writes;
    private final Timer lag;

    record SeriesKey(String nodeId, String name, Map<String, String> labels) {
    }

    MetricIngest(AgroalDataSource dataSource, DailyPartitions partitions, MonitoringSettings settings, EventCodec codec,
            DeadLetters deadLetters, MeterRegistry meters) {
        this.dataSource = dataSource;
        this.partitions = partitions;
        this.retention = settings.metrics().retention();
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.stored = Counter.builder("monitoring.metrics.samples.stored").description("Metric samples stored").register(meters);
        this.duplicates = Counter.builder("monitoring.metrics.batches.duplicate")
                .description("Metric batches received again and skipped").register(meters);
        this.expired = Counter.builder("monitoring.metrics.batches.expired")
                .description("Metric batches older than the retention when they arrived, not stored").register(meters);
        this.writes = Timer.builder("monitoring.metrics.write").description("Time to store one poll of metric batches")
                .register(meters);
        this.lag = Timer.builder("monitoring.metrics.lag")
                .description("From a batch's collection on its node to its samples being stored")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofMinutes(1)).register(meters);
    }

    private record Received(String eventId, MetricBatch batch) {
    }

    @Incoming("metrics-samples")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<Received> received = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> record : records) {
            try {
                IncomingEvent event = IncomingEvent.from(record);
                if (!MetricBatch.TYPE.equals(event.type())) {
                    throw new IllegalArgumentException("unexpected event type " + event.type());
                }
                MetricBatch batch = codec.decode(event, MetricBatch.class);
                if (batch.nodeId() == null || batch.collectedAt() == null || batch.samples() == null) {
                    throw new IllegalArgumentException("batch lacks node_id, collected_at or samples");
                }
                received.add(new Received(event.id(), batch));
            } catch (RuntimeException e) {
                deadLetters.send(record, e.getMessage());
            }
        }
        received = withinRetention(received);
        if (received.isEmpty()) {
            return;
        }
        int failedRounds = 0;
        while (true) {
            try {
                Timer.Sample timing = Timer.start();
                store(received);
                timing.stop(writes);
                return;
            } catch (SQLException e) {
                failedRounds++;
                if (failedRounds == 1 || failedRounds % 20 == 0) {
                    LOG.warnf("storing %d metric batches failed (%d times), retrying: %s", received.size(), failedRounds,
                            e.getMessage());
                }
                try {
                    Thread.sleep(Math.min(MAX_BACKOFF.toMillis(), 100L << Math.min(failedRounds, 6)));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while PostgreSQL was away", interrupted);
                }
            }
        }
    }

    /**
     * Drops batches older than the retention (an agent that buffered for days), and makes the daily
     * partitions the others need: a batch buffered over midnight may belong to a day not made yet.
     */
    private List<Received> withinRetention(List<Received> received) {
        OffsetDateTime oldest = OffsetDateTime.now(ZoneOffset.UTC).minus(retention).truncatedTo(ChronoUnit.DAYS).plusDays(1);
        List<Received> kept = new ArrayList<>(received.size());
        for (Received r : received) {
            if (r.batch().collectedAt().isBefore(oldest)) {
                expired.increment();
                continue;
            }
            kept.add(r);
            LocalDate day = r.batch().collectedAt().atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
            if (!partitionDays.contains(day)) {
                partitionDays.addAll(partitions.days(DailyPartitions.METRIC_SAMPLES));
                if (!partitionDays.contains(day)) {
                    partitions.create(DailyPartitions.METRIC_SAMPLES, day, day);
                    partitionDays.add(day);
                }
            }
        }
        return kept;
    }

    private void store(List<Received> received) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<MetricBatch> fresh = firstSeen(connection, received);
                if (!fresh.isEmpty()) {
                    Map<SeriesKey, Long> ids = resolveSeries(connection, fresh);
                    long count = copySamples(connection, fresh, ids);
                    touchNodes(connection, fresh);
                    markMinutes(connection, fresh);
                    connection.commit();
                    stored.increment(count);
                    long now = System.currentTimeMillis();
                    fresh.forEach(batch -> lag.record(Math.max(0, now - batch.collectedAt().toInstant().toEpochMilli()),
                            TimeUnit.MILLISECONDS));
                } else {
                    connection.commit();
                }
                duplicates.increment(received.size() - fresh.size());
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** Records the batches' event ids; returns the batches not seen before. */
    private static List<MetricBatch> firstSeen(Connection connection, List<Received> received) throws SQLException {
        Map<String, MetricBatch> byId = new LinkedHashMap<>();
        received.forEach(r -> byId.putIfAbsent(r.eventId(), r.batch()));
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into processed_event (consumer, ce_id) select ?, unnest(?::text[])
                on conflict do nothing returning ce_id""")) {
            insert.setString(1, CONSUMER);
            insert.setArray(2, connection.createArrayOf("text", byId.keySet().toArray()));
            try (ResultSet rows = insert.executeQuery()) {
                while (rows.next()) {
                    inserted.add(rows.getString(1));
                }
            }
        }
        List<MetricBatch> fresh = new ArrayList<>(inserted.size());
        byId.forEach((id, batch) -> {
            if (inserted.contains(id)) {
                fresh.add(batch);
            }
        });
        return fresh;
    }

    /** The id of every series in the batches, creating the ones never seen. */
    private Map<SeriesKey, Long> resolveSeries(Connection connection, List<MetricBatch> batches) throws SQLException {
        Map<SeriesKey, Long> ids = new LinkedHashMap<>();
        List<SeriesKey> unknown = new ArrayList<>();
        for (MetricBatch batch : batches) {
            for (MetricBatch.Sample sample : batch.samples()) {
                SeriesKey key = new SeriesKey(batch.nodeId(), sample.name(), labelsOf(sample));
                if (ids.containsKey(key)) {
                    continue;
                }
                Long id = seriesIds.get(key);
                ids.put(key, id);
                if (id == null) {
                    unknown.add(key);
                }
            }
        }
        if (!unknown.isEmpty()) {
            String[] nodes = new String[unknown.size()];
            String[] names = new String[unknown.size()];
            String[] labels = new String[unknown.size()];
            for (int i = 0; i < unknown.size(); i++) {
                nodes[i] = unknown.get(i).nodeId();
                names[i] = unknown.get(i).name();
                labels[i] = json(unknown.get(i).labels());
            }
            Array nodeArray = connection.createArrayOf("text", nodes);
            Array nameArray = connection.createArrayOf("text", names);
            Array labelArray = connection.createArrayOf("text", labels);
            try (PreparedStatement insert = connection.prepareStatement("""
                    insert into metric_series (node_id, name, labels)
                    select node, name, labels::jsonb from unnest(?::text[], ?::text[], ?::text[]) as u(node, name, labels)
                    on conflict (node_id, name, labels) do nothing""")) {
                insert.setArray(1, nodeArray);
                insert.setArray(2, nameArray);
                insert.setArray(3, labelArray);
                insert.executeUpdate();
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    select s.id, u.ord from unnest(?::text[], ?::text[], ?::text[]) with ordinality as u(node, name, labels, ord)
                    join metric_series s on s.node_id = u.node and s.name = u.name and s.labels = u.labels::jsonb""")) {
                select.setArray(1, nodeArray);
                select.setArray(2, nameArray);
                select.setArray(3, labelArray);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        SeriesKey key = unknown.get((int) rows.getLong(2) - 1);
                        ids.put(key, rows.getLong(1));
                        seriesIds.put(key, rows.getLong(1));
                    }
                }
            }
        }
        return ids;
    }

    /** Loads the samples with COPY; returns how many. */
    private static long copySamples(Connection connection, List<MetricBatch> batches, Map<SeriesKey, Long> ids)
            throws SQLException {
        StringBuilder rows = new StringBuilder(batches.size() * 64 * 32);
        long count = 0;
        for (MetricBatch batch : batches) {
            String ts = batch.collectedAt().toString();
            for (MetricBatch.Sample sample : batch.samples()) {
                if (!Double.isFinite(sample.value())) {
                    continue;
                }
                Long id = ids.get(new SeriesKey(batch.nodeId(), sample.name(), labelsOf(sample)));
                rows.append(id).append('\t').append(ts).append('\t').append(sample.value()).append('\n');
                count++;
            }
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        try {
            copy.copyIn("copy metric_sample (series_id, ts, value) from stdin", new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new SQLException("copy of metric samples failed", "08000", e);
        }
        return count;
    }

    private static void touchNodes(Connection connection, List<MetricBatch> batches) throws SQLException {
        // In id order, so that two writers never lock the same nodes in opposite orders.
        Map<String, MetricBatch> latest = new TreeMap<>();
        for (MetricBatch batch : batches) {
            latest.merge(batch.nodeId(), batch, (a, b) -> a.collectedAt().isAfter(b.collectedAt()) ? a : b);
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into node (id, hostname, last_seen) values (?, ?, ?)
                on conflict (id) do update set last_seen = greatest(node.last_seen, excluded.last_seen)""")) {
            for (MetricBatch batch : latest.values()) {
                upsert.setString(1, batch.nodeId());
                upsert.setString(2, batch.hostname() == null ? batch.nodeId() : batch.hostname());
                upsert.setTimestamp(3, Timestamp.from(batch.collectedAt().toInstant()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void markMinutes(Connection connection, List<MetricBatch> batches) throws SQLException {
        Set<OffsetDateTime> minutes = new HashSet<>();
        batches.forEach(b -> minutes.add(b.collectedAt().truncatedTo(ChronoUnit.MINUTES)));
        try (PreparedStatement mark = connection.prepareStatement("""
                insert into metric_rollup_pending (bucket) select unnest(?::timestamptz[]) on conflict do nothing""")) {
            mark.setArray(1, connection.createArrayOf("timestamptz",
                    minutes.stream().map(m -> Timestamp.from(m.toInstant())).toArray()));
            mark.executeUpdate();
        }
    }

    /** Maps compare by content whatever their order, so a sample's own map serves as the key. */
    private static Map<String, String> labelsOf(MetricBatch.Sample sample) {
        return sample.labels() == null ? Map.of() : sample.labels();
    }

    private String json(Map<String, String> labels) {
        try {
            return codec.mapper().writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
