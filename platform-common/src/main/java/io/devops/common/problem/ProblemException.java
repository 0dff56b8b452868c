package io.devops.common.problem;

import java.util.List;

import jakarta.ws.rs.core.Response.Status;

/** A failure the client can act on; the mappers turn it into problem+json with its status. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Status.NOT_FOUND.getStatusCode(), "Not Found", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Status.CONFLICT.getStatusCode(), "Conflict", detail);
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(Status.BAD_REQUEST.getStatusCode(), "Bad Request", detail);
    }

    /** A request with several invalid fields, each named by its JSON path. */
    public static ProblemException invalidFields(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(Status.BAD_REQUEST.getStatusCode(), "Bad Request", detail, errors);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(Status.SERVICE_UNAVAILABLE.getStatusCode(), "Service Unavailable", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
