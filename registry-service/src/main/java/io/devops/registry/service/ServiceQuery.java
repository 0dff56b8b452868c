package io.devops.registry.service;

import java.util.List;
import java.util.Map;

import io.devops.common.events.HealthStatus;

/** The filters of {@code GET /services}; null or empty means no filter. */
public record ServiceQuery(String environment, HealthStatus status, List<String> tags, Map<String, String> metadata,
        int limit, int skip) {
}
