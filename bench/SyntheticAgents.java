import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Plays many collector agents: metric batches on metrics.samples, keyed by node, as CloudEvents, at
 * a given rate of samples per second (0: as fast as Kafka takes them) for a number of seconds.
 * Prints the samples sent.
 * Usage: java -cp '.platform/kafka/libs/*' bench/SyntheticAgents.java <bootstrap> <nodes> <samples-per-batch> <samples-per-second> <seconds>
 */
public class SyntheticAgents {
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        int nodes = Integer.parseInt(args[1]);
        int perBatch = Integer.parseInt(args[2]);
        long rate = Long.parseLong(args[3]);
        int seconds = Integer.parseInt(args[4]);
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "all");
        config.put("enable.idempotence", "true");
        config.put("linger.ms", "10");
        config.put("batch.size", "262144");
        config.put("compression.type", "lz4");
        config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        config.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        String run = UUID.randomUUID().toString().substring(0, 8);
        AtomicLong failed = new AtomicLong();
        long sent = 0;
        long sequence = 0;
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            while (System.nanoTime() < end) {
                if (rate > 0) {
                    long due = start + (long) (sent * 1e9 / rate);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                int node = (int) (sequence % nodes);
                sequence++;
                String nodeId = "bench-" + run + "-" + node;
                String now = Instant.now().atOffset(ZoneOffset.UTC).toString();
                StringBuilder body = new StringBuilder(perBatch * 80);
                body.append("{\"node_id\":\"").append(nodeId).append("\",\"hostname\":\"").append(nodeId)
                        .append("\",\"collected_at\":\"").append(now).append("\",\"sequence\":").append(sequence)
                        .append(",\"samples\":[");
                for (int i = 0; i < perBatch; i++) {
                    if (i > 0) {
                        body.append(',');
                    }
                    body.append("{\"name\":\"bench_metric_").append(i % 40).append("\",\"value\":")
                            .append((sequence * 31 + i) % 1000 / 10.0).append(",\"labels\":{\"shard\":\"").append(i / 40)
                            .append("\"}}");
                }
                body.append("]}");
                ProducerRecord<String, byte[]> record = new ProducerRecord<>("metrics.samples", nodeId,
                        body.toString().getBytes(StandardCharsets.UTF_8));
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", UUID.randomUUID().toString());
                header(record, "ce_type", "io.devops.collector.metrics.batch");
                header(record, "ce_source", "/bench/" + nodeId);
                header(record, "ce_time", now);
                producer.send(record, (metadata, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                    }
                });
                sent += perBatch;
            }
            producer.flush();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("sent %d samples in %d batches over %.1f s (%.0f samples/s), %d batches failed%n", sent, sequence,
                elapsed, sent / elapsed, failed.get());
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
