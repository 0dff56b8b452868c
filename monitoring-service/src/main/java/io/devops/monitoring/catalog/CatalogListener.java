package io.devops.monitoring.catalog;

import java.util.Collection;
import java.util.UUID;

import io.devops.monitoring.catalog.CatalogProjection.KnownState;

/**
 * What this replica does with its share of the catalog: the {@link CatalogFollower} tells it, on
 * the follower's thread and in the topic's order, of each service it gains or sees change, each
 * service that leaves the catalog, and each partition it loses. The checker implements it, so the
 * catalog knows nothing of checks.
 */
public interface CatalogListener {

    /** A service of this replica's partitions, new here or changed; {@code known} is what is stored of it. */
    void serviceUpdated(ServiceDefinition definition, KnownState known);

    /** A service that left the catalog: deregistered, or gone from the topic while no replica ran. */
    void serviceRemoved(UUID id);

    /** Partitions of {@code registry.services} this replica no longer owns; returns once their services are let go. */
    void partitionsReleased(Collection<Integer> partitions);
}
