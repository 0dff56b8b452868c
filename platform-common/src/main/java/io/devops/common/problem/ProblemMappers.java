package io.devops.common.problem;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Maps every failure of a request to RFC 9457 problem details. Client mistakes are 4xx with a
 * detail that says what to fix; an unreachable database is a 503 with Retry-After; anything else
 * is a 500 whose detail reveals nothing internal.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final int RETRY_AFTER_SECONDS = 5;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response response = respond(new Problem("about:blank", e.title(), e.status(), e.getMessage(), path(uri), e.errors()));
        return e.status() == 503 ? Response.fromResponse(response).header("Retry-After", RETRY_AFTER_SECONDS).build() : response;
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .toList();
        String detail = errors.stream().map(err -> err.field() + ": " + err.message()).collect(Collectors.joining("; "));
        return respond(new Problem("about:blank", "Bad Request", 400, "invalid request: " + detail, path(uri), errors));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e, UriInfo uri) {
        return badJson("malformed JSON: " + e.getOriginalMessage(), List.of(), uri);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = jsonPath(e);
        return badJson("unknown field '" + field + "'", List.of(new Problem.FieldError(field, "unknown field")), uri);
    }

    @ServerExceptionMapper
    public Response wrongValue(InvalidFormatException e, UriInfo uri) {
        String field = jsonPath(e);
        String message;
        if (e.getTargetType() != null && e.getTargetType().isEnum()) {
            String allowed = Arrays.stream(e.getTargetType().getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
            message = "must be one of: " + allowed;
        } else {
            message = "must be of type " + simpleType(e.getTargetType());
        }
        return badJson(field + " " + message + ", got " + e.getValue(), List.of(new Problem.FieldError(field, message)), uri);
    }

    @ServerExceptionMapper
    public Response wrongType(MismatchedInputException e, UriInfo uri) {
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return badJson("the request body must be a JSON " + simpleType(e.getTargetType()), List.of(), uri);
        }
        String message = "must be of type " + simpleType(e.getTargetType());
        return badJson(field + " " + message, List.of(new Problem.FieldError(field, message)), uri);
    }

    @ServerExceptionMapper
    public Response unmappableJson(JsonMappingException e, UriInfo uri) {
        String field = jsonPath(e);
        List<Problem.FieldError> errors = field.isEmpty() ? List.of() : List.of(new Problem.FieldError(field, e.getOriginalMessage()));
        return badJson("invalid JSON value" + (field.isEmpty() ? "" : " at " + field) + ": " + e.getOriginalMessage(), errors, uri);
    }

    @ServerExceptionMapper
    public Response otherJson(JsonProcessingException e, UriInfo uri) {
        return badJson("invalid JSON: " + e.getOriginalMessage(), List.of(), uri);
    }

    @ServerExceptionMapper
    public Response unauthenticated(AuthenticationFailedException e, UriInfo uri) {
        return unauthorized("a valid bearer token is required: " + (e.getMessage() == null ? "it could not be verified"
                : e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthorized("a bearer token is required", uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem("about:blank", "Forbidden", 403, "the token's roles do not allow this", path(uri),
                List.of()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getStatusCode() >= 500) {
            LOG.errorf(e, "request to %s failed", path(uri));
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ") ? status.getReasonPhrase() : e.getMessage();
        return respond(new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (dependencyAway(e)) {
            LOG.warnf("request to %s failed, a dependency is unreachable: %s", path(uri), e.getMessage());
            return Response.fromResponse(respond(new Problem("about:blank", "Service Unavailable", 503,
                    "a service this one depends on (its database) is unreachable; retry shortly", path(uri), List.of())))
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        LOG.errorf(e, "request to %s failed", path(uri));
        return respond(new Problem("about:blank", "Internal Server Error", 500,
                "the server failed to process the request; see its log", path(uri), List.of()));
    }

    /** A connection that could not be made, or was lost: the dependency is away, not the request wrong. */
    private static boolean dependencyAway(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof ClosedConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static Response unauthorized(String detail, UriInfo uri) {
        return Response.fromResponse(respond(new Problem("about:blank", "Unauthorized", 401, detail, path(uri), List.of())))
                .header("WWW-Authenticate", "Bearer").build();
    }

    private static Response badJson(String detail, List<Problem.FieldError> errors, UriInfo uri) {
        return respond(new Problem("about:blank", "Bad Request", 400, detail, path(uri), errors));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /** The JSON path of a Jackson failure, in the request's own (snake_case) names. */
    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** The request field a bean-validation violation is about, without the method and parameter names. */
    static String fieldOf(ConstraintViolation<?> violation) {
        List<String> fields = new ArrayList<>();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = snakeCase(node.getName());
            } else if (node.getKind() == ElementKind.PROPERTY || node.getKind() == ElementKind.CONTAINER_ELEMENT) {
                String name = node.getName() == null || node.getName().startsWith("<") ? null : snakeCase(node.getName());
                if (name != null) {
                    fields.add(name);
                }
                if (node.getIndex() != null) {
                    fields.add(fields.isEmpty() ? "[" + node.getIndex() + "]" : fields.remove(fields.size() - 1) + "[" + node.getIndex() + "]");
                } else if (node.getKey() != null) {
                    fields.add(String.valueOf(node.getKey()));
                }
            }
        }
        if (fields.isEmpty()) {
            return parameter == null ? "" : parameter;
        }
        return String.join(".", fields);
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class || type == double.class) {
            return "number";
        }
        if (type == String.class) {
            return "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        return "object";
    }
}
