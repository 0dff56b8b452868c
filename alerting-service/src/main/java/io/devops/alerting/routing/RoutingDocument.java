package io.devops.alerting.routing;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The routing tree and the inhibition rules, replaced whole as one document. */
@RegisterForReflection(targets = { RoutingDocument.class, RouteSpec.class, RouteSpec.Escalation.class, InhibitRule.class })
public record RoutingDocument(RouteSpec route, List<InhibitRule> inhibitRules) {

    public static RoutingDocument empty() {
        return new RoutingDocument(new RouteSpec(null, List.of(), null, null, null, null, null, null, null), List.of());
    }
}
