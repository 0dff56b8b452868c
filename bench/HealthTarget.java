import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * The benchmark's check target: one process answering every service's health path
 * ({@code /svc/<n>/health}) with 200 and a small JSON body on Vert.x (two event loops, as this
 * 2-core machine has cores), and counting the requests at {@code /requests}.
 * Usage: java -cp 'monitoring-service/target/quarkus-app/lib/main/*' bench/HealthTarget.java <port>
 */
public class HealthTarget {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Buffer body = Buffer.buffer("{\"status\":\"UP\"}");
        LongAdder requests = new LongAdder();
        Vertx vertx = Vertx.vertx();
        vertx.deployVerticle(() -> new io.vertx.core.AbstractVerticle() {
            @Override
            public void start() {
                vertx.createHttpServer().requestHandler(request -> {
                    if (request.path().equals("/requests")) {
                        request.response().end(Long.toString(requests.sum()));
                        return;
                    }
                    requests.increment();
                    request.response().putHeader("Content-Type", "application/json").end(body);
                }).listen(port, "127.0.0.1");
            }
        }, new DeploymentOptions().setInstances(2)).onSuccess(id -> System.out.println("health target on 127.0.0.1:" + port))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }
}
