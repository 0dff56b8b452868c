package io.devops.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ServiceWatchTest {

    @TestHTTPResource("/services/watch")
    URL watch;

    @Test
    void watchersReceiveChangesAsServerSentEvents() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(watch + "?environment=staging"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + Services.OPERATOR_TOKEN).build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the stream ends when the test closes it
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            // The replica's watch consumer starts at the end of the topic once its partitions are
            // assigned; register until a registration made after that shows up.
            List<String> names = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                var body = Services.registration("watched");
                names.add((String) body.get("name"));
                Services.registerOk(body);
                return lines.stream().anyMatch(l -> l.startsWith("data:") && names.stream().anyMatch(l::contains));
            });
            assertThat(lines).anyMatch(l -> l.replace(" ", "").equals("event:registered"));
            var production = Services.registration("unwatched");
            production.put("environment", "production");
            String hidden = (String) production.get("name");
            Services.registerOk(production);
            var staging = Services.registration("watched-last");
            Services.registerOk(staging);
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch(l -> l.contains((String) staging.get("name"))));
            assertThat(lines).noneMatch(l -> l.contains(hidden));
        } finally {
            response.body().close();
        }
    }
}
