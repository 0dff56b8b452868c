package io.devops.systemtests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.devops.common.testing.KafkaBrokerResource;
import io.devops.common.testing.Tokens;

/**
 * The settings every service process of a system test gets: the test database, this JVM's own
 * Kafka broker, the test token issuer, no trace export. Nothing touches a running platform.
 */
final class TestPlatform {
    private TestPlatform() {
    }

    static String bootstrap() {
        return KafkaBrokerResource.broker().bootstrapServers();
    }

    /**
     * Settings for a service whose database role and schema are {@code role}; {@code clean} empties
     * that schema first (give it to the first process of a service only).
     */
    static Map<String, String> settings(String role, boolean clean) {
        String database = System.getProperty("platform.test.db", "devops_test");
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + database);
        settings.put("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/" + database);
        settings.put("quarkus.datasource.username", role);
        settings.put("quarkus.datasource.password", role);
        settings.put("quarkus.flyway.clean-at-start", Boolean.toString(clean));
        settings.put("quarkus.flyway.clean-disabled", "false");
        settings.put("kafka.bootstrap.servers", bootstrap());
        settings.put("quarkus.otel.sdk.disabled", "true");
        settings.put("mp.jwt.verify.publickey.location", publicKey().toString());
        settings.put("mp.jwt.verify.issuer", Tokens.ISSUER);
        settings.put("devops.outbox.poll-interval", "20ms");
        return settings;
    }

    private static Path publicKey() {
        try (InputStream in = TestPlatform.class.getClassLoader().getResourceAsStream("testing/publicKey.pem")) {
            Path file = Files.createTempFile("system-tests-public-key", ".pem");
            Files.write(file, in.readAllBytes());
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
