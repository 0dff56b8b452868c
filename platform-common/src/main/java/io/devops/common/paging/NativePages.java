package io.devops.common.paging;

import java.util.Map;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/** One page of a native query and the count across all pages, with the same named parameters. */
public final class NativePages {
    private NativePages() {
    }

    /**
     * {@code select} is the whole query but its paging (it ends with its {@code order by});
     * {@code count} counts the same rows.
     */
    public static <T> Uni<Page<T>> page(Mutiny.Session session, Class<T> type, String select, String count,
            Map<String, Object> params, int limit, int skip) {
        var rows = session.createNativeQuery(select + " limit :limit offset :skip", type);
        var total = session.createNativeQuery(count, Long.class);
        params.forEach((name, value) -> {
            rows.setParameter(name, value);
            total.setParameter(name, value);
        });
        rows.setParameter("limit", limit);
        rows.setParameter("skip", skip);
        return rows.getResultList().flatMap(items -> total.getSingleResult()
                .map(n -> new Page<>(items, ((Number) n).longValue())));
    }
}
