package io.devops.alerting.channel;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.devops.common.problem.Problem;

/**
 * The kinds of channel, with the settings (shown by the API) and secrets (write-only) each takes.
 * A webhook URL of Slack or Discord carries its token, so it is a secret; a generic webhook's URL
 * is a setting and its HMAC key the secret.
 */
public enum ChannelType {
    SLACK(List.of(Field.text("channel"), Field.text("username"), Field.text("icon_emoji")),
            List.of(Field.url("url").mandatory())),
    DISCORD(List.of(Field.text("username")),
            List.of(Field.url("url").mandatory())),
    EMAIL(List.of(Field.text("host").mandatory(), Field.port("port"), Field.oneOf("tls", "starttls", "ssl", "none"),
            Field.address("from").mandatory(), Field.addresses("to").mandatory(), Field.text("username")),
            List.of(Field.text("password"))),
    WEBHOOK(List.of(Field.url("url").mandatory()),
            List.of(Field.text("hmac_secret"))),
    PAGERDUTY(List.of(Field.url("url")),
            List.of(Field.text("routing_key").mandatory()));

    public static final String PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com/v2/enqueue";
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s<>,]+@[^@\\s<>,]+");

    private final List<Field> settings;
    private final List<Field> secrets;

    ChannelType(List<Field> settings, List<Field> secrets) {
        this.settings = settings;
        this.secrets = secrets;
    }

    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChannelType of(String text) {
        for (ChannelType type : values()) {
            if (type.json().equals(text)) {
                return type;
            }
        }
        return null;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(ChannelType::json).toList();
    }

    /** The settings, checked and normalised (ports as numbers, recipient lists as lists); problems into {@code errors}. */
    public Map<String, Object> settings(Map<String, Object> given, List<Problem.FieldError> errors) {
        return check("settings", settings, given == null ? Map.of() : given, errors);
    }

    /** The secrets after {@code given} is applied to {@code stored}: a key given null is removed, a key not given is kept. */
    public Map<String, Object> secrets(Map<String, String> given, Map<String, String> stored, List<Problem.FieldError> errors) {
        Map<String, Object> merged = new LinkedHashMap<>(stored);
        if (given != null) {
            given.forEach((key, value) -> {
                if (value == null) {
                    merged.remove(key);
                } else {
                    merged.put(key, value);
                }
            });
        }
        return check("secrets", secrets, merged, errors);
    }

    private Map<String, Object> check(String group, List<Field> fields, Map<String, ?> given, List<Problem.FieldError> errors) {
        Map<String, Object> checked = new LinkedHashMap<>();
        for (String key : given.keySet()) {
            if (fields.stream().noneMatch(field -> field.name.equals(key))) {
                errors.add(new Problem.FieldError(group + "." + key, "a " + json() + " channel takes no such "
                        + group.substring(0, group.length() - 1) + "; it takes " + fields.stream().map(f -> f.name).toList()));
            }
        }
        for (Field field : fields) {
            Object value = given.get(field.name);
            if (value == null || value instanceof String text && text.isBlank()) {
                if (field.required) {
                    errors.add(new Problem.FieldError(group + "." + field.name, "is required for a " + json() + " channel"));
                }
                continue;
            }
            String problem = field.problem(value);
            if (problem != null) {
                errors.add(new Problem.FieldError(group + "." + field.name, problem));
            } else {
                checked.put(field.name, field.normalise(value));
            }
        }
        return checked;
    }

    private enum Kind {
        TEXT, URL, PORT, ONE_OF, ADDRESS, ADDRESSES
    }

    private record Field(String name, Kind kind, boolean required, List<String> choices) {

        static Field text(String name) {
            return new Field(name, Kind.TEXT, false, List.of());
        }

        static Field url(String name) {
            return new Field(name, Kind.URL, false, List.of());
        }

        static Field port(String name) {
            return new Field(name, Kind.PORT, false, List.of());
        }

        static Field address(String name) {
            return new Field(name, Kind.ADDRESS, false, List.of());
        }

        static Field addresses(String name) {
            return new Field(name, Kind.ADDRESSES, false, List.of());
        }

        static Field oneOf(String name, String... choices) {
            return new Field(name, Kind.ONE_OF, false, List.of(choices));
        }

        Field mandatory() {
            return new Field(name, kind, true, choices);
        }

        String problem(Object value) {
            return switch (kind) {
                case TEXT -> value instanceof String text && text.length() <= 2000 ? null : "must be a text of at most 2000 characters";
                case URL -> value instanceof String text && isHttpUrl(text) ? null : "must be an absolute http or https URL";
                case PORT -> value instanceof Number number && number.intValue() == number.doubleValue()
                        && number.intValue() >= 1 && number.intValue() <= 65535 ? null : "must be a port number from 1 to 65535";
                case ONE_OF -> choices.contains(value) ? null : "must be one of " + choices;
                case ADDRESS -> value instanceof String text && ADDRESS.matcher(text.strip()).matches() ? null
                        : "must be an email address";
                case ADDRESSES -> addresses(value).isEmpty() || !addresses(value).stream().allMatch(a -> ADDRESS.matcher(a).matches())
                        ? "must be one or more email addresses (a list, or separated by commas)" : null;
            };
        }

        Object normalise(Object value) {
            return switch (kind) {
                case PORT -> ((Number) value).intValue();
                case ADDRESSES -> addresses(value);
                case ADDRESS, URL, TEXT -> ((String) value).strip();
                case ONE_OF -> value;
            };
        }

        private static List<String> addresses(Object value) {
            List<String> addresses = new ArrayList<>();
            if (value instanceof String text) {
                for (String part : text.split(",")) {
                    if (!part.isBlank()) {
                        addresses.add(part.strip());
                    }
                }
            } else if (value instanceof List<?> list) {
                for (Object item : list) {
                    if (!(item instanceof String text)) {
                        return List.of("");
                    }
                    addresses.add(text.strip());
                }
            }
            return addresses;
        }

        private static boolean isHttpUrl(String text) {
            try {
                URI uri = URI.create(text.strip());
                return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                        && uri.getHost() != null;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
    }
}
