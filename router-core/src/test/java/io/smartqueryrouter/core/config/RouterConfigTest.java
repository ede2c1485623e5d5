package io.smartqueryrouter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.TcpProbe;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterConfigTest {
    private final NodeConfig a = new NodeConfig("a", "http://127.0.0.1:1/", 2, "eu-1", Map.of("role", "edge"), Map.of());
    private final NodeConfig b = NodeConfig.of("b", "http://127.0.0.1:2/");

    @Test
    void buildsARouterWithTheConfiguredPolicyNodesAndSchedule() {
        RouterConfig config = new RouterConfig("orders", "round-robin", List.of(a, b),
                new HealthCheckConfig("tcp", null, Duration.ofSeconds(2), Duration.ofMillis(500), 3, 2),
                OutlierEjection.builder().consecutiveFailures(7).build(), RetryPolicy.builder().maxAttempts(2).build());
        try (Router<URI> router = config.<URI>newRouterBuilder(n -> URI.create(n.url()), hc -> TcpProbe.forUri()).build()) {
            assertThat(router.name()).isEqualTo("orders");
            assertThat(router.policy().name()).isEqualTo("round-robin");
            assertThat(router.retryPolicy().maxAttempts()).isEqualTo(2);
            assertThat(router.nodes()).containsExactly(
                    Node.builder("a", URI.create("http://127.0.0.1:1/")).weight(2).zone("eu-1").label("role", "edge").build(),
                    Node.of("b", URI.create("http://127.0.0.1:2/")));
        }
    }

    @Test
    void aConfiguredHedgeIsTheRoutersHedgePolicy() {
        HedgePolicy hedge = HedgePolicy.builder().afterPercentile(0.99).minDelay(Duration.ofMillis(5))
                .maxExtraPercent(10).maxHedges(2).build();
        RouterConfig config = new RouterConfig("orders", "round-robin", List.of(a, b), null, OutlierEjection.defaults(),
                null, hedge);
        assertThat(config.hedge()).isSameAs(hedge);
        try (Router<URI> router = config.<URI>newRouterBuilder(n -> URI.create(n.url()), hc -> TcpProbe.forUri()).build()) {
            assertThat(router.hedgePolicy()).isSameAs(hedge);
            // no latency known yet: the adaptive delay is the latency prior, 30 ms
            assertThat(router.newCall().hedgeDelayNanos()).isEqualTo(Duration.ofMillis(30).toNanos());
        }
    }

    @Test
    void theSixParameterConstructorMeansNoHedging() {
        RouterConfig config = new RouterConfig("orders", "round-robin", List.of(a), null, OutlierEjection.defaults(),
                RetryPolicy.defaults());
        assertThat(config.hedge()).isNull();
        assertThat(config).isEqualTo(new RouterConfig("orders", "round-robin", List.of(a), null,
                config.outlierEjection(), config.retry(), null));
        try (Router<URI> router = config.<URI>newRouterBuilder(n -> URI.create(n.url()), hc -> TcpProbe.forUri()).build()) {
            assertThat(router.hedgePolicy()).isSameAs(HedgePolicy.disabled());
            assertThat(router.newCall().hedgeDelayNanos()).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void refusesDuplicateIdsUnknownPoliciesAndBadSchedules() {
        assertThatThrownBy(() -> new RouterConfig("orders", "p2c-peak-ewma", List.of(a, a), null,
                OutlierEjection.defaults(), RetryPolicy.defaults()))
                .hasMessage("router 'orders': duplicate node id 'a'");
        RouterConfig unknown = new RouterConfig("orders", "fastest", List.of(a), null, OutlierEjection.defaults(),
                RetryPolicy.defaults());
        assertThatThrownBy(() -> unknown.newRouterBuilder(n -> n.url(), hc -> null))
                .hasMessageStartingWith("router 'orders': unknown routing policy 'fastest'; registered policies are ");
        assertThatThrownBy(() -> new HealthCheckConfig("tcp", null, Duration.ZERO, Duration.ofSeconds(1), 3, 2))
                .hasMessage("healthCheck.interval must be > 0, but was PT0S");
        assertThatThrownBy(() -> new NodeConfig("c", "x", 0, null, Map.of(), Map.of()))
                .hasMessage("node 'c': weight must be > 0, but was 0");
    }

    @Test
    void neverPrintsCredentials() {
        NodeConfig db = new NodeConfig("pg", "jdbc:postgresql://app:s3cret@db:5432/orders?password=s3cret", 1, "",
                Map.of(), Map.of("user", "app", "password", "s3cret"));
        assertThat(db.toString()).doesNotContain("s3cret")
                .isEqualTo("NodeConfig[id=pg, url=jdbc:postgresql://db:5432/orders?..., weight=1, properties=[password, user]]");
    }
}
