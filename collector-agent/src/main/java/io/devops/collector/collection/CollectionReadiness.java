package io.devops.collector.collection;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the agent can read the host; Kafka being away is not a reason: the buffer holds the batches. */
@Readiness
@ApplicationScoped
public class CollectionReadiness implements HealthCheck {
    private final HostCollector collector;

    CollectionReadiness(HostCollector collector) {
        this.collector = collector;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("host-collection").status(collector.collecting())
                .withData("buffered_batches", collector.bufferedBatches()).build();
    }
}
