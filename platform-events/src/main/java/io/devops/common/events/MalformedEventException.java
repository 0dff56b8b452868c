package io.devops.common.events;

/** An event that can never be processed; retrying will not help, so it goes to the dead-letter topic. */
public class MalformedEventException extends RuntimeException {
    private final String field;

    public MalformedEventException(String message) {
        this(message, null, null);
    }

    public MalformedEventException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** An event whose {@code field} (a snake_case body field, or a header such as {@code ce_type}) is wrong or missing. */
    public MalformedEventException(String message, Throwable cause, String field) {
        super(message, cause);
        this.field = field;
    }

    /** The field at fault, or null when the event as a whole is (not JSON, not a CloudEvent). */
    public String field() {
        return field;
    }
}
