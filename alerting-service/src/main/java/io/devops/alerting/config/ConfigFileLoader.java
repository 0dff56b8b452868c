package io.devops.alerting.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import io.devops.alerting.AlertingSettings;
import io.devops.alerting.channel.ChannelBook;
import io.devops.alerting.channel.ChannelRequest;
import io.devops.alerting.routing.RoutingBook;
import io.devops.common.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Configuration as code: at start, the file named by {@code alerting.config-file} creates or
 * updates its channels (by name) and replaces the routing when it differs from the stored one.
 * {@code ${NAME}} in any string is the environment variable NAME, so secrets come from a
 * Kubernetes Secret rather than the file. A file that cannot be applied stops the start, naming
 * the problem: a service that runs without the routing its operators wrote would page nobody.
 */
@ApplicationScoped
public class ConfigFileLoader {
    private static final Logger LOG = Logger.getLogger(ConfigFileLoader.class);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    public static final String ACTOR = "config-file";

    private final AlertingSettings settings;
    private final ObjectMapper json;
    private final ChannelBook channels;
    private final RoutingBook routing;

    ConfigFileLoader(AlertingSettings settings, ObjectMapper json, ChannelBook channels, RoutingBook routing) {
        this.settings = settings;
        this.json = json;
        this.channels = channels;
        this.routing = routing;
    }

    void apply(@Observes StartupEvent started) throws Throwable {
        if (settings.configFile().isEmpty()) {
            return;
        }
        Path file = settings.configFile().get();
        ConfigFile config = read(file, System::getenv);
        VertxContextSupport.subscribeAndAwait(() -> apply(config).onFailure().transform(failure -> new IllegalStateException(
                "the alerting configuration " + file + " cannot be applied: " + describe(failure), failure)));
        LOG.infof("applied %s: %d channel(s)%s", file, config.channels() == null ? 0 : config.channels().size(),
                config.routing() == null ? "" : " and the routing");
    }

    /** Reads the file, with {@code ${NAME}} replaced by {@code environment.apply(NAME)}. */
    public ConfigFile read(Path file, UnaryOperator<String> environment) {
        try {
            JsonNode tree = new YAMLMapper().readTree(Files.readString(file));
            if (tree == null || !tree.isObject()) {
                throw new IllegalStateException("the alerting configuration " + file + " is not a YAML mapping");
            }
            return json.treeToValue(expand(tree, environment, ""), ConfigFile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the alerting configuration " + file + " is not valid: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("the alerting configuration " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    public Uni<Void> apply(ConfigFile config) {
        List<ChannelRequest> given = config.channels() == null ? List.of() : config.channels();
        Uni<Void> channelsApplied = Multi.createFrom().iterable(given)
                .onItem().transformToUniAndConcatenate(channels::put)
                .collect().last().replaceWithVoid();
        return channelsApplied.chain(() -> config.routing() == null ? Uni.createFrom().voidItem()
                : routing.replaceIfChanged(config.routing(), ACTOR).replaceWithVoid());
    }

    private static JsonNode expand(JsonNode node, UnaryOperator<String> environment, String where) {
        if (node.isTextual()) {
            Matcher variable = VARIABLE.matcher(node.asText());
            StringBuilder expanded = new StringBuilder();
            while (variable.find()) {
                String value = environment.apply(variable.group(1));
                if (value == null) {
                    throw new IllegalStateException("the alerting configuration refers to the environment variable "
                            + variable.group(1) + " at " + where + ", which is not set");
                }
                variable.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            variable.appendTail(expanded);
            return TextNode.valueOf(expanded.toString());
        }
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), expand(field.getValue(), environment, where.isEmpty() ? field.getKey()
                        : where + "." + field.getKey()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            for (int i = 0; i < node.size(); i++) {
                copy.add(expand(node.get(i), environment, where + "[" + i + "]"));
            }
            return copy;
        }
        return node;
    }

    private static String describe(Throwable failure) {
        if (failure instanceof ProblemException problem) {
            return problem.getMessage() + (problem.errors().isEmpty() ? "" : " " + problem.errors().stream()
                    .map(error -> error.field() + ": " + error.message()).toList());
        }
        return failure.getMessage();
    }
}
