package io.devops.registry.service;

import io.vertx.pgclient.PgException;

/** Recognises PostgreSQL's unique_violation (23505) however Hibernate wrapped it. */
final class UniqueViolation {
    private UniqueViolation() {
    }

    static boolean is(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
