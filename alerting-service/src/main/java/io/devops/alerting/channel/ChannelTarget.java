package io.devops.alerting.channel;

import java.util.Map;
import java.util.UUID;

/** A channel as a delivery needs it, secrets included (null when they cannot be opened); never logged or shown. */
public record ChannelTarget(UUID id, String name, ChannelType type, Map<String, Object> settings, Map<String, Object> secrets) {

    @Override
    public String toString() {
        return "channel " + name + " (" + type.json() + ")";
    }
}
