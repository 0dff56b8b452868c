package io.devops.alerting.config;

import java.util.List;

import io.devops.alerting.channel.ChannelRequest;
import io.devops.alerting.routing.RoutingDocument;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The YAML file applied at start: channels (by name) and, when given, the whole routing. */
@RegisterForReflection(targets = { ConfigFile.class, ChannelRequest.class })
public record ConfigFile(List<ChannelRequest> channels, RoutingDocument routing) {
}
