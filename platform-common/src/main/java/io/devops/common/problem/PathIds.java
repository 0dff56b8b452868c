package io.devops.common.problem;

import java.util.UUID;

/** Ids in paths are opaque to clients: one that is not a UUID names nothing, so it is a 404, not a 400. */
public final class PathIds {
    private PathIds() {
    }

    /** {@code what} names the kind of thing in the 404's detail, for example {@code service}. */
    public static UUID parse(String what, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no " + what + " with id '" + raw + "'");
        }
    }
}
