package io.smartqueryrouter.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** An interceptor route built from configuration, against real servers. */
class RoutingInterceptorFromConfigIT {

    @Test
    void aConfiguredRouterRoutesTheLogicalHostWithItsBasePathAndHealthCheck() throws Exception {
        try (MockWebServer a = TestSupport.ok("from a"); MockWebServer b = TestSupport.ok("from b")) {
            RouterConfig config = new RouterConfig("orders", "round-robin", List.of(
                    new NodeConfig("a", TestSupport.base(a) + "v1/", 1, "", Map.of(), Map.of()),
                    new NodeConfig("b", TestSupport.base(b) + "v1/", 1, "", Map.of(), Map.of())),
                    new HealthCheckConfig("http", "/health", Duration.ofSeconds(1), Duration.ofMillis(500), 3, 2),
                    OutlierEjection.defaults(), null);
            try (RoutingInterceptor interceptor = RoutingInterceptor.builder().route(config).build()) {
                OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).build();
                for (int i = 0; i < 4; i++) {
                    try (Response r = client.newCall(new Request.Builder().url("http://orders/api/items?id=7").build())
                            .execute()) {
                        assertThat(r.code()).isEqualTo(200);
                    }
                }
                assertThat(interceptor.router("orders")).isPresent()
                        .hasValueSatisfying(r -> assertThat(r.policy().name()).isEqualTo("round-robin"));
                // the router belongs to the interceptor that built it: closing one closes the other
                interceptor.close();
                assertThat(interceptor.router("orders").orElseThrow().isClosed()).isTrue();
            }
            // round-robin: two calls each, each with the base path as prefix and the query kept
            for (MockWebServer server : List.of(a, b)) {
                int work = 0;
                for (int i = server.getRequestCount(); i > 0; i--) {
                    String target = server.takeRequest().getTarget();
                    work += target.equals("/v1/api/items?id=7") ? 1 : 0;
                }
                assertThat(work).isEqualTo(2);
            }
        }
    }

    @Test
    void aProbeKindAnHttpRouterCannotUseIsRefused() {
        RouterConfig config = new RouterConfig("orders", "p2c-peak-ewma",
                List.of(NodeConfig.of("a", "http://127.0.0.1:9/")),
                new HealthCheckConfig("postgres", null, Duration.ofSeconds(1), Duration.ofMillis(500), 3, 2),
                OutlierEjection.defaults(), null);
        assertThatThrownBy(() -> RoutingInterceptor.builder().route(config))
                .hasMessage("router 'orders': health-check probe 'postgres' is not one an OkHttp router supports; "
                        + "supported: http, tcp");
        RouterConfig badUrl = new RouterConfig("orders", "p2c-peak-ewma",
                List.of(NodeConfig.of("a", "ftp://user:pw@host/x?token=1")), null, OutlierEjection.defaults(), null);
        assertThatThrownBy(() -> RoutingInterceptor.builder().route(badUrl))
                .hasMessage("router 'orders': node 'a': url must be an http:// or https:// base URL, but was 'ftp://host/x?...'");
    }

    @Test
    void aPoolSectionIsRefusedNamingTheRouterOrTheNode() {
        NodeConfig a = NodeConfig.of("a", "http://127.0.0.1:9/");
        RouterConfig routerPool = new RouterConfig("orders", "p2c-peak-ewma", List.of(a), null, OutlierEjection.defaults(),
                null, null, null, PoolConfig.defaults());
        RoutingInterceptor.Builder builder = RoutingInterceptor.builder();
        assertThatThrownBy(() -> builder.route(routerPool)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router 'orders': a pool section applies to database routers only (a routing DataSource's"
                        + " connection pools); an HTTP router's connections are its OkHttpClient's ConnectionPool: remove"
                        + " the pool section");
        NodeConfig b = new NodeConfig("b", "http://127.0.0.1:9/", 1, null, Map.of(), Map.of(),
                PoolConfig.builder(PoolConfig.defaults()).maximumPoolSize(3).build());
        RouterConfig nodePool = new RouterConfig("orders", "p2c-peak-ewma", List.of(a, b), null, OutlierEjection.defaults(),
                null);
        assertThatThrownBy(() -> builder.route(nodePool)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("router 'orders': node 'b': a pool section applies to database routers only");
        // nothing was routed: the same name is still free for a configuration without a pool
        try (RoutingInterceptor interceptor = builder.route(new RouterConfig("orders", "p2c-peak-ewma", List.of(a), null,
                OutlierEjection.defaults(), null)).build()) {
            assertThat(interceptor.router("orders")).isPresent();
        }
    }
}
