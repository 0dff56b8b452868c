package io.devops.alerting.threshold;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A row of the threshold_rule table, as {@link ThresholdRuleTable} reads and writes it; the jsonb
 * columns (matchers, group_by, labels, annotations) stay the JSON text of their column.
 */
class ThresholdRule {
    UUID id;
    String name;
    String metric;
    String matchers;
    String comparison;
    double threshold;
    long forMs;
    String severity;
    boolean perNode;
    String groupBy;
    String labels;
    String annotations;
    boolean enabled;
    OffsetDateTime createdAt;
    OffsetDateTime updatedAt;
}
