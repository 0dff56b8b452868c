package io.devops.common.paging;

import java.util.List;

/** One page of a list and the number of items across all pages. */
public record Page<T>(List<T> items, long total) {
}
