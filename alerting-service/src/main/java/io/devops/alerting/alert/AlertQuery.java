package io.devops.alerting.alert;

import java.time.OffsetDateTime;
import java.util.Map;

/** The filters of {@code GET /alerts}; null means any. */
public record AlertQuery(String status, String severity, String serviceName, Map<String, String> labels,
        OffsetDateTime from, OffsetDateTime to, int limit, int skip) {
}
