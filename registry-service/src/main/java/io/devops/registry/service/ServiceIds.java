package io.devops.registry.service;

import java.util.UUID;

import io.devops.common.problem.ProblemException;

/** Service ids are opaque to clients: one that is not a UUID names no service, so it is a 404. */
public final class ServiceIds {
    private ServiceIds() {
    }

    public static UUID parse(String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no service with id '" + raw + "'");
        }
    }
}
