import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpServer;

/**
 * The benchmark's check target: one process answering every service's health path
 * ({@code /svc/<n>/health}) with 200 and a small JSON body, and counting the requests.
 * Usage: java bench/HealthTarget.java <port>
 */
public class HealthTarget {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
        LongAdder requests = new LongAdder();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 4096);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                requests.increment();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.createContext("/requests", exchange -> {
            try (exchange) {
                byte[] count = Long.toString(requests.sum()).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, count.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(count);
                }
            }
        });
        server.start();
        System.out.println("health target listening on 127.0.0.1:" + port);
    }
}
