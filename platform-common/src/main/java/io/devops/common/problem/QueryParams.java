package io.devops.common.problem;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

import io.devops.common.time.Durations;

/**
 * Parses numeric query parameters with bounds. JAX-RS answers a malformed numeric parameter with
 * 404, which tells the client nothing; these answer 400 and name the parameter.
 */
public final class QueryParams {
    private QueryParams() {
    }

    public static int boundedInt(String name, String raw, int defaultValue, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        int value;
        try {
            value = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be a whole number, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be between " + min + " and " + max
                    + ", got " + value);
        }
        return value;
    }

    /** An optional UUID, such as a filter by a service's id: null when absent, 400 when malformed. */
    public static UUID uuid(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(raw.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be a UUID, got '" + raw + "'");
        }
    }

    /** An optional RFC 3339 timestamp, for example {@code 2026-11-22T10:00:00Z}: null when absent, 400 when malformed. */
    public static OffsetDateTime timestamp(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(raw.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("query parameter '" + name
                    + "' must be an RFC 3339 timestamp such as 2026-11-22T10:00:00Z, got '" + raw + "'");
        }
    }

    /** An optional duration such as {@code 30s}, {@code 90m}, {@code 24h}, {@code 7d} or ISO-8601 {@code PT2H}, within bounds. */
    public static Duration duration(String name, String raw, Duration defaultValue, Duration min, Duration max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        Duration value;
        try {
            value = Durations.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("query parameter '" + name
                    + "' must be a duration such as 30s, 90m, 24h, 7d or PT2H, got '" + raw + "'");
        }
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be between " + min + " and " + max
                    + ", got " + value);
        }
        return value;
    }

    /** An optional value from a fixed list, compared without regard to case; returned in lower case. */
    public static String oneOf(String name, String raw, List<String> allowed) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String value = raw.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw ProblemException.badRequest("query parameter '" + name + "' must be one of " + String.join(", ", allowed)
                    + ", got '" + raw + "'");
        }
        return value;
    }

    /** Checks that a time range is in order. */
    public static void range(String fromName, OffsetDateTime from, String toName, OffsetDateTime to) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest("query parameter '" + fromName + "' must be before '" + toName + "'");
        }
    }

    /** A repeatable {@code key=value} parameter, as a map in the order given; a later key replaces an earlier one. */
    public static Map<String, String> pairs(String name, List<String> raw) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : raw == null ? List.<String>of() : raw) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw ProblemException.badRequest("query parameter '" + name + "' must be key=value, got '" + pair + "'");
            }
            pairs.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return pairs;
    }
}
