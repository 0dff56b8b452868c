package io.devops.common.sql;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON kept in PostgreSQL columns (jsonb, read and written as text), with the service's mapper.
 * What the service wrote is read back, so a failure to read is a fault, not bad input.
 */
@ApplicationScoped
public class JsonColumns {
    public static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };
    public static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    public static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    JsonColumns(ObjectMapper json) {
        this.json = json;
    }

    public <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    public <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    public JsonNode tree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw unreadable(e);
        }
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static IllegalStateException unreadable(JsonProcessingException e) {
        return new IllegalStateException("a stored JSON column is not readable: " + e.getOriginalMessage(), e);
    }
}
