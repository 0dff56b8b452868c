package io.devops.monitoring.probe;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.devops.common.events.HealthCheckSpec.BodyCondition;
import io.vertx.core.buffer.Buffer;

/** Evaluates a condition on a field of a JSON response body, such as {@code status equals UP} or {@code checks[0].state}. */
final class BodyConditions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

    /** Null when the body meets the condition, else why not. */
    String failure(BodyCondition condition, Buffer body) {
        JsonNode root;
        try {
            root = JSON.readTree(body.getBytes());
        } catch (IOException e) {
            return "body is not JSON, so " + condition.path() + " cannot be read";
        }
        if (root == null) {
            return "body is empty, so " + condition.path() + " cannot be read";
        }
        JsonNode node = find(root, condition.path());
        String expected = condition.value() == null ? "" : condition.value();
        return switch (condition.operator()) {
            case EXISTS -> node == null || node.isNull() ? condition.path() + " is absent" : null;
            case EQUALS -> node != null && text(node).equals(expected) ? null
                    : condition.path() + " is " + describe(node) + ", expected " + expected;
            case NOT_EQUALS -> node == null || !text(node).equals(expected) ? null
                    : condition.path() + " is " + expected + ", expected anything else";
            case CONTAINS -> contains(node, expected) ? null
                    : condition.path() + " is " + describe(node) + ", expected it to contain " + expected;
        };
    }

    private static JsonNode find(JsonNode root, String path) {
        JsonNode node = root;
        Matcher step = STEP.matcher(path);
        while (node != null && step.find()) {
            node = step.group(1) != null ? node.get(step.group(1)) : node.get(Integer.parseInt(step.group(2)));
        }
        return node;
    }

    private static boolean contains(JsonNode node, String expected) {
        if (node == null) {
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (text(element).equals(expected)) {
                    return true;
                }
            }
            return false;
        }
        return text(node).contains(expected);
    }

    private static String text(JsonNode node) {
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private static String describe(JsonNode node) {
        if (node == null) {
            return "absent";
        }
        String text = text(node);
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
