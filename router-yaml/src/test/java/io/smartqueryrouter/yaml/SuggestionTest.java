package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** "Did you mean" names the key meant, and nothing when nothing is near. */
class SuggestionTest {

    @Test
    void nearMissesFindTheirKey() {
        assertThat(ConfigReader.suggest("polcy", ConfigReader.ROUTER_KEYS)).isEqualTo("policy");
        assertThat(ConfigReader.suggest("node", ConfigReader.ROUTER_KEYS)).isEqualTo("nodes");
        assertThat(ConfigReader.suggest("health_check", ConfigReader.ROUTER_KEYS)).isEqualTo("health-check");
        assertThat(ConfigReader.suggest("HealthCheck", ConfigReader.ROUTER_KEYS)).isEqualTo("health-check");
        assertThat(ConfigReader.suggest("outlier", ConfigReader.ROUTER_KEYS)).isEqualTo("outlier-ejection");
        assertThat(ConfigReader.suggest("uri", ConfigReader.NODE_KEYS)).isEqualTo("url");
        assertThat(ConfigReader.suggest("passwd", ConfigReader.NODE_KEYS)).isEqualTo("password");
        assertThat(ConfigReader.suggest("max-ejection-pct", ConfigReader.EJECTION_KEYS)).isEqualTo("max-ejection-percent");
        assertThat(ConfigReader.suggest("budget", ConfigReader.RETRY_KEYS)).isNull();
        assertThat(ConfigReader.suggest("ejection", ConfigReader.EJECTION_KEYS)).isNull();
        assertThat(ConfigReader.suggest("max-ejection-percentage", ConfigReader.EJECTION_KEYS))
                .isEqualTo("max-ejection-percent");
        assertThat(ConfigReader.suggest("intervall", ConfigReader.HEALTH_KEYS)).isEqualTo("interval");
    }

    @Test
    void farKeysGetNoSuggestion() {
        assertThat(ConfigReader.suggest("enabled", ConfigReader.EJECTION_KEYS)).isNull();
        assertThat(ConfigReader.suggest("x", ConfigReader.NODE_KEYS)).isNull();
        assertThat(ConfigReader.suggest("host", ConfigReader.NODE_KEYS)).isNull();
        assertThat(ConfigReader.suggest("ttl", ConfigReader.HEALTH_KEYS)).isNull();
    }
}
