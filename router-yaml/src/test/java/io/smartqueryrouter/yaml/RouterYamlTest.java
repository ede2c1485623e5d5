package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.TcpProbe;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a correct file gives: exactly the RouterConfig a user would build by hand. */
class RouterYamlTest {
    private static final RouterYaml.Loader NO_ENV = RouterYaml.builder().environment(Map.of()).build();

    /** The README's example, built with core's API. */
    private static RouterConfig expectedOrders() {
        return new RouterConfig("orders", "p2c-peak-ewma",
                List.of(new NodeConfig("a", "http://10.0.0.1:8080", 1, "eu-1", Map.of(), Map.of()),
                        NodeConfig.of("b", "http://10.0.0.2:8080")),
                new HealthCheckConfig("http", "/health", Duration.ofSeconds(2), Duration.ofMillis(500), 3, 2),
                OutlierEjection.builder().consecutiveFailures(5).baseEjection(Duration.ofSeconds(30))
                        .maxEjection(Duration.ofSeconds(300)).maxEjectionPercent(50).build(),
                RetryPolicy.builder().maxAttempts(3).budget(RetryBudget.of(20, 10, Duration.ofSeconds(10))).build(),
                HedgePolicy.builder().afterPercentile(0.95).maxExtraPercent(5).build(), ConcurrencyLimit.defaults(), null);
    }

