package io.devops.registry;

import static io.devops.registry.Services.api;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.devops.common.testing.KafkaBrokerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaBrokerResource.class)
class ConcurrentRegistrationTest {
    private static final int CLIENTS = 16;

    @Test
    void sameNameFromManyClientsAtOnceHasExactlyOneWinner() throws Exception {
        Map<String, Object> body = Services.registration("race");
        List<Integer> statuses = concurrently(() -> Services.register(body).statusCode());
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(CLIENTS - 1);
        assertThat(api().get("/services?limit=1000").then().extract()
                .<List<String>>path("name")).filteredOn(body.get("name")::equals).hasSize(1);
    }

    @Test
    void differentNamesFromManyClientsAtOnceAllSucceed() throws Exception {
        long before = Services.total();
        List<Integer> statuses = concurrently(() -> Services.register(Services.registration("many")).statusCode());
        assertThat(statuses).containsOnly(201);
        assertThat(Services.total()).isEqualTo(before + CLIENTS);
    }

    private static List<Integer> concurrently(Callable<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                results.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
