package io.smartqueryrouter.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import io.smartqueryrouter.micrometer.RouterMetrics;
import io.smartqueryrouter.micrometer.RouterObservations;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.jdbc.core.JdbcTemplate;

/** Every condition of the auto-configuration, on real local HTTP servers and in-memory H2 databases. */
class SmartQueryRouterAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SmartQueryRouterAutoConfiguration.class));

    private MockWebServer a;
    private MockWebServer b;

    @BeforeEach
    void startServers() throws IOException {
        a = new MockWebServer();
        b = new MockWebServer();
        a.start();
        b.start();
    }

    @AfterEach
    void stopServers() {
        a.close();
        b.close();
    }

    private String[] orders() {
        return new String[] {
            "smartqueryrouter.routers.orders.nodes[0].id=a",
            "smartqueryrouter.routers.orders.nodes[0].url=" + a.url("/"),
            "smartqueryrouter.routers.orders.nodes[1].id=b",
            "smartqueryrouter.routers.orders.nodes[1].url=" + b.url("/"),
            "smartqueryrouter.routers.orders.policy=round-robin",
        };
    }

    private static String[] database(String router, String name) {
        return new String[] {
            "smartqueryrouter.routers." + router + ".nodes[0].id=primary",
            "smartqueryrouter.routers." + router + ".nodes[0].url=jdbc:h2:mem:" + name + "-p;DB_CLOSE_DELAY=-1",
            "smartqueryrouter.routers." + router + ".nodes[0].labels.role=primary",
            "smartqueryrouter.routers." + router + ".nodes[1].id=replica",
            "smartqueryrouter.routers." + router + ".nodes[1].url=jdbc:h2:mem:" + name + "-r;DB_CLOSE_DELAY=-1",
            "smartqueryrouter.routers." + router + ".nodes[1].labels.role=replica",
        };
    }

    @Test
    void noRoutersConfiguredMeansNoBeans() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SmartQueryRouters.class).doesNotHaveBean(Router.class)
                    .doesNotHaveBean(RoutingInterceptor.class).doesNotHaveBean(OkHttpClient.class)
                    .doesNotHaveBean(RouterMetrics.class).doesNotHaveBean(CompositeHealthContributor.class);
        });
    }

    @Test
    void enabledFalseTurnsItAllOffEvenWithRoutersConfigured() {
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(SmartQueryRouters.class).doesNotHaveBean(Router.class));
    }

    @Test
    void anHttpRouterIsARouterBeanByNameAndTheClientRoutesItsLogicalHost() throws IOException {
        a.enqueue(new MockResponse.Builder().body("from a").build());
        b.enqueue(new MockResponse.Builder().body("from b").build());
        runner.withPropertyValues(orders()).withUserConfiguration(NeedsOrders.class).run(context -> {
            assertThat(context).hasNotFailed();
            Router<?> orders = context.getBean("orders", Router.class);
            assertThat(orders.name()).isEqualTo("orders");
            assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Router.class, HttpUrl.class)))
                    .containsExactly("orders");
            assertThat(context.getBean(NeedsOrders.class).orders).isSameAs(orders);
            RoutingInterceptor interceptor = context.getBean(RoutingInterceptor.class);
            assertThat(interceptor.router("orders")).containsSame(orders);
            OkHttpClient client = context.getBean(OkHttpClient.class);
            assertThat(client.interceptors()).containsExactly(interceptor);
            List<String> bodies = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 2; i++) {
                try (Response r = client.newCall(new Request.Builder().url("http://orders/items").build()).execute()) {
                    bodies.add(r.body().string());
                }
            }
            // round-robin over the two real servers: each served one call
            assertThat(bodies).containsExactlyInAnyOrder("from a", "from b");
            assertThat(a.getRequestCount() + b.getRequestCount()).isEqualTo(2);
            assertThat(a.takeRequest().getTarget()).isEqualTo("/items");
        });
    }

    /** An application bean that injects the router by its name and endpoint type. */
    @Configuration(proxyBeanMethods = false)
    static class NeedsOrders {
        final Router<HttpUrl> orders;

        NeedsOrders(@Qualifier("orders") Router<HttpUrl> orders) {
            this.orders = orders;
        }
    }

    @Test
    void anApplicationsOwnOkHttpClientWinsAndCustomizersShapeOurs() {
        runner.withPropertyValues(orders()).withBean("myClient", OkHttpClient.class, OkHttpClient::new).run(context -> {
            assertThat(context).hasSingleBean(OkHttpClient.class).hasSingleBean(RoutingInterceptor.class);
            assertThat(context.getBean(OkHttpClient.class).interceptors()).isEmpty();
        });
        runner.withPropertyValues(orders())
                .withBean(OkHttpClientCustomizer.class, () -> builder -> builder.callTimeout(Duration.ofSeconds(7)))
                .run(context -> assertThat(context.getBean(OkHttpClient.class).callTimeoutMillis()).isEqualTo(7000));
    }

    @Test
    void withoutOkHttpAnHttpRouterIsARouterOfUrisAndNoInterceptorIsMade() {
        runner.withPropertyValues(orders()).withClassLoader(new FilteredClassLoader(OkHttpClient.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RoutingInterceptor.class).doesNotHaveBean("smartQueryRouterOkHttpClient");
            assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Router.class, URI.class)))
                    .containsExactly("orders");
            Router<?> orders = context.getBean("orders", Router.class);
            assertThat(orders.nodes()).extracting(n -> n.endpoint().toString())
                    .containsExactly(a.url("/").toString(), b.url("/").toString());
        });
        // the http probe needs router-okhttp: said at startup
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.routers.orders.health-check.probe=http",
                "smartqueryrouter.routers.orders.health-check.path=/health")
                .withClassLoader(new FilteredClassLoader(OkHttpClient.class)).run(context -> assertThat(context)
                        .getFailure().hasMessage("property source 'test': smartqueryrouter.routers.orders.health-check.probe"
                                + " 'http' is not a probe kind an HTTP router without router-okhttp on the class path supports;"
                                + " supported: tcp"));
    }

    @Test
    void aJdbcRouterIsTheApplicationsDataSourceAndReadOnlyConnectionsGoToTheReplica() {
        runner.withPropertyValues(database("orders-db", "ctx"))
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DataSource.class).hasBean("orders-dbDataSource");
                    RoutingDataSource ds = context.getBean(RoutingDataSource.class);
                    assertThat(context.getBean("orders-db", Router.class)).isSameAs(ds.router());
                    assertThat(context.getBeanNamesForType(ResolvableType.forClassWithGenerics(Router.class, DataSource.class)))
                            .containsExactly("orders-db");
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.getDataSource()).isSameAs(ds);
                    jdbc.execute("create table t(x int)");
                    long primary = ds.snapshot().node("primary").requests();
                    assertThat(ds.snapshot().node("replica").requests()).isZero();
                    try (var c = ds.getConnection()) {
                        c.setReadOnly(true);
                        c.createStatement().execute("select 1");
                    }
                    // the read went to the replica: taking the connection and the statement, two attempts there
                    assertThat(ds.snapshot().node("primary").requests()).isEqualTo(primary);
                    assertThat(ds.snapshot().node("replica").requests()).isEqualTo(2);
                });
    }

    @Test
    void withoutRouterJdbcAJdbcRouterFailsStartupSayingWhatToAdd() {
        runner.withPropertyValues(database("orders-db", "nojdbc"))
                .withClassLoader(new FilteredClassLoader(RoutingDataSource.class))
                .run(context -> assertThat(context).getFailure().hasMessage("property source 'test':"
                        + " smartqueryrouter.routers.orders-db has JDBC nodes, but router-jdbc is not on the class path; add"
                        + " the dependency io.smartqueryrouter:router-jdbc (and HikariCP for pooled connections)"));
    }

    @Test
    void routerMetricsAreBoundToTheMeterRegistry() {
        runner.withPropertyValues(orders())
                .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
                .run(context -> {
                    RouterMetrics metrics = context.getBean(RouterMetrics.class);
                    assertThat(metrics.routers()).containsExactly(context.getBean("orders", Router.class));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.find("smartqueryrouter.node.healthy").tags("router", "orders").gauges()).hasSize(2);
                });
    }

    @Test
    void theHealthContributorHasOneIndicatorPerRouterUpWhileANodeIsAvailable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            closedPort = s.getLocalPort();
        }
        runner.withPropertyValues(orders()).withPropertyValues(database("orders-db", "health"))
                .withPropertyValues(
                        "smartqueryrouter.routers.down.nodes[0].id=gone",
                        "smartqueryrouter.routers.down.nodes[0].url=http://127.0.0.1:" + closedPort + "/",
                        "smartqueryrouter.routers.down.health-check.probe=tcp",
                        "smartqueryrouter.routers.down.health-check.interval=100ms",
                        "smartqueryrouter.routers.down.health-check.fall=1")
                .run(context -> {
                    CompositeHealthContributor composite = context.getBean("smartqueryrouterHealthContributor",
                            CompositeHealthContributor.class);
                    Map<String, Health> health = composite.stream().collect(Collectors.toMap(c -> c.name(),
                            c -> ((HealthIndicator) c.contributor()).health()));
                    assertThat(health).containsOnlyKeys("orders", "orders-db", "down");
                    assertThat(health.get("orders").getStatus()).isEqualTo(Status.UP);
                    assertThat(health.get("orders").getDetails()).containsEntry("policy", "round-robin")
                            .containsEntry("available", "2 of 2");
                    @SuppressWarnings("unchecked")
                    Map<String, Map<String, Object>> nodes = (Map<String, Map<String, Object>>) health.get("orders").getDetails().get("nodes");
                    assertThat(nodes).containsOnlyKeys("a", "b");
                    assertThat(nodes.get("a")).containsEntry("available", true).containsEntry("healthy", true)
                            .containsEntry("ejected", false).containsEntry("endpoint", a.url("/").toString());
                    assertThat(health.get("orders-db").getStatus()).isEqualTo(Status.UP);
                    // the closed port fails its first probe: the router has no node left, so it is DOWN
                    HealthIndicator down = (HealthIndicator) composite.getContributor("down");
                    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> down.health().getStatus().equals(Status.DOWN));
                    assertThat(down.health().getDetails()).containsEntry("available", "0 of 1");
                });
        runner.withPropertyValues(orders()).withPropertyValues("management.health.smartqueryrouter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(CompositeHealthContributor.class));
        runner.withPropertyValues(orders()).withClassLoader(new FilteredClassLoader(HealthIndicator.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean("smartqueryrouterHealthContributor"));
    }

    @Test
    void withAnObservationRegistryEachAttemptIsAnObservationNamingItsNode() throws IOException {
        a.enqueue(new MockResponse.Builder().code(503).build());
        b.enqueue(new MockResponse.Builder().body("ok").build());
        List<String> stopped = new CopyOnWriteArrayList<>();
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context.getLowCardinalityKeyValue("node").getValue() + " "
                        + context.getLowCardinalityKeyValue("kind").getValue() + " "
                        + context.getLowCardinalityKeyValue("outcome").getValue());
            }
        });
        runner.withPropertyValues(orders()).withBean(ObservationRegistry.class, () -> registry).run(context -> {
            assertThat(context).hasSingleBean(RouterObservations.class);
            try (Response r = context.getBean(OkHttpClient.class).newCall(new Request.Builder().url("http://orders/x").build())
                    .execute()) {
                assertThat(r.body().string()).isEqualTo("ok");
            }
            // round-robin starts at a: a answers 503 (OVERLOADED), the GET fails over to b
            assertThat(stopped).containsExactly("a first overloaded", "b retry success");
        });
        runner.withPropertyValues(orders()).run(context -> assertThat(context).doesNotHaveBean(RouterObservations.class));
    }

    @Test
    void aMistakeInThePropertiesFailsStartupWithTheLocatedMessage() {
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.routers.orders.retry.maxAttempts=0")
                .run(context -> assertThat(context).getFailure().isInstanceOf(RouterPropertiesException.class)
                        .hasMessage("property source 'test': smartqueryrouter.routers.orders.retry.max-attempts must be a whole"
                                + " number in [1, 100], but was '0'"));
        // camelCase is read as health-check: its probe is missing
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.routers.orders.healthCheck.interval=2s")
                .run(context -> assertThat(context).getFailure().hasMessage("property source 'test':"
                        + " smartqueryrouter.routers.orders.health-check.probe is missing; name the probe kind: http, tcp"));
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.routers.orders.timeout=2s")
                .run(context -> assertThat(context).getFailure().hasMessage("property source 'test':"
                        + " smartqueryrouter.routers.orders.timeout is not a known key; allowed keys in"
                        + " smartqueryrouter.routers.orders: policy, nodes, health-check, outlier-ejection, retry, hedge,"
                        + " concurrency-limit, pool"));
    }

    /** The HikariCP pool of a database router's node. */
    private static HikariDataSource pool(Router<?> router, String nodeId) throws java.sql.SQLException {
        DataSource node = (DataSource) router.nodes().stream().filter(n -> n.id().equals(nodeId)).findFirst().orElseThrow()
                .endpoint();
        return node.unwrap(HikariDataSource.class);
    }

    @Test
    void poolSettingsReachEachNodesHikariPoolTheNodesOwnOverTheRouters() {
        String p = "smartqueryrouter.routers.orders-db.";
        runner.withPropertyValues(database("orders-db", "pools")).withPropertyValues(
                p + "pool.maximum-pool-size=4",
                p + "pool.minimumIdle=1",
                p + "pool.connection-timeout=2s",
                p + "pool.idleTimeout=PT1M",
                p + "pool.max-lifetime=20m",
                p + "pool.validation-timeout=500",
                p + "nodes[1].pool.maximumPoolSize=2",
                p + "nodes[1].pool.connection-timeout=1500ms").run(context -> {
                    assertThat(context).hasNotFailed();
                    Router<?> router = context.getBean("orders-db", Router.class);
                    HikariDataSource primary = pool(router, "primary");
                    HikariDataSource replica = pool(router, "replica");
                    assertThat(primary.getMaximumPoolSize()).isEqualTo(4);
                    assertThat(primary.getMinimumIdle()).isEqualTo(1);
                    assertThat(primary.getConnectionTimeout()).isEqualTo(2000);
                    assertThat(primary.getIdleTimeout()).isEqualTo(60_000);
                    assertThat(primary.getMaxLifetime()).isEqualTo(1_200_000);
                    assertThat(primary.getValidationTimeout()).isEqualTo(500);
                    // the replica's own size and connection timeout, the router's for the rest
                    assertThat(replica.getMaximumPoolSize()).isEqualTo(2);
                    assertThat(replica.getConnectionTimeout()).isEqualTo(1500);
                    assertThat(replica.getMinimumIdle()).isEqualTo(1);
                    assertThat(replica.getMaxLifetime()).isEqualTo(1_200_000);
                    // and the pools serve: a statement on the primary
                    try (var c = context.getBean(RoutingDataSource.class).getConnection()) {
                        assertThat(c.createStatement().execute("select 1")).isTrue();
                    }
                });
        // without a pool section, the defaults chosen for routing, not HikariCP's own (30s connection timeout)
        runner.withPropertyValues(database("orders-db", "nopool")).run(context -> {
            Router<?> router = context.getBean("orders-db", Router.class);
            HikariDataSource primary = pool(router, "primary");
            assertThat(primary.getMaximumPoolSize()).isEqualTo(ConfigRules.DEFAULT_POOL_SIZE);
            assertThat(primary.getConnectionTimeout()).isEqualTo(ConfigRules.DEFAULT_POOL_CONNECTION_TIMEOUT.toMillis());
        });
    }

    @Test
    void aConcurrencyLimitSectionReachesTheRouterAndItsSnapshotEmptyForTheDefaults() {
        runner.withPropertyValues(orders()).withPropertyValues(
                "smartqueryrouter.routers.orders.concurrencyLimit.initialLimit=40",
                "smartqueryrouter.routers.orders.concurrency-limit.min-limit=5",
                "smartqueryrouter.routers.orders.concurrency-limit.maxLimit=200",
                "smartqueryrouter.routers.orders.concurrency-limit.window=200ms",
                "smartqueryrouter.routers.orders.concurrency-limit.tolerance=2.5",
                "smartqueryrouter.routers.orders.concurrency-limit.extra-attempts-percent=70").run(context -> {
                    assertThat(context).hasNotFailed();
                    Router<?> orders = context.getBean("orders", Router.class);
                    assertThat(orders.concurrencyLimit()).isEqualTo(ConcurrencyLimit.builder().initialLimit(40).minLimit(5)
                            .maxLimit(200).window(Duration.ofMillis(200)).tolerance(2.5).extraAttemptsPercent(70).build());
                    assertThat(orders.snapshot().concurrencyLimit()).isEqualTo(40);
                });
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.routers.orders.concurrency-limit=").run(context -> {
            Router<?> orders = context.getBean("orders", Router.class);
            assertThat(orders.concurrencyLimit()).isEqualTo(ConcurrencyLimit.defaults());
            assertThat(orders.snapshot().concurrencyLimit()).isEqualTo(ConfigRules.DEFAULT_INITIAL_CONCURRENCY_LIMIT);
        });
        runner.withPropertyValues(orders()).run(context -> {
            Router<?> orders = context.getBean("orders", Router.class);
            assertThat(orders.concurrencyLimit()).as("left out: the router's default, on").isEqualTo(ConcurrencyLimit.defaults());
            assertThat(orders.snapshot().concurrencyLimit()).isEqualTo(1000);
        });
        runner.withPropertyValues(orders()).withPropertyValues("smartqueryrouter.routers.orders.concurrency-limit.enabled=false")
                .run(context -> {
                    Router<?> orders = context.getBean("orders", Router.class);
                    assertThat(orders.concurrencyLimit().isEnabled()).isFalse();
                    assertThat(orders.snapshot().concurrencyLimit()).isZero();
                });
    }

    @Test
    void thePanicThresholdReachesTheRouterAnEjectedNodeKeepsItsShareInPanic() throws IOException {
        // a fails once and is ejected for an hour; each call after that is round-robin over what is available
        for (int panic : new int[] {100, 50}) {
            try (MockWebServer x = new MockWebServer(); MockWebServer y = new MockWebServer()) {
                x.start();
                y.start();
                x.enqueue(new MockResponse.Builder().code(500).build());
                for (int i = 0; i < 4; i++) {
                    x.enqueue(new MockResponse.Builder().body("x").build());
                    y.enqueue(new MockResponse.Builder().body("y").build());
                }
                y.enqueue(new MockResponse.Builder().body("y").build());
                runner.withPropertyValues(
                        "smartqueryrouter.routers.orders.nodes[0].id=x",
                        "smartqueryrouter.routers.orders.nodes[0].url=" + x.url("/"),
                        "smartqueryrouter.routers.orders.nodes[1].id=y",
                        "smartqueryrouter.routers.orders.nodes[1].url=" + y.url("/"),
                        "smartqueryrouter.routers.orders.policy=round-robin",
                        "smartqueryrouter.routers.orders.outlierEjection.consecutiveFailures=1",
                        "smartqueryrouter.routers.orders.outlier-ejection.base-ejection=1h",
                        "smartqueryrouter.routers.orders.outlier-ejection.max-ejection=1h",
                        "smartqueryrouter.routers.orders.outlier-ejection.trial-interval=1h",
                        "smartqueryrouter.routers.orders.outlierEjection.panicThreshold=" + panic).run(context -> {
                            OkHttpClient client = context.getBean(OkHttpClient.class);
                            Router<?> orders = context.getBean("orders", Router.class);
                            try (Response r = client.newCall(new Request.Builder().url("http://orders/").build()).execute()) {
                                assertThat(r.body().string()).isEqualTo("y");
                            }
                            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> orders.snapshot().node("x").ejected());
                            List<String> bodies = new CopyOnWriteArrayList<>();
                            for (int i = 0; i < 4; i++) {
                                try (Response r = client.newCall(new Request.Builder().url("http://orders/").build()).execute()) {
                                    bodies.add(r.body().string());
                                }
                            }
                            // one of two nodes available: below 100% the router panics and x keeps its turn;
                            // at 50% (not below) it does not, and y takes every call
                            assertThat(bodies).as("panic-threshold " + panic).containsExactlyInAnyOrderElementsOf(
                                    panic == 100 ? List.of("x", "x", "y", "y") : List.of("y", "y", "y", "y"));
                        });
            }
        }
    }

    /** A server that fails its first request (500) and answers every later one with its name. */
    private static MockWebServer failingOnce(String name) throws IOException {
        MockWebServer server = new MockWebServer();
        AtomicInteger seen = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return seen.getAndIncrement() == 0 ? new MockResponse.Builder().code(500).build()
                        : new MockResponse.Builder().body(name).build();
            }
        });
        server.start();
        return server;
    }

    @Test
    void theTrialIntervalReachesTheRouterAnEjectedNodeGetsNoTrialBeforeIt() throws IOException {
        for (String trial : new String[] {"1h", "200ms"}) {
            try (MockWebServer x = failingOnce("x"); MockWebServer y = failingOnce("y")) {
                y.setDispatcher(new Dispatcher() {
                    @Override
                    public MockResponse dispatch(RecordedRequest request) {
                        return new MockResponse.Builder().body("y").build();
                    }
                });
                runner.withPropertyValues(
                        "smartqueryrouter.routers.orders.nodes[0].id=x",
                        "smartqueryrouter.routers.orders.nodes[0].url=" + x.url("/"),
                        "smartqueryrouter.routers.orders.nodes[1].id=y",
                        "smartqueryrouter.routers.orders.nodes[1].url=" + y.url("/"),
                        "smartqueryrouter.routers.orders.policy=round-robin",
                        "smartqueryrouter.routers.orders.outlier-ejection.consecutive-failures=1",
                        "smartqueryrouter.routers.orders.outlierEjection.baseEjection=1h",
                        "smartqueryrouter.routers.orders.outlier-ejection.max-ejection=1h",
                        "smartqueryrouter.routers.orders.outlierEjection.trialInterval=" + trial).run(context -> {
                            OkHttpClient client = context.getBean(OkHttpClient.class);
                            Router<?> orders = context.getBean("orders", Router.class);
                            Request call = new Request.Builder().url("http://orders/").build();
                            try (Response r = client.newCall(call).execute()) {
                                assertThat(r.body().string()).isEqualTo("y");
                            }
                            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> orders.snapshot().node("x").ejected());
                            if (trial.equals("1h")) {
                                // calls for longer than the default trial interval (1s): x gets none
                                long end = System.nanoTime() + Duration.ofMillis(1500).toNanos();
                                while (System.nanoTime() < end) {
                                    client.newCall(call).execute().close();
                                }
                                assertThat(x.getRequestCount()).isEqualTo(1);
                                assertThat(orders.snapshot().node("x").ejected()).isTrue();
                            } else {
                                // x's trial comes while calls go on; its answer ends the ejection
                                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                                    client.newCall(call).execute().close();
                                    return x.getRequestCount() >= 2;
                                });
                                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !orders.snapshot().node("x").ejected());
                            }
                        });
            }
        }
    }

    @Test
    void aWrongValueInANewSectionFailsStartupWithTheLocatedMessage() {
        String p = "smartqueryrouter.routers.orders.";
        runner.withPropertyValues(orders()).withPropertyValues(p + "outlier-ejection.panic-threshold=101")
                .run(context -> assertThat(context).getFailure().isInstanceOf(RouterPropertiesException.class)
                        .hasMessage("property source 'test': " + p + "outlier-ejection.panic-threshold must be a whole number"
                                + " in [0, 100], but was '101'"));
        runner.withPropertyValues(orders()).withPropertyValues(p + "concurrencyLimit.window=90s")
                .run(context -> assertThat(context).getFailure().isInstanceOf(RouterPropertiesException.class)
                        .hasMessage("property source 'test': " + p + "concurrency-limit.window must be from 1ms to 60s,"
                                + " but was '90s'"));
        runner.withPropertyValues(orders()).withPropertyValues(p + "pool.maximum-pool-size=5")
                .run(context -> assertThat(context).getFailure().isInstanceOf(RouterPropertiesException.class)
                        .hasMessage("property source 'test': " + p + "pool applies to JDBC routers only; an HTTP router's"
                                + " connections are its HTTP client's (OkHttp's ConnectionPool), not configured here: remove it"));
        String db = "smartqueryrouter.routers.orders-db.";
        runner.withPropertyValues(database("orders-db", "badpool")).withPropertyValues(db + "pool.connectionTimeout=100ms")
                .run(context -> assertThat(context).getFailure().isInstanceOf(RouterPropertiesException.class)
                        .hasMessage("property source 'test': " + db + "pool.connection-timeout must be at least 250ms, but was"
                                + " '100ms'"));
    }
}