    @Test
    void theFullExampleGivesExactlyTheExpectedRouterConfig() throws Exception {
        RouterYamlConfig config;
        try (InputStream in = RouterYamlTest.class.getResourceAsStream("orders.yaml")) {
            config = NO_ENV.load(in, "classpath:orders.yaml");
        }
        assertThat(config.source()).isEqualTo("classpath:orders.yaml");
        assertThat(config.routers()).containsOnlyKeys("orders");
        RouterConfig orders = config.router("orders");
        // OutlierEjection and RetryPolicy are values without equals(): compare field by field
        assertThat(orders).usingRecursiveComparison().isEqualTo(expectedOrders());
        assertThat(orders.toString()).isEqualTo(expectedOrders().toString());
        assertThat(orders.nodes()).containsExactlyElementsOf(expectedOrders().nodes());
        assertThat(orders.healthCheck()).isEqualTo(expectedOrders().healthCheck());
        assertThat(orders.retry().budget().window()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theReadmeFormatExampleLoads() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        RouterYamlConfig config = RouterYaml.builder().environment(Map.of("DB_PASSWORD", "pw")).build().parse(yaml);
        assertThat(config.routers().keySet()).containsExactly("orders", "orders-db");
        assertThat(config.router("orders")).usingRecursiveComparison().isEqualTo(expectedOrders());
        assertThat(config.router("orders-db").nodes()).extracting(n -> n.labels().get("role"), n -> n.properties().get("password"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("primary", "pw"),
                        org.assertj.core.groups.Tuple.tuple("replica", "pw"));
    }

    @Test
    void omittedSectionsTakeCoreDefaults() {
        RouterConfig orders = NO_ENV.parse("""
                routers:
                  orders:
                    nodes:
                      - id: a
                        url: http://10.0.0.1:8080
                """).router("orders");
        assertThat(orders).isEqualTo(new RouterConfig("orders", "pool-ewma",
                List.of(NodeConfig.of("a", "http://10.0.0.1:8080")), null, OutlierEjection.defaults(), null));
        assertThat(orders.healthCheck()).isNull();
        assertThat(orders.outlierEjection()).isSameAs(OutlierEjection.defaults());
        assertThat(orders.retry()).as("no retry settings: the adapter's default").isNull();
        assertThat(orders.hedge()).as("no hedge section: no hedging").isNull();
    }

    @Test
    void omittedKeysInsideSectionsTakeTheirDefaults() {
        RouterConfig orders = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    health-check: { probe: tcp }
                    outlier-ejection: { consecutive-failures: 7 }
                    retry: { max-attempts: 2 }
                """).router("orders");
        assertThat(orders.healthCheck()).isEqualTo(
                new HealthCheckConfig("tcp", null, Duration.ofSeconds(5), Duration.ofSeconds(1), 3, 2));
        assertThat(orders.outlierEjection()).usingRecursiveComparison()
                .isEqualTo(OutlierEjection.builder().consecutiveFailures(7).build());
        assertThat(orders.retry().maxAttempts()).isEqualTo(2);
        assertThat(orders.retry().budget()).isSameAs(RetryBudget.defaults());

        // a short interval without a timeout: the timeout is the interval, as HealthCheck's own default
        HealthCheckConfig fast = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    health-check: { probe: tcp, interval: 200ms }
                """).router("orders").healthCheck();
        assertThat(fast.timeout()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void everyOptionalKeyIsRead() {
        RouterConfig db = NO_ENV.parse("""
                routers:
                  orders-db:
                    policy: least-in-flight
                    nodes:
                      - id: pg-1
                        url: jdbc:postgresql://db-1:5432/orders
                        weight: 3
                        zone: eu-1
                        labels: { role: primary, rack: "7" }
                        user: app
                        password: s3cret
                      - { id: pg-2, url: "jdbc:postgresql://db-2:5432/orders", labels: { role: replica } }
                    health-check: { probe: postgres, interval: 1m, timeout: 2s, fall: 1, rise: 5 }
                    outlier-ejection:
                      consecutive-failures: 10
                      base-ejection: 5s
                      max-ejection: 10s
                      max-ejection-percent: 0
                      trial-interval: 250ms
                      panic-threshold: 0
                    retry:
                      max-attempts: 100
                      budget-percent: 0
                      min-retries-per-second: 0
                      budget-window: 1m
                      backoff-base: 50ms
                      backoff-max: 1h
                """).router("orders-db");
        assertThat(db.policy()).isEqualTo("least-in-flight");
        assertThat(db.nodes()).containsExactly(
                new NodeConfig("pg-1", "jdbc:postgresql://db-1:5432/orders", 3, "eu-1",
                        Map.of("role", "primary", "rack", "7"), Map.of("user", "app", "password", "s3cret")),
                new NodeConfig("pg-2", "jdbc:postgresql://db-2:5432/orders", 1, "", Map.of("role", "replica"), Map.of()));
        assertThat(db.healthCheck()).isEqualTo(new HealthCheckConfig("postgres", null, Duration.ofMinutes(1),
                Duration.ofSeconds(2), 1, 5));
        assertThat(db.outlierEjection()).usingRecursiveComparison().isEqualTo(OutlierEjection.builder()
                .consecutiveFailures(10).baseEjection(Duration.ofSeconds(5)).maxEjection(Duration.ofSeconds(10))
                .maxEjectionPercent(0).trialInterval(Duration.ofMillis(250)).panicThreshold(0).build());
        assertThat(db.outlierEjection().isEnabled()).isFalse();
        assertThat(db.retry()).usingRecursiveComparison().isEqualTo(RetryPolicy.builder().maxAttempts(100)
                .budget(RetryBudget.of(0, 0, Duration.ofMinutes(1)))
                .backoff(Duration.ofMillis(50), Duration.ofHours(1)).build());
    }

    @Test
    void substitutesEnvironmentVariablesWithAndWithoutDefaults() {
        String yaml = """
                routers:
                  orders:
                    policy: ${POLICY:round-robin}
                    nodes:
                      - id: a
                        url: "http://${HOST_A}:${PORT:8080}/v1"
                        weight: ${WEIGHT_A:2}
                        user: ${DB_USER:app}
                        password: ${DB_PASSWORD}
                    health-check: { probe: tcp, interval: "${INTERVAL:3s}" }
                """;
        RouterConfig orders = RouterYaml.builder()
                .environment(Map.of("HOST_A", "10.0.0.1", "DB_PASSWORD", "pa55", "PORT", "", "INTERVAL", "4s"))
                .build().parse(yaml).router("orders");
        assertThat(orders.policy()).isEqualTo("round-robin");
        NodeConfig a = orders.nodes().get(0);
        // PORT is set but empty: the default applies, as with ${PORT:-8080} in a shell
        assertThat(a.url()).isEqualTo("http://10.0.0.1:8080/v1");
        assertThat(a.weight()).isEqualTo(2);
        assertThat(a.properties()).isEqualTo(Map.of("user", "app", "password", "pa55"));
        assertThat(orders.healthCheck().interval()).isEqualTo(Duration.ofSeconds(4));

        // a function environment, and a value that is only a variable
        RouterConfig other = RouterYaml.builder()
                .environment(name -> name.equals("HOST_A") ? "h" : name.equals("DB_PASSWORD") ? "x" : null)
                .build().parse(yaml).router("orders");
        assertThat(other.nodes().get(0).url()).isEqualTo("http://h:8080/v1");
        assertThat(other.healthCheck().interval()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void dollarDollarBraceIsALiteralAndKeysAreNotSubstituted() {
        RouterConfig orders = NO_ENV.parse("""
                routers:
                  orders:
                    nodes:
                      - { id: "a$${x}", url: "http://h/$5", password: "$${not-a-variable}" }
                """).router("orders");
        assertThat(orders.nodes().get(0).id()).isEqualTo("a${x}");
        assertThat(orders.nodes().get(0).url()).isEqualTo("http://h/$5");
        assertThat(orders.nodes().get(0).properties()).containsEntry("password", "${not-a-variable}");
    }

    @Test
    void readsSeveralRoutersInFileOrderAndNamesThemWhenOneIsMissing() {
        RouterYamlConfig config = NO_ENV.parse("""
                routers:
                  users: { nodes: [{ id: u, url: "http://u" }] }
                  orders: { nodes: [{ id: o, url: "http://o" }] }
                  audit: { nodes: [{ id: x, url: "http://x" }] }
                """);
        assertThat(config.routers().keySet()).containsExactly("users", "orders", "audit");
        assertThat(config.router("audit").nodes()).extracting(NodeConfig::id).containsExactly("x");
        assertThatThrownBy(() -> config.router("payments")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("<string> has no router 'payments'; its routers are: users, orders, audit");
        assertThatThrownBy(() -> config.routers().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void yamlTypesThatReadAsTextAreKept() {
        // an id written as a number, a zone that YAML would call a boolean, a quoted number as weight
        RouterConfig orders = NO_ENV.parse("""
                routers:
                  orders:
                    nodes:
                      - { id: 1, url: "http://h", zone: true, weight: "4", labels: { tier: 2 } }
                """).router("orders");
        assertThat(orders.nodes()).containsExactly(
                new NodeConfig("1", "http://h", 4, "true", Map.of("tier", "2"), Map.of()));
    }

    @Test
    void loadsAFileAndNamesItInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("routers.yaml");
        Files.writeString(file, "\uFEFFrouters:\n  orders:\n    nodes: [{ id: a, url: \"http://h\" }]\n");
        assertThat(RouterYaml.load(file).router("orders").nodes()).containsExactly(NodeConfig.of("a", "http://h"));

        Files.writeString(file, "routers:\n  orders:\n    nodes: [{ id: a, url: \"http://h\", weight: -1 }]\n");
        assertThatThrownBy(() -> RouterYaml.load(file)).isExactlyInstanceOf(RouterConfigException.class)
                .hasMessage(file + ":3:47: routers.orders.nodes[0].weight must be a whole number >= 1, but was -1");

        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> RouterYaml.load(missing)).isExactlyInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot read router configuration " + missing + ": java.nio.file.NoSuchFileException");
    }

    @Test
    void staticMethodsReadStreamsAndStrings() {
        String yaml = "routers:\n  orders:\n    nodes: [{ id: a, url: \"http://h\" }]\n";
        InputStream in = new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8));
        assertThat(RouterYaml.load(in, "stream").source()).isEqualTo("stream");
        assertThat(RouterYaml.parse(yaml).source()).isEqualTo("<string>");
        assertThat(RouterYaml.parse(yaml)).isEqualTo(RouterYaml.parse(yaml));
    }

    @Test
    void aCustomProbeKindIsAcceptedOnlyWhenRegistered() {
        String yaml = "routers:\n  orders:\n    nodes: [{ id: a, url: \"grpc://h:1\" }]\n    health-check: { probe: grpc }\n";
        assertThat(RouterYaml.builder().probeKind("grpc").build().parse(yaml).router("orders").healthCheck().probe())
                .isEqualTo("grpc");
        assertThatThrownBy(() -> RouterYaml.builder().probeKind("gRPC"))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("probeKind must be lowercase letters and digits joined by '-', but was 'gRPC'");
    }

    @Test
    void theConfigBuildsAWorkingRouterThroughCore() {
        RouterConfig orders = NO_ENV.parse("""
                routers:
                  orders:
                    policy: round-robin
                    nodes:
                      - { id: a, url: "http://127.0.0.1:1/", weight: 2, zone: eu-1, labels: { role: edge } }
                      - { id: b, url: "http://127.0.0.1:2/" }
                    health-check: { probe: tcp, interval: 1h, timeout: 100ms }
                    retry: { max-attempts: 2 }
                """).router("orders");
        try (Router<URI> router = orders.<URI>newRouterBuilder(n -> URI.create(n.url()), hc -> TcpProbe.forUri()).build()) {
            assertThat(router.name()).isEqualTo("orders");
            assertThat(router.policy().name()).isEqualTo("round-robin");
            assertThat(router.retryPolicy().maxAttempts()).isEqualTo(2);
            assertThat(router.nodes()).containsExactly(
                    Node.builder("a", URI.create("http://127.0.0.1:1/")).weight(2).zone("eu-1").label("role", "edge").build(),
                    Node.of("b", URI.create("http://127.0.0.1:2/")));
        }
    }

    @Test
    void everyHedgeKeyIsRead() {
        HedgePolicy adaptive = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    hedge:
                      delay: p99.9
                      min-delay: 5ms
                      max-extra-percent: 10
                      max-hedges: 2
                """).router("orders").hedge();
        assertThat(adaptive.isEnabled()).isTrue();
        assertThat(adaptive.isAdaptive()).isTrue();
        assertThat(adaptive.percentile()).hasValue(0.999);
        assertThat(adaptive.fixedDelay()).isEmpty();
        assertThat(adaptive.minDelay()).isEqualTo(Duration.ofMillis(5));
        assertThat(adaptive.maxExtraPercent()).isEqualTo(10);
        assertThat(adaptive.maxHedges()).isEqualTo(2);
        assertThat(adaptive.executor()).isEmpty();

        HedgePolicy fixed = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    hedge: { delay: 50ms, max-extra-percent: 100, max-hedges: 10 }
                """).router("orders").hedge();
        assertThat(fixed.isAdaptive()).isFalse();
        assertThat(fixed.fixedDelay()).hasValue(Duration.ofMillis(50));
        assertThat(fixed.percentile()).isEmpty();
        assertThat(fixed.maxExtraPercent()).isEqualTo(100);
        assertThat(fixed.maxHedges()).isEqualTo(10);
    }

    @Test
    void everyConcurrencyLimitKeyIsReadAndAnEmptySectionIsTheDefaults() {
        ConcurrencyLimit limit = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    concurrency-limit:
                      initial-limit: 50
                      min-limit: 5
                      max-limit: 500
                      window: 250ms
                      tolerance: 2.5
                      extra-attempts-percent: 60
                """).router("orders").concurrencyLimit();
        assertThat(limit).isEqualTo(ConcurrencyLimit.builder().initialLimit(50).minLimit(5).maxLimit(500)
                .window(Duration.ofMillis(250)).tolerance(2.5).extraAttemptsPercent(60).build());
        assertThat(NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    concurrency-limit: {}
                """).router("orders").concurrencyLimit()).isEqualTo(ConcurrencyLimit.defaults());
        assertThat(NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                """).router("orders").concurrencyLimit()).as("left out: the router's default").isNull();
        assertThat(NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    concurrency-limit: { enabled: false }
                """).router("orders").concurrencyLimit()).isEqualTo(ConcurrencyLimit.disabled());
        ConcurrencyLimit bounded = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    concurrency-limit: { enabled: true, max-limit: 300 }
                """).router("orders").concurrencyLimit();
        assertThat(bounded).isEqualTo(ConcurrencyLimit.builder().maxLimit(300).build());
        assertThat(bounded.initialLimit()).as("the default initial limit keeps within the bounds").isEqualTo(300);
    }

    @Test
    void hedgeKeysLeftOutTakeHedgePolicyDefaults() {
        String yaml = """
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://10.0.0.1:8080" }]
                    hedge: { delay: "${HEDGE_DELAY:p95}" }
                """;
        HedgePolicy p95 = NO_ENV.parse(yaml).router("orders").hedge();
        assertThat(p95).usingRecursiveComparison().isEqualTo(HedgePolicy.afterPercentile(0.95));
        assertThat(p95.percentile()).hasValue(0.95);
        assertThat(p95.minDelay()).isEqualTo(Duration.ofMillis(1));
        assertThat(p95.maxExtraPercent()).isEqualTo(5);
        assertThat(p95.maxHedges()).isEqualTo(1);

        HedgePolicy p50 = RouterYaml.builder().environment(Map.of("HEDGE_DELAY", "p50")).build().parse(yaml)
                .router("orders").hedge();
        assertThat(p50.percentile()).hasValue(0.5);
        HedgePolicy fixed = RouterYaml.builder().environment(Map.of("HEDGE_DELAY", "20ms")).build().parse(yaml)
                .router("orders").hedge();
        assertThat(fixed.fixedDelay()).hasValue(Duration.ofMillis(20));
    }

    @Test
    void aHedgedConfigBuildsARouterWithThatHedgePolicy() {
        RouterConfig orders = NO_ENV.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://127.0.0.1:1/" }, { id: b, url: "http://127.0.0.1:2/" }]
                    hedge: { delay: 20ms, max-hedges: 1 }
                """).router("orders");
        try (Router<URI> router = orders.<URI>newRouterBuilder(n -> URI.create(n.url()), hc -> TcpProbe.forUri()).build()) {
            assertThat(router.hedgePolicy()).isSameAs(orders.hedge());
            assertThat(router.newCall().hedgeDelayNanos()).isEqualTo(Duration.ofMillis(20).toNanos());
        }
    }
}
