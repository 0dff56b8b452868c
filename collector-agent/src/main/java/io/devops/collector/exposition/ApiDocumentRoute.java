package io.devops.collector.exposition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.ext.web.Router;

/**
 * {@code GET /q/openapi}: the agent's OpenAPI document, written by hand and served as a file. The
 * agent has one endpoint; generating the document would load the OpenAPI scanner and its YAML and
 * JSON models into every node's agent at start (docs/architecture.md).
 */
@ApplicationScoped
public class ApiDocumentRoute {
    private static final String DOCUMENT = "META-INF/collector-agent-openapi.yaml";

    void routes(@Observes Router router, @ConfigProperty(name = "quarkus.application.version") String version) {
        String document = read().replace("${agent.version}", version);
        router.get("/q/openapi").handler(context -> context.response()
                .putHeader("content-type", "application/yaml;charset=UTF-8").end(document));
    }

    private static String read() {
        try (InputStream in = ApiDocumentRoute.class.getClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException(DOCUMENT + " is missing from the agent's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
