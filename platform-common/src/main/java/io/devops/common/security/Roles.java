package io.devops.common.security;

/** The roles a bearer token can carry (its {@code groups} claim). Each includes the ones before it. */
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
