package io.devops.alerting.routing;

import java.util.List;

/**
 * While an unresolved alert matches the source matchers, alerts matching the target matchers
 * that have the same values for the {@code equal} labels are muted (a critical outage mutes the
 * warnings it causes).
 */
public record InhibitRule(List<String> sourceMatchers, List<String> targetMatchers, List<String> equal) {
}
