package io.devops.common.events;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * JSON for event bodies. Separate from the REST mapper on purpose: events are snake_case whatever a
 * service's REST settings are, and a consumer ignores fields it does not know, so producers can
 * add fields without breaking older consumers.
 */
@ApplicationScoped
public class EventCodec {
    private final ObjectMapper mapper = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public String encode(Object payload) {
        try {
            return mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * The payload of {@code event} as {@code contract} promises it: of one of its types, a body that
     * parses, every required field present; otherwise a {@link MalformedEventException} that names
     * the field at fault. Every consumer reads its events through this.
     */
    public <T> T decode(IncomingEvent event, EventContract<T> contract) {
        contract.checkType(event);
        return contract.checkFields(event, decode(event, contract.payload()));
    }

    /** The body of {@code event} as a {@code type}, unchecked; consumers use {@link #decode(IncomingEvent, EventContract)}. */
    <T> T decode(IncomingEvent event, Class<T> type) {
        if (event.data() == null) {
            throw new MalformedEventException("event " + event.id() + " of type " + event.type() + " has no body");
        }
        try {
            return mapper.readValue(event.data(), type);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event " + event.id() + " is not a valid " + type.getSimpleName() + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    public ObjectMapper mapper() {
        return mapper;
    }
}
