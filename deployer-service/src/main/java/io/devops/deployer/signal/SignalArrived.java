package io.devops.deployer.signal;

import java.util.UUID;

/**
 * A health transition or an alert about a service was stored: its rollouts look at their gates
 * now rather than at their next tick. Either field may be null, not both.
 */
public record SignalArrived(UUID serviceId, String serviceName) {
}
