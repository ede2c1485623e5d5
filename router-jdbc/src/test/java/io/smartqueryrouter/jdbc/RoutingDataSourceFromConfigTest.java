package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import java.net.URL;
import java.net.URLClassLoader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A routing data source built from configuration: JDBC URLs with credentials, pooled with HikariCP. */
class RoutingDataSourceFromConfigTest {
    private final String run = UUID.randomUUID().toString();

    private NodeConfig node(String id, String role) {
        return new NodeConfig(id, "jdbc:h2:mem:" + id + "-" + run + ";DB_CLOSE_DELAY=-1", 1, "", Map.of("role", role),
                Map.of("user", "sa", "password", "s3cret-" + run));
    }

    private RouterConfig config(HealthCheckConfig healthCheck, NodeConfig... nodes) {
        return new RouterConfig("orders-db", "p2c-peak-ewma", List.of(nodes), healthCheck, OutlierEjection.defaults(),
                null);
    }

    private static String server(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select database()")) {
            rs.next();
            return rs.getString(1).toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Test
    void nodesBecomeHikariPoolsAndTheRolesRouteReadsAndWrites() throws SQLException {
        RoutingDataSource built;
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config(
                new HealthCheckConfig("jdbc", null, Duration.ofSeconds(1), Duration.ofMillis(500), 3, 2),
                node("primary", "primary"), node("replica", "replica")))) {
            try (Connection c = ds.getConnection()) {
                assertThat(server(c)).startsWith("primary-");
                assertThat(c.unwrap(com.zaxxer.hikari.pool.HikariProxyConnection.class)).isNotNull();
            }
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThat(server(c)).startsWith("replica-");
            }
            assertThat(ds.router().retryPolicy().maxAttempts()).as("the data source's own default: every node once")
                    .isEqualTo(2);
            String shown = ds.toString() + ds.snapshot() + ds.router().nodes();
            assertThat(shown).doesNotContain("s3cret");
            built = ds;
        }
        // the router and the pools were built here: the data source owns and closes them
        assertThat(built.router().isClosed()).isTrue();
        assertThat(built.router().nodes()).allSatisfy(n -> assertThat(
                n.endpoint().unwrap(HikariDataSource.class).isClosed()).isTrue());
    }

    @Test
    void eachNodesPoolHasItsRoutersSettingsOrItsOwnAndTheDefaultsWaitSecondsNotThirty() throws SQLException {
        PoolConfig routers = PoolConfig.builder(PoolConfig.defaults()).maximumPoolSize(7).minimumIdle(1)
                .connectionTimeout(Duration.ofMillis(1500)).idleTimeout(Duration.ofMinutes(2))
                .maxLifetime(Duration.ofMinutes(20)).validationTimeout(Duration.ofMillis(700)).build();
        PoolConfig replicas = PoolConfig.builder(routers).maximumPoolSize(3).build();
        NodeConfig p = node("primary", "primary");
        NodeConfig r = node("replica", "replica");
        NodeConfig ownPool = new NodeConfig(r.id(), r.url(), 1, "", r.labels(), r.properties(), replicas);
        RouterConfig config = new RouterConfig("orders-db", "p2c-peak-ewma", List.of(p, ownPool), null,
                OutlierEjection.defaults(), null, null, null, routers);
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config)) {
            HikariDataSource primary = ds.router().nodes().get(0).endpoint().unwrap(HikariDataSource.class);
            HikariDataSource replica = ds.router().nodes().get(1).endpoint().unwrap(HikariDataSource.class);
            assertThat(primary.getPoolName()).isEqualTo("orders-db-primary");
            assertThat(List.of(primary.getMaximumPoolSize(), primary.getMinimumIdle())).containsExactly(7, 1);
            assertThat(List.of(primary.getConnectionTimeout(), primary.getIdleTimeout(), primary.getMaxLifetime(),
                    primary.getValidationTimeout())).containsExactly(1500L, 120_000L, 1_200_000L, 700L);
            assertThat(replica.getMaximumPoolSize()).isEqualTo(3);
            assertThat(replica.getConnectionTimeout()).as("the rest is the router's").isEqualTo(1500L);
            assertThat(List.of(primary.isReadOnly(), replica.isReadOnly()))
                    .as("a replica's connections come read-only from its pool").containsExactly(false, true);
        }
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config(null, p))) {
            HikariDataSource pool = ds.router().nodes().get(0).endpoint().unwrap(HikariDataSource.class);
            assertThat(pool.getConnectionTimeout()).isEqualTo(3000L).isEqualTo(PoolConfig.defaults().connectionTimeout().toMillis());
            assertThat(List.of(pool.getMaximumPoolSize(), pool.getMinimumIdle())).containsExactly(10, 2);
        }
    }

    @Test
    void aUrlNoDriverAcceptsIsRefusedNamingTheNodeWithoutItsPassword() {
        NodeConfig inUserInfo = new NodeConfig("db1", "jdbc:nosuchdb://app:SECRET@db1:5432/orders", 1, "",
                Map.of("role", "primary"), Map.of("user", "app", "password", "SECRET"));
        assertThatThrownBy(() -> RoutingDataSource.fromConfig(config(null, inUserInfo)))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data source 'orders-db': node 'db1': no JDBC driver on the class path accepts "
                        + "url 'jdbc:nosuchdb://db1:5432/orders'")
                .satisfies(e -> assertThat(stackTraceOf(e)).doesNotContain("SECRET"));
        NodeConfig inProperties = new NodeConfig("db2", "jdbc:nosuchdb://db2/orders;password=SECRET;user=app", 1, "",
                Map.of("role", "primary"), Map.of());
        assertThatThrownBy(() -> RoutingDataSource.fromConfig(config(null, inProperties)))
                .hasMessageContaining("'jdbc:nosuchdb://db2/orders;password=***;user=app'")
                .satisfies(e -> assertThat(stackTraceOf(e)).doesNotContain("SECRET"));
    }

    @Test
    void withoutHikariCpOnTheClassPathFromConfigRefusesNamingTheArtifact() throws Exception {
        // this module and core, loaded apart from the application's class path, where HikariCP is not
        URL[] classes = {codeSource(RoutingDataSource.class), codeSource(RouterConfig.class),
                codeSource(HikariAbsent.class)};
        try (URLClassLoader isolated = new URLClassLoader(classes, ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> isolated.loadClass("com.zaxxer.hikari.HikariDataSource"))
                    .isInstanceOf(ClassNotFoundException.class);
            String refusal = (String) isolated.loadClass(HikariAbsent.class.getName()).getMethod("fromConfig").invoke(null);
            assertThat(refusal).isEqualTo("IllegalStateException: data source 'orders-db': RoutingDataSource.fromConfig "
                    + "pools each node with HikariCP, which is not on the class path: add the dependency "
                    + "com.zaxxer:HikariCP (5.x to 7.x; on the module path also resolve module com.zaxxer.hikari), or "
                    + "build the nodes' data sources yourself and use RoutingDataSource.builder(router)");
        }
    }

    private static URL codeSource(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation();
    }

    private static String stackTraceOf(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void aNodeWithoutARoleOrAnUnknownProbeKindIsRefusedBeforeAnyPoolOpens() {
        assertThatThrownBy(() -> RoutingDataSource.fromConfig(config(null, node("a", "leader"))))
                .hasMessage("data source 'orders-db': node 'a': label role must be primary or replica, but was 'leader'");
        NodeConfig unlabelled = new NodeConfig("b", "jdbc:h2:mem:b-" + run, 1, "", Map.of(), Map.of());
        assertThatThrownBy(() -> RoutingDataSource.fromConfig(config(null, node("a", "primary"), unlabelled)))
                .hasMessage("data source 'orders-db': node 'b': label role must be primary or replica, but was missing");
        assertThatThrownBy(() -> RoutingDataSource.fromConfig(config(
                new HealthCheckConfig("http", "/health", Duration.ofSeconds(1), Duration.ofMillis(500), 3, 2),
                node("a", "primary"))))
                .hasMessage("data source 'orders-db': health-check probe 'http' is not one a JDBC data source supports; "
                        + "supported: jdbc, postgres");
    }

    @Test
    void aConfigurationThatHedgesIsRefused() {
        RouterConfig hedged = new RouterConfig("orders-db", "p2c-peak-ewma", List.of(node("a", "primary")), null,
                OutlierEjection.defaults(), null, HedgePolicy.afterDelay(Duration.ofMillis(50)));
        assertThatThrownBy(() -> RoutingDataSource.fromConfig(hedged))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("data source 'orders-db': hedging applies to HTTP routers only, but router 'orders-db' "
                        + "configures it (HedgePolicy[delay=PT0.05S, maxExtraPercent=5, maxHedges=1]); a routing data "
                        + "source never hedges, since a JDBC statement is not safe to run twice in general: remove the "
                        + "hedge section");
    }

    @Test
    void aDisabledHedgePolicyIsNoHedgeAndIsAccepted() throws SQLException {
        RouterConfig config = new RouterConfig("orders-db", "p2c-peak-ewma", List.of(node("a", "primary")), null,
                OutlierEjection.defaults(), null, HedgePolicy.disabled());
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config)) {
            assertThat(ds.router().hedgePolicy().isEnabled()).isFalse();
        }
    }
}
