package io.devops.common.events;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What a consumer may rely on in the events of one payload type: the {@code ce_type}s that carry it
 * and the fields every producer sets. {@link EventCodec#decode(IncomingEvent, EventContract)}
 * checks both, so each consumer gets a whole payload or a {@link MalformedEventException} naming
 * what is wrong, and none repeats the checks.
 */
public final class EventContract<T> {
    private final Class<T> payload;
    private final Set<String> types;
    private final List<Field<T>> required;

    private EventContract(Class<T> payload, Set<String> types, List<Field<T>> required) {
        this.payload = payload;
        this.types = types;
        this.required = required;
    }

    /** Events of {@code types} whose body is a {@code payload}. */
    public static <T> EventContract<T> of(Class<T> payload, String... types) {
        return new EventContract<>(payload, Set.of(types), List.of());
    }

    /** This contract, with {@code field} (its snake_case name in the body) required to be present. */
    public EventContract<T> requires(String field, Function<T, Object> value) {
        List<Field<T>> fields = new ArrayList<>(required);
        fields.add(new Field<>(field, value));
        return new EventContract<>(payload, types, List.copyOf(fields));
    }

    public Class<T> payload() {
        return payload;
    }

    public Set<String> types() {
        return types;
    }

    void checkType(IncomingEvent event) {
        if (!types.contains(event.type())) {
            throw new MalformedEventException("event " + event.id() + " has the unexpected type " + event.type()
                    + " (expected " + String.join(" or ", types.stream().sorted().toList()) + ")", null, "ce_type");
        }
    }

    T checkFields(IncomingEvent event, T decoded) {
        for (Field<T> field : required) {
            if (field.value().apply(decoded) == null) {
                throw new MalformedEventException("event " + event.id() + " (" + event.type() + ") lacks " + field.name(),
                        null, field.name());
            }
        }
        return decoded;
    }

    private record Field<T>(String name, Function<T, Object> value) {
    }
}
