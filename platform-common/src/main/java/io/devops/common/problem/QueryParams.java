package io.devops.common.problem;

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
}
