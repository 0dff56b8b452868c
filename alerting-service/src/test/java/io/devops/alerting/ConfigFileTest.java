package io.devops.alerting;

import static io.devops.alerting.Receivers.admin;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.devops.alerting.config.ConfigFile;
import io.devops.alerting.config.ConfigFileLoader;
import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;

/** Channels and routing as code: a YAML file applied when the service starts. */
@QuarkusTest
@TestProfile(ConfigFileTest.WithConfigFile.class)
@WithTestResource(KafkaBrokerResource.class)
class ConfigFileTest {
    static final String YAML = """
            channels:
              - name: file-hook
                type: webhook
                settings:
                  url: http://127.0.0.1:9/hooks/file
                secrets:
                  hmac_secret: ${HOME}
              - name: file-mail
                type: email
                settings: {host: smtp.example.test, from: alerts@example.test, to: "a@example.test, b@example.test"}
            routing:
              route:
                channels: [file-hook]
                group_wait: 10s
                routes:
                  - matchers: ['severity="critical"']
                    channels: [file-hook, file-mail]
                    group_wait: 0s
              inhibit_rules:
                - source_matchers: ['severity="critical"']
                  target_matchers: ['severity="warning"']
                  equal: [service]
            """;

    public static class WithConfigFile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path file = Files.createTempFile("alerting-config", ".yaml");
                Files.writeString(file, YAML);
                return Map.of("alerting.config-file", file.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    ConfigFileLoader loader;

    @Test
    void theFileSetsChannelsAndRoutingAtStartAndAgainChangesNothing() throws Throwable {
        admin().get("/channels").then().statusCode(200)
                .body("find { it.name == 'file-hook' }.secrets_set", equalTo(List.of("hmac_secret")))
                .body("find { it.name == 'file-mail' }.settings.to", equalTo(List.of("a@example.test", "b@example.test")));
        admin().get("/routing").then().statusCode(200).body("version", equalTo(1)).body("updated_by", equalTo("config-file"))
                .body("route.routes[0].channels", equalTo(List.of("file-hook", "file-mail")))
                .body("inhibit_rules[0].equal", equalTo(List.of("service")));

        // a restart with the same file: the routing is not replaced, the channels stay as they are
        Path file = Files.createTempFile("alerting-config", ".yaml");
        Files.writeString(file, YAML);
        ConfigFile again = loader.read(file, System::getenv);
        VertxContextSupport.subscribeAndAwait(() -> loader.apply(again));
        admin().get("/routing").then().body("version", equalTo(1));
        admin().get("/channels").then().body("findAll { it.name.startsWith('file-') }.size()", equalTo(2));
    }

    @Test
    void aFileThatCannotBeAppliedIsRefusedWithWhatIsWrong() throws Exception {
        Path file = Files.createTempFile("alerting-config", ".yaml");
        Files.writeString(file, "channels:\n  - name: x\n    type: slack\n    secrets: {url: '${NO_SUCH_VARIABLE_HERE}'}\n");
        assertThatThrownBy(() -> loader.read(file, name -> null)).hasMessageContaining("NO_SUCH_VARIABLE_HERE")
                .hasMessageContaining("channels[0].secrets.url");
        Files.writeString(file, "routing:\n  route: {channels: [nowhere]}\n");
        ConfigFile unknownChannel = loader.read(file, name -> null);
        assertThatThrownBy(() -> VertxContextSupport.subscribeAndAwait(() -> loader.apply(unknownChannel)))
                .hasMessageContaining("nowhere");
        Files.writeString(file, "- just a list\n");
        assertThatThrownBy(() -> loader.read(file, name -> null)).hasMessageContaining("not a YAML mapping");
        assertThatThrownBy(() -> loader.read(file.resolveSibling(file.getFileName() + ".missing"), name -> null))
                .hasMessageContaining("cannot be read");
    }
}
