package io.devops.registry.service;

import java.util.List;

/** One page of a list and the number of items across all pages. */
public record Page<T>(List<T> items, long total) {
}
