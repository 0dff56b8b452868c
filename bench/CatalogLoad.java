import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Puts services into the catalog (or takes them out) the way the registry does: snapshots and
 * tombstones on the compacted registry.services topic, as CloudEvents in binary mode. Ids are
 * derived from the run name, so "remove" finds what "add" made.
 * Usage: java -cp '.platform/kafka/libs/*' bench/CatalogLoad.java add|remove <bootstrap> <run> <count> <target-url> <interval-seconds>
 */
public class CatalogLoad {
    public static void main(String[] args) throws Exception {
        boolean add = args[0].equals("add");
        String bootstrap = args[1];
        String run = args[2];
        int count = Integer.parseInt(args[3]);
        String target = args[4];
        int interval = Integer.parseInt(args[5]);
        Properties config = new Properties();
        config.put("bootstrap.servers", bootstrap);
        config.put("acks", "all");
        config.put("linger.ms", "20");
        config.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        config.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>(count);
            String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
            for (int i = 0; i < count; i++) {
                String id = UUID.nameUUIDFromBytes((run + "/" + i).getBytes(StandardCharsets.UTF_8)).toString();
                String name = run + "-" + i;
                String body = add ? """
                        {"id":"%s","name":"%s","url":"%s/svc/%d","environment":"bench","version":"1.0.0","status":"unknown",
                         "tags":["bench"],"metadata":{},"health_check":{"type":"http","method":"GET","path":"/health",
                         "headers":{},"expected_status":[],"interval_seconds":%d,"timeout_seconds":5,"failure_threshold":3,
                         "success_threshold":2,"tls_expiry_days":14,"tls_verify":true},"lease":null,"last_seen":null,
                         "created_at":"%s","updated_at":"%s","revision":1}""".formatted(id, name, target, i, interval, now, now)
                        : null;
                ProducerRecord<String, String> record = new ProducerRecord<>("registry.services", id, body);
                header(record, "ce_specversion", "1.0");
                header(record, "ce_id", UUID.randomUUID().toString());
                header(record, "ce_type", add ? "io.devops.registry.service.registered" : "io.devops.registry.service.deregistered");
                header(record, "ce_source", "/bench");
                header(record, "ce_time", now);
                sent.add(producer.send(record));
            }
            for (Future<RecordMetadata> ack : sent) {
                ack.get();
            }
        }
        System.out.println((add ? "added " : "removed ") + count + " services");
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
