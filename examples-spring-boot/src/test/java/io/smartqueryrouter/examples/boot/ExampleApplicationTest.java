package io.smartqueryrouter.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The example as a user runs it: health per router and node, one span per attempt with node and outcome. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {
    private static final HttpServer FAST = ExampleApplication.backend("catalog-1", 0);
    private static final HttpServer BUSY = ExampleApplication.backend("catalog-2", 1);
    static final List<Map<String, String>> SPANS = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void nodes(DynamicPropertyRegistry registry) {
        registry.add("smartqueryrouter.routers.catalog.nodes[0].id", () -> "catalog-1");
        registry.add("smartqueryrouter.routers.catalog.nodes[0].url", () -> "http://127.0.0.1:" + FAST.getAddress().getPort() + "/");
        registry.add("smartqueryrouter.routers.catalog.nodes[1].id", () -> "catalog-2");
        registry.add("smartqueryrouter.routers.catalog.nodes[1].url", () -> "http://127.0.0.1:" + BUSY.getAddress().getPort() + "/");
    }

    @AfterAll
    static void stop() {
        FAST.stop(0);
        BUSY.stop(0);
    }

    /** Keeps every finished span's tags, as an in-memory exporter. */
    @TestConfiguration
    static class Spans {
        @Bean
        SpanHandler keep() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    if (span.tags().containsKey("router")) {
                        SPANS.add(Map.copyOf(span.tags()));
                    }
                    return true;
                }
            };
        }
    }

    @Autowired
    Environment environment;

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + environment.getProperty("local.server.port") + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void eachCatalogCallIsOneSpanPerAttemptAndHealthShowsEveryRouterAndNode() throws Exception {
        SPANS.clear();
        // catalog-2 answers 503 to every request: a call that goes there first fails over to catalog-1
        for (int i = 0; i < 6; i++) {
            assertThat(get("/catalog/" + i)).isEqualTo("200 200 item /items/" + i + " from catalog-1");
        }
        List<Map<String, String>> catalog = SPANS.stream().filter(s -> s.get("router").equals("catalog")).toList();
        assertThat(catalog).filteredOn(s -> s.get("outcome").equals("success"))
                .hasSize(6).allMatch(s -> s.get("node").equals("catalog-1"));
        assertThat(catalog).filteredOn(s -> s.get("node").equals("catalog-2"))
                .allMatch(s -> s.get("outcome").equals("overloaded") && s.get("kind").equals("first"));
        // a call that failed over shows its retry on catalog-1, attempt 2
        assertThat(catalog.size() - 6).isEqualTo(catalog.stream().filter(s -> s.get("kind").equals("retry")
                && s.get("attempt").equals("2")).count());

        assertThat(get("/orders")).contains("\"servedBy\":\"replica\"");
        String health = get("/actuator/health");
        assertThat(health).startsWith("200 ").contains("\"smartqueryrouter\"", "\"catalog\"", "\"orders-db\"",
                "\"catalog-1\"", "\"catalog-2\"", "\"primary\"", "\"replica\"");
    }
}
