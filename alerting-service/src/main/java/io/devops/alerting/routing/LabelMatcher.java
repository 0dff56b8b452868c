package io.devops.alerting.routing;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher as Alertmanager writes it: {@code name=value}, {@code name!=value},
 * {@code name=~regex} or {@code name!~regex}, the value optionally in double quotes. A regex must
 * match the whole value, and a missing label has the empty value, as in Alertmanager.
 */
public record LabelMatcher(String name, Operator operator, String value, Pattern pattern) {
    private static final Pattern SYNTAX = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*((?s:.*?))\\s*");

    public enum Operator {
        EQUAL("="), NOT_EQUAL("!="), MATCHES("=~"), NOT_MATCHES("!~");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        static Operator of(String symbol) {
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return operator;
                }
            }
            throw new IllegalArgumentException(symbol);
        }
    }

    /** The matcher {@code text} says; an {@link IllegalArgumentException} naming what is wrong otherwise. */
    public static LabelMatcher parse(String text) {
        Matcher parts = text == null ? null : SYNTAX.matcher(text);
        if (parts == null || !parts.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a matcher such as severity=\"critical\", "
                    + "service!=\"batch\", alertname=~\"Disk.*\" or env!~\"dev|test\"");
        }
        Operator operator = Operator.of(parts.group(2));
        String value = unquote(parts.group(3), text);
        Pattern pattern = null;
        if (operator == Operator.MATCHES || operator == Operator.NOT_MATCHES) {
            try {
                pattern = Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("'" + text + "' has an invalid regular expression: " + e.getDescription());
            }
        }
        return new LabelMatcher(parts.group(1), operator, value, pattern);
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (operator) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case MATCHES -> pattern.matcher(actual).matches();
            case NOT_MATCHES -> !pattern.matcher(actual).matches();
        };
    }

    /** Whether all of {@code matchers} match (an empty list matches everything). */
    public static boolean all(Iterable<LabelMatcher> matchers, Map<String, String> labels) {
        for (LabelMatcher matcher : matchers) {
            if (!matcher.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + operator.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    /**
     * The value between the quotes, with Alertmanager's escapes: {@code \"}, {@code \\} and
     * {@code \n} are read as a quote, a backslash and a line feed; any other backslash stays, so a
     * regular expression such as {@code "5\d\d"} keeps its meaning quoted or not.
     */
    private static String unquote(String value, String text) {
        boolean quoted = value.startsWith("\"");
        String raw = quoted ? value.substring(1) : value;
        StringBuilder unquoted = new StringBuilder();
        boolean open = quoted;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i < raw.length() - 1) {
                char escaped = raw.charAt(++i);
                switch (escaped) {
                    case 'n' -> unquoted.append('\n');
                    case '"', '\\' -> unquoted.append(escaped);
                    default -> unquoted.append('\\').append(escaped);
                }
            } else if (c == '"') {
                if (!open) {
                    throw new IllegalArgumentException("'" + text + "' has an unbalanced quote");
                }
                if (i < raw.length() - 1) {
                    throw new IllegalArgumentException("'" + text + "' has a quote inside its value; escape it as \\\"");
                }
                open = false;
            } else {
                unquoted.append(c);
            }
        }
        if (open) {
            throw new IllegalArgumentException("'" + text + "' has an unbalanced quote");
        }
        return unquoted.toString();
    }
}
