package io.devops.common.security;

import jakarta.ws.rs.core.SecurityContext;

/** Who made a change through the API, as history, silences, channels and routing record it. */
public final class Actor {
    private Actor() {
    }

    /** The token's subject; null when the request carried none. */
    public static String of(SecurityContext security) {
        return security.getUserPrincipal() == null ? null : security.getUserPrincipal().getName();
    }
}
