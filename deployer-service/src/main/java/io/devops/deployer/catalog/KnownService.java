package io.devops.deployer.catalog;

import java.util.UUID;

/** A service as the catalog knows it; {@code image} is its repository from metadata, or null. */
public record KnownService(UUID id, String name, String environment, String version, String image) {
}
