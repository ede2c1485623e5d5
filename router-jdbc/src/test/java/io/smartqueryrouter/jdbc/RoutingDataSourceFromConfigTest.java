package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.RouterConfig;
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
                ((com.zaxxer.hikari.HikariDataSource) n.endpoint()).isClosed()).isTrue());
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
