package io.devops.alerting.routing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A node of the routing tree as written (by the API or the YAML file). Unset fields are inherited
 * from the parent; the root's unset timers take Alertmanager's defaults.
 */
public record RouteSpec(
        @Schema(description = "Label matchers such as severity=\"critical\" or service=~\"api|web\"; all must match. The root has none.")
        List<String> matchers,
        @Schema(description = "Names of the channels that receive this route's notifications")
        List<String> channels,
        @Schema(description = "Go on to the next sibling after this route matched")
        @JsonProperty("continue") Boolean continueMatching,
        @Schema(description = "Labels whose values split alerts into groups; [\"...\"] groups by every label")
        List<String> groupBy,
        @Schema(description = "How long a new group waits for more alerts before its first notification", example = "30s")
        String groupWait,
        @Schema(description = "How long a group waits before it tells about changes after a notification", example = "5m")
        String groupInterval,
        @Schema(description = "How often a group that still fires unacknowledged is told again", example = "4h")
        String repeatInterval,
        @Schema(description = "Who else is told when nobody acknowledges an alert in time")
        List<Escalation> escalations,
        @Schema(description = "Child routes, tried in order")
        List<RouteSpec> routes) {

    /** An alert still open (not acknowledged) this long after it started goes to these channels as well. */
    public record Escalation(@Schema(example = "15m") String after, List<String> channels) {
    }
}
