package io.devops.monitoring.infrastructure;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.devops.common.events.EventCodec;
import io.devops.common.problem.Problem;
import io.devops.common.problem.ProblemException;
import io.devops.common.security.Roles;
import io.devops.common.time.Timestamps;
import io.devops.monitoring.MonitoringSettings;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The nodes the collector agents report: {@code active} while samples arrive, {@code inactive}
 * after {@code monitoring.metrics.node-silence} without, {@code unknown} before the first.
 */
@Path("/monitoring")
@Tag(name = "infrastructure")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {
    private static final double GB = 1024.0 * 1024 * 1024;
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> DISKS = new TypeReference<>() {
    };

    private final Pool pool;
    private final EventCodec codec;
    private final MonitoringSettings settings;
    private final NodeActivity activity;

    NodesResource(Pool pool, EventCodec codec, MonitoringSettings settings, NodeActivity activity) {
        this.pool = pool;
        this.codec = codec;
        this.settings = settings;
        this.activity = activity;
    }

    /** A node as SEED-API.md has it, with its facts. */
    public record Node(String id, String name, String type, String status, String ipAddress, String hostname, Integer cpuCores,
            Double memoryGb, Double diskGb, Map<String, Object> osInfo, List<String> ipAddresses, String agentVersion,
            OffsetDateTime createdAt, OffsetDateTime lastSeen) {
    }

    public record Summary(long total, long active, long inactive, long unknown) {
    }

    public record Infrastructure(List<Node> nodes, Summary summary) {
    }

    /** A node's latest reading of one series. */
    public record Reading(String name, Map<String, String> labels, double value, OffsetDateTime timestamp) {
    }

    public record NodeDetail(Node node, List<Map<String, Object>> disks, List<Reading> latest) {
    }

    @GET
    @Path("/infrastructure")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "The nodes and how many are active")
    public Uni<Infrastructure> infrastructure() {
        return pool.query("select * from node order by hostname, id").execute().map(rows -> {
            List<Node> nodes = nodes(rows);
            long active = nodes.stream().filter(n -> n.status().equals("active")).count();
            long inactive = nodes.stream().filter(n -> n.status().equals("inactive")).count();
            return new Infrastructure(nodes, new Summary(nodes.size(), active, inactive, nodes.size() - active - inactive));
        });
    }

    @GET
    @Path("/nodes/{id}")
    @RolesAllowed({ Roles.VIEWER, Roles.OPERATOR, Roles.ADMIN })
    @Operation(summary = "A node's facts and the latest reading of each of its series")
    @APIResponse(responseCode = "404", description = "No such node", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<NodeDetail> node(@PathParam("id") String id) {
        Uni<RowSet<Row>> node = pool.preparedQuery("select * from node where id = $1").execute(Tuple.of(id));
        Uni<RowSet<Row>> latest = pool.preparedQuery("""
                select distinct on (m.series_id) s.name, s.labels::text as labels, m.value, m.ts
                from metric_series s join metric_sample m on m.series_id = s.id
                where s.node_id = $1 and m.ts >= $2
                order by m.series_id, m.ts desc""")
                .execute(Tuple.of(id, Timestamps.now().minus(settings.metrics().nodeSilence()).minusMinutes(5)));
        return Uni.combine().all().unis(node, latest).with((nodeRows, latestRows) -> {
            if (nodeRows.size() == 0) {
                throw ProblemException.notFound("no node with id '" + id + "'");
            }
            Row row = nodeRows.iterator().next();
            List<Reading> readings = new ArrayList<>(latestRows.size());
            for (Row reading : latestRows) {
                readings.add(new Reading(reading.getString("name"), read(reading.getString("labels"), LABELS),
                        reading.getDouble("value"), reading.getOffsetDateTime("ts")));
            }
            readings.sort((a, b) -> a.name().compareTo(b.name()));
            return new NodeDetail(node(row), read(row.getJsonArray("disks").encode(), DISKS), readings);
        });
    }

    private List<Node> nodes(RowSet<Row> rows) {
        List<Node> nodes = new ArrayList<>(rows.size());
        for (Row row : rows) {
            nodes.add(node(row));
        }
        return nodes;
    }

    private Node node(Row row) {
        OffsetDateTime lastSeen = row.getOffsetDateTime("last_seen");
        String status = lastSeen == null ? "unknown" : lastSeen.isBefore(activeSince()) ? "inactive" : "active";
        String[] addresses = row.getArrayOfStrings("ip_addresses");
        List<String> ips = addresses == null ? List.of() : List.of(addresses);
        Long memory = row.getLong("memory_bytes");
        double disk = 0;
        for (Object entry : row.getJsonArray("disks")) {
            if (entry instanceof io.vertx.core.json.JsonObject d && d.getValue("total_bytes") instanceof Number n) {
                disk += n.doubleValue();
            }
        }
        Map<String, Object> os = new java.util.LinkedHashMap<>();
        os.put("family", row.getString("os_family"));
        os.put("version", row.getString("os_version"));
        os.put("kernel", row.getString("kernel"));
        os.put("cpu_model", row.getString("cpu_model"));
        return new Node(row.getString("id"), row.getString("hostname"), row.getString("type"), status,
                ips.stream().filter(ip -> !ip.contains(":")).findFirst().orElse(ips.isEmpty() ? null : ips.get(0)),
                row.getString("hostname"), row.getInteger("cpu_cores"),
                memory == null ? null : Math.round(memory / GB * 100) / 100.0, Math.round(disk / GB * 100) / 100.0, os, ips,
                row.getString("agent_version"), row.getOffsetDateTime("created_at"), lastSeen);
    }

    private OffsetDateTime activeSince() {
        return activity.activeSince();
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return codec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse", e);
        }
    }
}
