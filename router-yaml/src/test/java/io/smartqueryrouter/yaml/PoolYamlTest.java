package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code pool} section of a database router, and of a node whose pool differs. */
class PoolYamlTest {
    private static final RouterYaml.Loader LOADER = RouterYaml.builder().environment(Map.<String, String>of()).build();

    private static RouterConfigException refused(String yaml, String message) {
        Throwable thrown = catchThrowable(() -> LOADER.parse(yaml));
        assertThat(thrown).isExactlyInstanceOf(RouterConfigException.class).hasMessage(message).hasNoCause();
        return (RouterConfigException) thrown;
    }

    @Test
    void theRoutersPoolIsEveryNodesAndANodeSectionChangesOnlyWhatItNames() {
        RouterConfig c = LOADER.parse("""
                routers:
                  orders-db:
                    nodes:
                      - { id: p, url: "jdbc:postgresql://p/orders", labels: {role: primary} }
                      - id: r
                        url: "jdbc:postgresql://r/orders"
                        labels: {role: replica}
                        pool: { maximum-pool-size: 30, connection-timeout: 1s }
                    pool:
                      maximum-pool-size: 12
                      minimum-idle: 4
                      connection-timeout: 2s
                      idle-timeout: 5m
                      max-lifetime: 20m
                      validation-timeout: 750ms
                """).router("orders-db");
        PoolConfig routers = new PoolConfig(12, 4, Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMinutes(20),
                Duration.ofMillis(750));
        assertThat(c.pool()).isEqualTo(routers);
        assertThat(c.nodes().get(0).pool()).isNull();
        assertThat(c.poolOf(c.nodes().get(0))).isEqualTo(routers);
        assertThat(c.nodes().get(1).pool()).isEqualTo(new PoolConfig(30, 4, Duration.ofSeconds(1), Duration.ofMinutes(5),
                Duration.ofMinutes(20), Duration.ofMillis(750)));
    }

    @Test
    void withoutAPoolSectionTheDefaultsApplyAndTheyWaitSecondsNotThirty() {
        RouterConfig c = LOADER.parse("""
                routers:
                  orders-db:
                    nodes: [{ id: p, url: "jdbc:postgresql://p/orders", pool: { maximum-pool-size: 3 } }]
                """).router("orders-db");
        assertThat(c.pool()).isNull();
        PoolConfig d = PoolConfig.defaults();
        assertThat(c.nodes().get(0).pool()).isEqualTo(PoolConfig.builder(d).maximumPoolSize(3).build());
        assertThat(d).isEqualTo(new PoolConfig(10, 2, Duration.ofSeconds(3), Duration.ofMinutes(10), Duration.ofMinutes(30),
                Duration.ofSeconds(1)));
        assertThat(d.connectionTimeout()).isEqualTo(ConfigRules.DEFAULT_POOL_CONNECTION_TIMEOUT);
    }

    @Test
    void badValuesAreRefusedWhereTheyStand() {
        String head = """
                routers:
                  orders-db:
                    nodes: [{ id: p, url: "jdbc:postgresql://p/orders" }]
                """;
        refused(head + "    pool: { maximumPoolSize: 3 }\n", "<string>:4:13: routers.orders-db.pool.maximumPoolSize is not a "
                + "known key; did you mean 'maximum-pool-size'? allowed keys in routers.orders-db.pool: maximum-pool-size, "
                + "minimum-idle, connection-timeout, idle-timeout, max-lifetime, validation-timeout");
        refused(head + "    pool: { maximum-pool-size: 0 }\n", "<string>:4:32: routers.orders-db.pool.maximum-pool-size "
                + "must be a whole number in [1, 10000], but was 0");
        refused(head + "    pool: { connection-timeout: 100ms }\n", "<string>:4:33: routers.orders-db.pool.connection-timeout "
                + "must be at least 250ms, but was 100ms");
        refused(head + "    pool: { connection-timeout: 30 }\n", "<string>:4:33: routers.orders-db.pool.connection-timeout "
                + "must be a duration: a whole number with the unit ms, s, m or h, such as 500ms, 2s, 1m or 1h, but was 30, "
                + "a number without a unit");
        refused(head + "    pool: { max-lifetime: 10s }\n", "<string>:4:27: routers.orders-db.pool.max-lifetime "
                + "must be at least 30s, but was 10s");
    }

    @Test
    void settingsThatDisagreeAreRefusedAtTheirSection() {
        String head = """
                routers:
                  orders-db:
                    nodes:
                      - { id: p, url: "jdbc:postgresql://p/orders", pool: { minimum-idle: 8 } }
                """;
        refused(head + "    pool: { maximum-pool-size: 4, minimum-idle: 5 }\n", "<string>:5:11: routers.orders-db.pool: "
                + "minimum-idle must be in [0, 4], but was 5");
        refused(head + "    pool: { maximum-pool-size: 4 }\n", "<string>:4:59: routers.orders-db.nodes[0].pool: "
                + "minimum-idle must be in [0, 4], but was 8 (a node's pool starts from its router's)");
        refused(head.replace("minimum-idle: 8", "validation-timeout: 5s"), "<string>:4:59: routers.orders-db.nodes[0].pool: "
                + "validation-timeout must be <= connection-timeout (PT3S), but was PT5S");
    }
}
