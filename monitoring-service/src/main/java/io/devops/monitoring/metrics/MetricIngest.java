package io.devops.monitoring.metrics;

import java.nio.ByteBuffer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
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
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.agroal.api.AgroalDataSource;
import io.devops.common.consumer.DeadLetters;
import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.MalformedEventException;
import io.devops.common.events.MetricBatch;
import io.devops.common.retry.Backoff;
import io.devops.common.time.Timestamps;
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
    /** The signature that opens PostgreSQL's binary COPY format. */
    private static final byte[] COPY_HEADER = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0 };
    /** A row of three 8-byte fields: the field count, and each field's length and value. */
    private static final int COPY_ROW_BYTES = 2 + 3 * (4 + 8);
    /** Binary timestamps count from 2000-01-01 UTC. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

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

    /** Maps compare by content whatever their order, so a sample's own label map serves in the key. */
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

    /**
     * A batch as it waits for its transaction: each finite sample as its series id and value, so a poll's
     * parsed JSON is garbage at once and a large poll stays small in the heap. A sample whose series is
     * not known yet has id 0 and its key in {@code unknown}.
     */
    private static final class Received {
        final String eventId;
        final String nodeId;
        final String hostname;
        final OffsetDateTime collectedAt;
        final long[] seriesIds;
        final double[] values;
        SeriesKey[] unknown;

        Received(String eventId, MetricBatch batch, Map<SeriesKey, Long> knownSeries) {
            this.eventId = eventId;
            this.nodeId = batch.nodeId();
            this.hostname = batch.hostname() == null ? batch.nodeId() : batch.hostname();
            this.collectedAt = batch.collectedAt();
            int finite = 0;
            for (MetricBatch.Sample sample : batch.samples()) {
                if (Double.isFinite(sample.value())) {
                    finite++;
                }
            }
            this.seriesIds = new long[finite];
            this.values = new double[finite];
            int i = 0;
            for (MetricBatch.Sample sample : batch.samples()) {
                if (!Double.isFinite(sample.value())) {
                    continue;
                }
                SeriesKey key = new SeriesKey(nodeId, sample.name(),
                        sample.labels() == null ? Map.of() : sample.labels());
                Long id = knownSeries.get(key);
                if (id != null) {
                    seriesIds[i] = id;
                } else {
                    if (unknown == null) {
                        unknown = new SeriesKey[finite];
                    }
                    unknown[i] = key;
                }
                values[i] = sample.value();
                i++;
            }
        }
    }

    @Incoming("metrics-samples")
    @Blocking
    public void consume(ConsumerRecords<String, String> records) {
        List<Received> received = new ArrayList<>(records.count());
        OffsetDateTime oldest = Timestamps.now().minus(retention).truncatedTo(ChronoUnit.DAYS).plusDays(1);
        for (ConsumerRecord<String, String> record : records) {
            MetricBatch batch;
            String eventId;
            try {
                IncomingEvent event = IncomingEvent.from(record);
                batch = codec.decode(event, MetricBatch.CONTRACT);
                eventId = event.id();
            } catch (MalformedEventException e) {
                deadLetters.send(record, e.getMessage());
                continue;
            }
            if (batch.collectedAt().isBefore(oldest)) {
                // An agent that buffered for longer than the retention: nobody could query these samples.
                expired.increment();
                continue;
            }
            ensurePartition(batch.collectedAt());
            received.add(new Received(eventId, batch, seriesIds));
        }
        if (received.isEmpty()) {
            return;
        }
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        while (true) {
            try {
                Timer.Sample timing = Timer.start();
                store(received);
                timing.stop(writes);
                return;
            } catch (SQLException e) {
                int failedRounds = backoff.failed();
                if (backoff.worthLogging()) {
                    LOG.warnf("storing %d metric batches failed (%d times), retrying: %s", received.size(), failedRounds,
                            e.getMessage());
                }
                try {
                    Thread.sleep(backoff.delay().toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while PostgreSQL was away", interrupted);
                }
            }
        }
    }

    /** A batch buffered over midnight may belong to a day whose partition is not made yet. */
    private void ensurePartition(OffsetDateTime collectedAt) {
        LocalDate day = collectedAt.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
        if (!partitionDays.contains(day)) {
            partitionDays.addAll(partitions.days(DailyPartitions.METRIC_SAMPLES));
            if (!partitionDays.contains(day)) {
                partitions.create(DailyPartitions.METRIC_SAMPLES, day, day);
                partitionDays.add(day);
            }
        }
    }

    private void store(List<Received> received) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                List<Received> fresh = firstSeen(connection, received);
                if (!fresh.isEmpty()) {
                    resolveSeries(connection, fresh);
                    long count = copySamples(connection, fresh);
                    touchNodes(connection, fresh);
                    markMinutes(connection, fresh);
                    connection.commit();
                    stored.increment(count);
                    long now = System.currentTimeMillis();
                    fresh.forEach(batch -> lag.record(Math.max(0, now - batch.collectedAt.toInstant().toEpochMilli()),
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
    private static List<Received> firstSeen(Connection connection, List<Received> received) throws SQLException {
        Map<String, Received> byId = new LinkedHashMap<>();
        received.forEach(r -> byId.putIfAbsent(r.eventId, r));
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
        List<Received> fresh = new ArrayList<>(inserted.size());
        byId.forEach((id, batch) -> {
            if (inserted.contains(id)) {
                fresh.add(batch);
            }
        });
        return fresh;
    }

    /** Fills in the ids of the series not known when the batches were read, creating the ones never seen. */
    private void resolveSeries(Connection connection, List<Received> batches) throws SQLException {
        Map<SeriesKey, Long> resolved = new LinkedHashMap<>();
        for (Received batch : batches) {
            if (batch.unknown != null) {
                for (SeriesKey key : batch.unknown) {
                    if (key != null) {
                        resolved.putIfAbsent(key, seriesIds.get(key));
                    }
                }
            }
        }
        List<SeriesKey> keys = new ArrayList<>();
        resolved.forEach((key, id) -> {
            if (id == null) {
                keys.add(key);
            }
        });
        if (!keys.isEmpty()) {
            String[] nodes = new String[keys.size()];
            String[] names = new String[keys.size()];
            String[] labels = new String[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                nodes[i] = keys.get(i).nodeId();
                names[i] = keys.get(i).name();
                labels[i] = json(keys.get(i).labels());
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
                        SeriesKey key = keys.get((int) rows.getLong(2) - 1);
                        resolved.put(key, rows.getLong(1));
                        seriesIds.put(key, rows.getLong(1));
                    }
                }
            }
        }
        for (Received batch : batches) {
            if (batch.unknown != null) {
                for (int i = 0; i < batch.unknown.length; i++) {
                    if (batch.unknown[i] != null) {
                        batch.seriesIds[i] = resolved.get(batch.unknown[i]);
                    }
                }
                batch.unknown = null;
            }
        }
    }

    /**
     * Loads the samples with a binary {@code COPY}: PostgreSQL takes the ids, times and values as they
     * are stored, without parsing text. Returns how many.
     */
    private static long copySamples(Connection connection, List<Received> batches) throws SQLException {
        int total = 0;
        for (Received batch : batches) {
            total += batch.values.length;
        }
        ByteBuffer rows = ByteBuffer.allocate(COPY_HEADER.length + 8 + total * COPY_ROW_BYTES + 2);
        rows.put(COPY_HEADER).putInt(0).putInt(0);
        for (Received batch : batches) {
            Instant at = batch.collectedAt.toInstant();
            long micros = (at.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000L + at.getNano() / 1_000;
            for (int i = 0; i < batch.values.length; i++) {
                rows.putShort((short) 3)
                        .putInt(8).putLong(batch.seriesIds[i])
                        .putInt(8).putLong(micros)
                        .putInt(8).putDouble(batch.values[i]);
            }
        }
        rows.putShort((short) -1);
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy metric_sample (series_id, ts, value) from stdin (format binary)");
        try {
            copy.writeToCopy(rows.array(), 0, rows.position());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        return total;
    }

    private static void touchNodes(Connection connection, List<Received> batches) throws SQLException {
        // In id order, so that two writers never lock the same nodes in opposite orders.
        Map<String, Received> latest = new TreeMap<>();
        for (Received batch : batches) {
            latest.merge(batch.nodeId, batch, (a, b) -> a.collectedAt.isAfter(b.collectedAt) ? a : b);
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                insert into node (id, hostname, last_seen) values (?, ?, ?)
                on conflict (id) do update set last_seen = greatest(node.last_seen, excluded.last_seen)""")) {
            for (Received batch : latest.values()) {
                upsert.setString(1, batch.nodeId);
                upsert.setString(2, batch.hostname);
                upsert.setTimestamp(3, Timestamp.from(batch.collectedAt.toInstant()));
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void markMinutes(Connection connection, List<Received> batches) throws SQLException {
        Set<OffsetDateTime> minutes = new HashSet<>();
        batches.forEach(b -> minutes.add(b.collectedAt.truncatedTo(ChronoUnit.MINUTES)));
        try (PreparedStatement mark = connection.prepareStatement("""
                insert into metric_rollup_pending (bucket) select unnest(?::timestamptz[])
                on conflict (bucket) do update set marked_at = excluded.marked_at""")) {
            mark.setArray(1, connection.createArrayOf("timestamptz",
                    minutes.stream().map(m -> Timestamp.from(m.toInstant())).toArray()));
            mark.executeUpdate();
        }
    }

    private String json(Map<String, String> labels) {
        try {
            return codec.mapper().writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
