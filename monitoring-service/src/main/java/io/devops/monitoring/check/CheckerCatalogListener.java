package io.devops.monitoring.check;

import java.util.Collection;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.devops.monitoring.catalog.CatalogListener;
import io.devops.monitoring.catalog.CatalogProjection.KnownState;
import io.devops.monitoring.catalog.ServiceDefinition;
import io.devops.monitoring.status.TransitionWriter;

/**
 * The checker's side of the catalog: starts, changes and stops the checks of the services the
 * catalog follower hands this replica, and closes the open incident of a service that left.
 */
@ApplicationScoped
class CheckerCatalogListener implements CatalogListener {
    private final CheckScheduler scheduler;
    private final TransitionWriter transitions;

    CheckerCatalogListener(CheckScheduler scheduler, TransitionWriter transitions) {
        this.scheduler = scheduler;
        this.transitions = transitions;
    }

    @Override
    public void serviceUpdated(ServiceDefinition definition, KnownState known) {
        scheduler.track(definition, known);
    }

    @Override
    public void serviceRemoved(UUID id) {
        scheduler.untrack(id);
        transitions.serviceRemoved(id);
    }

    @Override
    public void partitionsReleased(Collection<Integer> partitions) {
        scheduler.release(partitions);
    }
}
