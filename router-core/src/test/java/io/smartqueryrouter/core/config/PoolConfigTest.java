package io.smartqueryrouter.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node pool's settings: the defaults chosen for routing, a node's pool over its router's, and the rules. */
class PoolConfigTest {

    @Test
    void theDefaultsWaitSecondsAndAreConfigRules() {
        PoolConfig d = PoolConfig.defaults();
        assertThat(d.maximumPoolSize()).isEqualTo(ConfigRules.DEFAULT_POOL_SIZE).isEqualTo(10);
        assertThat(d.minimumIdle()).isEqualTo(ConfigRules.DEFAULT_POOL_MINIMUM_IDLE).isEqualTo(2);
        assertThat(d.connectionTimeout()).isEqualTo(ConfigRules.DEFAULT_POOL_CONNECTION_TIMEOUT).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.idleTimeout()).isEqualTo(ConfigRules.DEFAULT_POOL_IDLE_TIMEOUT);
        assertThat(d.maxLifetime()).isEqualTo(ConfigRules.DEFAULT_POOL_MAX_LIFETIME);
        assertThat(d.validationTimeout()).isEqualTo(ConfigRules.DEFAULT_POOL_VALIDATION_TIMEOUT);
    }

    @Test
    void aNodesPoolIsItsOwnElseItsRoutersElseTheDefaults() {
        PoolConfig routers = PoolConfig.builder(PoolConfig.defaults()).maximumPoolSize(20).build();
        PoolConfig own = PoolConfig.builder(routers).minimumIdle(0).build();
        NodeConfig plain = NodeConfig.of("a", "jdbc:x://a");
        NodeConfig differs = new NodeConfig("b", "jdbc:x://b", 1, "", Map.of(), Map.of(), own);
        RouterConfig withPool = new RouterConfig("db", "p2c-peak-ewma", List.of(plain, differs), null,
                io.smartqueryrouter.core.OutlierEjection.defaults(), null, null, null, routers);
        assertThat(withPool.poolOf(plain)).isEqualTo(routers);
        assertThat(withPool.poolOf(differs)).isEqualTo(own);
        assertThat(own.maximumPoolSize()).as("the rest is the router's").isEqualTo(20);
        RouterConfig without = new RouterConfig("db", "p2c-peak-ewma", List.of(plain), null,
                io.smartqueryrouter.core.OutlierEjection.defaults(), null);
        assertThat(without.pool()).isNull();
        assertThat(without.poolOf(plain)).isSameAs(PoolConfig.defaults());
        assertThat(differs.toString()).contains("pool=PoolConfig[maximumPoolSize=20, minimumIdle=0");
    }

    @Test
    void badSettingsAreRefusedNamingTheSettingTheValueAndTheRange() {
        PoolConfig.Builder b = PoolConfig.builder(PoolConfig.defaults());
        assertThatThrownBy(() -> b.maximumPoolSize(0))
                .hasMessage("pool.maximumPoolSize must be in [1, 10000], but was 0");
        assertThatThrownBy(() -> b.connectionTimeout(Duration.ofMillis(100)))
                .hasMessage("pool.connectionTimeout must be in [PT0.25S, PT8760H], but was PT0.1S");
        assertThatThrownBy(() -> b.maxLifetime(Duration.ofSeconds(10)))
                .hasMessage("pool.maxLifetime must be in [PT30S, PT8760H], but was PT10S");
        assertThatThrownBy(() -> PoolConfig.builder(PoolConfig.defaults()).maximumPoolSize(1).build())
                .hasMessage("pool.minimumIdle must be in [0, 1], but was 2");
        assertThatThrownBy(() -> PoolConfig.builder(PoolConfig.defaults()).validationTimeout(Duration.ofSeconds(5)).build())
                .hasMessage("pool.validationTimeout must be <= pool.connectionTimeout (PT3S), but was PT5S");
        assertThatThrownBy(() -> PoolConfig.builder(PoolConfig.defaults()).idleTimeout(Duration.ofHours(1)).build())
                .hasMessage("pool.maxLifetime must be longer than pool.idleTimeout (PT1H), but was PT30M");
    }
}
