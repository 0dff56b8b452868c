package io.devops.monitoring.metrics;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.devops.common.events.EventCodec;
import io.devops.common.events.IncomingEvent;
import io.devops.common.events.NodeFacts;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Keeps each node's facts from the compacted {@code nodes.inventory}. Applying the same facts twice,
 * or older facts after newer ones, changes nothing (the newer {@code reported_at} wins), so a
 * redelivery needs no event-id bookkeeping. Records that cannot be read go to {@code nodes.inventory.dlq}.
 */
@ApplicationScoped
public class NodeInventoryConsumer {
    private final EventCodec codec;

    NodeInventoryConsumer(EventCodec codec) {
        this.codec = codec;
    }

    @Incoming("nodes-inventory")
    @WithTransaction
    public Uni<Void> consume(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return Panache.getSession().chain(session -> session.createNativeQuery("delete from node where id = :id")
                    .setParameter("id", record.key()).executeUpdate()).replaceWithVoid();
        }
        IncomingEvent event = IncomingEvent.from(record);
        NodeFacts facts = codec.decode(event, NodeFacts.CONTRACT);
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                insert into node (id, hostname, type, os_family, os_version, kernel, cpu_model, cpu_cores, memory_bytes, disks,
                    ip_addresses, agent_version, facts_at)
                values (:id, :hostname, :type, :osFamily, :osVersion, :kernel, :cpuModel, :cpuCores, :memoryBytes,
                    cast(cast(:disks as text) as jsonb), string_to_array(:addresses, ','), :agentVersion, :factsAt)
                on conflict (id) do update set hostname = excluded.hostname, type = excluded.type,
                    os_family = excluded.os_family, os_version = excluded.os_version, kernel = excluded.kernel,
                    cpu_model = excluded.cpu_model, cpu_cores = excluded.cpu_cores, memory_bytes = excluded.memory_bytes,
                    disks = excluded.disks, ip_addresses = excluded.ip_addresses, agent_version = excluded.agent_version,
                    facts_at = excluded.facts_at
                where node.facts_at is null or node.facts_at < excluded.facts_at""")
                .setParameter("id", facts.nodeId()).setParameter("hostname", facts.hostname())
                .setParameter("type", facts.type() == null ? "server" : facts.type())
                .setParameter("osFamily", facts.osFamily()).setParameter("osVersion", facts.osVersion())
                .setParameter("kernel", facts.kernel()).setParameter("cpuModel", facts.cpuModel())
                .setParameter("cpuCores", facts.cpuCores()).setParameter("memoryBytes", facts.memoryBytes())
                .setParameter("disks", codec.encode(facts.disks() == null ? java.util.List.of() : facts.disks()))
                .setParameter("addresses", String.join(",", facts.ipAddresses() == null ? java.util.List.of() : facts.ipAddresses()))
                .setParameter("agentVersion", facts.agentVersion()).setParameter("factsAt", facts.reportedAt())
                .executeUpdate()).replaceWithVoid();
    }
}
