package io.smartqueryrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import io.smartqueryrouter.jdbc.pg.PostgresCluster;
import io.smartqueryrouter.jdbc.pg.PostgresClusterExtension;
import io.smartqueryrouter.jdbc.pg.PostgresNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Transactional;

/**
 * A whole Spring Boot application on the starter: two real local HTTP servers behind one router, a
 * real PostgreSQL primary with two streaming replicas behind a routing DataSource, Actuator's health
 * endpoint, and Micrometer observations.
 */
@SpringBootTest(classes = SmartQueryRouterApplicationIT.App.class, webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "management.endpoint.health.show-details=always")
@ExtendWith(PostgresClusterExtension.class)
class SmartQueryRouterApplicationIT {
    private static final HttpServer A = server("a");
    private static final HttpServer B = server("b");
    /** Every attempt's observation as it stopped: node, kind, outcome. */
    static final List<Map<String, String>> ATTEMPTS = new CopyOnWriteArrayList<>();

    private static HttpServer server(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopServers() {
        A.stop(0);
        B.stop(0);
    }

    @DynamicPropertySource
    static void routers(DynamicPropertyRegistry registry) {
        String http = "smartqueryrouter.routers.orders.";
        registry.add(http + "nodes[0].id", () -> "a");
        registry.add(http + "nodes[0].url", () -> "http://127.0.0.1:" + A.getAddress().getPort() + "/");
        registry.add(http + "nodes[1].id", () -> "b");
        registry.add(http + "nodes[1].url", () -> "http://127.0.0.1:" + B.getAddress().getPort() + "/");
        registry.add(http + "healthCheck.probe", () -> "http");
        registry.add(http + "healthCheck.path", () -> "/health");
        registry.add(http + "healthCheck.interval", () -> "PT1S");

        PostgresCluster pg = PostgresCluster.shared();
        String db = "smartqueryrouter.routers.orders-db.";
        List<PostgresNode> nodes = pg.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            PostgresNode node = nodes.get(i);
            registry.add(db + "nodes[" + i + "].id", node::id);
            registry.add(db + "nodes[" + i + "].url", node::jdbcUrl);
            registry.add(db + "nodes[" + i + "].user", node::user);
            registry.add(db + "nodes[" + i + "].password", node::password);
            registry.add(db + "nodes[" + i + "].labels.role", () -> node.isPrimary() ? "primary" : "replica");
        }
        registry.add(db + "health-check.probe", () -> "postgres");
        registry.add(db + "health-check.interval", () -> "1000");
    }

    /**
     * The application: Boot's auto-configuration, one service with transactions. No component scan: this
     * package holds the starter's own configuration classes, which an application never scans.
     */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @Bean
        Where where(JdbcTemplate jdbc) {
            return new Where(jdbc);
        }

        /** Records each attempt's observation, as a tracer would see it. */
        @Bean
        ObservationHandler<Observation.Context> attempts() {
            return new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return context.getName().equals("smartqueryrouter.attempt");
                }

                @Override
                public void onStop(Observation.Context context) {
                    ATTEMPTS.add(context.getLowCardinalityKeyValues().stream()
                            .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue)));
                }
            };
        }
    }

    /** Tells which server a transaction ran on. */
    static class Where {
        private final JdbcTemplate jdbc;

        Where(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional(readOnly = true)
        public String read() {
            return jdbc.queryForObject("select pg_is_in_recovery()::text || ':' || inet_server_port()", String.class);
        }

        @Transactional
        public String write() {
            jdbc.update("create table if not exists boot_writes (id serial primary key)");
            jdbc.update("insert into boot_writes default values");
            return jdbc.queryForObject("select pg_is_in_recovery()::text || ':' || inet_server_port()", String.class);
        }
    }

    @Autowired
    DataSource dataSource;
    @Autowired
    Where where;
    @Autowired
    OkHttpClient client;
    @Autowired
    HealthEndpoint health;
    @Autowired
    MeterRegistry meters;

    @Test
    void readOnlyTransactionsGoToTheReplicasAndWritesToThePrimary(PostgresCluster pg) {
        assertThat(dataSource).isInstanceOf(RoutingDataSource.class);
        RoutingDataSource routing = (RoutingDataSource) dataSource;
        // every node was probed at least once (roles and replay lag known), as the health-check timer counts
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pg.nodes().stream().allMatch(n -> {
            return meters.find("smartqueryrouter.health.checks").tags("router", "orders-db", "node", n.id()).timers().stream()
                    .mapToLong(Timer::count).sum() >= 1;
        }));
        String primaryPort = Integer.toString(pg.primary().port());
        assertThat(where.write()).isEqualTo("false:" + primaryPort);

        Map<String, Long> reads = java.util.stream.IntStream.range(0, 50).mapToObj(i -> where.read())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        // all 50 on a replica (in recovery), none on the primary
        assertThat(reads.keySet()).allMatch(w -> w.startsWith("true:"));
        assertThat(reads.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(50);
        assertThat(reads.keySet()).doesNotContain("false:" + primaryPort);
    }

    @Test
    void theClientRoutesTheLogicalHostAndEachAttemptIsAnObservationNamingItsNode() throws IOException {
        ATTEMPTS.clear();
        for (int i = 0; i < 10; i++) {
            try (Response r = client.newCall(new Request.Builder().url("http://orders/hello").build()).execute()) {
                assertThat(r.code()).isEqualTo(200);
                assertThat(r.body().string()).isIn("a", "b");
            }
        }
        List<Map<String, String>> http = ATTEMPTS.stream().filter(o -> o.get("router").equals("orders")).toList();
        assertThat(http).hasSize(10).allSatisfy(o -> {
            assertThat(o).containsEntry("kind", "first").containsEntry("attempt", "1").containsEntry("outcome", "success");
            assertThat(o.get("node")).isIn("a", "b");
        });
    }

    @Test
    void actuatorHealthShowsEachRouterAndNode() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            IndicatedHealthDescriptor orders = (IndicatedHealthDescriptor) health.healthForPath("smartqueryrouter", "orders");
            assertThat(orders.getStatus()).isEqualTo(Status.UP);
            assertThat(orders.getDetails()).containsEntry("available", "2 of 2");
            assertThat(new TreeSet<Object>(((Map<?, ?>) orders.getDetails().get("nodes")).keySet())).containsExactly("a", "b");
            IndicatedHealthDescriptor db = (IndicatedHealthDescriptor) health.healthForPath("smartqueryrouter", "orders-db");
            assertThat(db.getStatus()).isEqualTo(Status.UP);
            assertThat(db.getDetails()).containsEntry("available", "3 of 3");
            assertThat(new TreeSet<Object>(((Map<?, ?>) db.getDetails().get("nodes")).keySet()))
                    .containsExactly("pg-primary", "pg-replica-1", "pg-replica-2");
        });
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }
}
