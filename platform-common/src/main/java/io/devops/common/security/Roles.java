package io.devops.common.security;

/**
 * The roles a bearer token grants through its {@code groups} claim. Each includes the ones before
 * it: an endpoint lists every role that may call it, for example
 * {@code @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})} for a write. Listing them costs nothing per
 * request, where adding implied roles to every identity would.
 */
public final class Roles {
    /** Reads everything. */
    public static final String VIEWER = "viewer";
    /** Changes what the platform manages: registers services, sends heartbeats, acknowledges alerts. */
    public static final String OPERATOR = "operator";
    /** Changes the platform's own configuration. */
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
