package io.smartqueryrouter.examples.boot;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application on router-spring-boot-starter. It starts two catalog backends in-process
 * (the second answers 503 to every third request, so some calls fail over), routes calls to them
 * through the starter's OkHttpClient, and reads and writes an H2 "primary" and "replica" through the
 * starter's RoutingDataSource. Then:
 * <ul>
 *   <li>http://localhost:8080/actuator/health shows each router and node;
 *   <li>http://localhost:8080/catalog/7 calls the catalog router, http://localhost:8080/orders reads
 *       in a read-only transaction (the replica), {@code POST /orders} writes (the primary);
 *   <li>the log shows one span per attempt, with its node, kind and outcome ({@link SpanLog}).
 * </ul>
 * Run it with {@code mvn -B -q -pl examples-spring-boot -am compile exec:java}.
 */
@SpringBootApplication
public class ExampleApplication {

    /**
     * Starts the backends, then the application.
     *
     * @param args Spring Boot arguments, such as {@code --server.port=8081}
     */
    public static void main(String[] args) {
        List<HttpServer> backends = List.of(backend("catalog-1", 0), backend("catalog-2", 3));
        SpringApplication app = new SpringApplication(ExampleApplication.class);
        Map<String, Object> nodes = new LinkedHashMap<>();
        for (int i = 0; i < backends.size(); i++) {
            nodes.put("smartqueryrouter.routers.catalog.nodes[" + i + "].id", "catalog-" + (i + 1));
            nodes.put("smartqueryrouter.routers.catalog.nodes[" + i + "].url",
                    "http://127.0.0.1:" + backends.get(i).getAddress().getPort() + "/");
        }
        app.setDefaultProperties(nodes);
        app.addListeners(event -> {
            if (event instanceof org.springframework.context.event.ContextClosedEvent) {
                backends.forEach(b -> b.stop(0));
            }
        });
        app.run(args);
    }

    /**
     * A catalog backend on a free local port: {@code /health} answers 200; any other path answers
     * with the backend's name, or 503 on every {@code failEvery}-th request (0: never).
     */
    static HttpServer backend(String name, int failEvery) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            AtomicInteger requests = new AtomicInteger();
            server.createContext("/", exchange -> {
                boolean health = exchange.getRequestURI().getPath().equals("/health");
                boolean fail = !health && failEvery > 0 && requests.incrementAndGet() % failEvery == 0;
                byte[] body = (fail ? "busy" : health ? "ok" : "item " + exchange.getRequestURI().getPath()
                        + " from " + name).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
