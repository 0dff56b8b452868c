package io.devops.registry.service;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;

import io.devops.common.events.EventCodec;
import io.devops.common.events.HealthCheckSpec;
import io.devops.common.events.HealthStatus;
import io.devops.common.events.ServiceSnapshot;

/**
 * Converts catalog rows to snapshots, which are both what the REST API returns and what the
 * {@code registry.services} events carry, and the rows' JSON columns both ways.
 */
@ApplicationScoped
public class ServiceMapper {
    private static final TypeReference<List<String>> TAGS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };

    private final EventCodec codec;

    ServiceMapper(EventCodec codec) {
        this.codec = codec;
    }

    public ServiceSnapshot toSnapshot(RegisteredService row) {
        return new ServiceSnapshot(row.id, row.name, row.url, row.environment, row.version, status(row), tags(row),
                metadata(row), healthCheck(row), lease(row), row.lastSeen, row.createdAt, row.updatedAt, row.revision);
    }

    public String json(Object value) {
        return codec.encode(value);
    }

    public List<String> tags(RegisteredService row) {
        return read(row.tags, TAGS);
    }

    public Map<String, String> metadata(RegisteredService row) {
        return read(row.metadata, METADATA);
    }

    public HealthCheckSpec healthCheck(RegisteredService row) {
        try {
            return codec.mapper().readValue(row.healthCheck, HealthCheckSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("health_check of service " + row.id + " is not valid JSON", e);
        }
    }

    private static HealthStatus status(RegisteredService row) {
        return HealthStatus.fromJson(row.status);
    }

    private static ServiceSnapshot.Lease lease(RegisteredService row) {
        return new ServiceSnapshot.Lease(row.leaseTtlSeconds, row.deregisterAfterSeconds, row.leaseExpiresAt,
                row.leaseExpiredAt != null);
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return codec.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not parse: " + e.getOriginalMessage(), e);
        }
    }
}
