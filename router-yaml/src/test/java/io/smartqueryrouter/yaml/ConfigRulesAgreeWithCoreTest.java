package io.smartqueryrouter.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.core.config.RouterConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * ConfigRules holds the defaults and ranges every configuration front end applies; the core builders
 * apply them again. They must agree, or a file would be refused by one and accepted by the other, or a
 * setting left out would mean one thing in YAML and another in code.
 */
class ConfigRulesAgreeWithCoreTest {

    @Test
    void defaultsAreTheCoreBuildersDefaults() {
        HealthCheck<Object> hc = HealthCheck.of((node, timeout) -> null);
        assertThat(hc.interval()).isEqualTo(ConfigRules.DEFAULT_HEALTH_INTERVAL).isEqualTo(Duration.ofSeconds(5));
        assertThat(hc.timeout()).isEqualTo(ConfigRules.DEFAULT_HEALTH_TIMEOUT).isEqualTo(Duration.ofSeconds(1));
        assertThat(hc.fall()).isEqualTo(ConfigRules.DEFAULT_HEALTH_FALL).isEqualTo(3);
        assertThat(hc.rise()).isEqualTo(ConfigRules.DEFAULT_HEALTH_RISE).isEqualTo(2);
        Duration short_ = Duration.ofMillis(300);
        assertThat(HealthCheck.of((node, timeout) -> null).interval(short_).timeout())
                .isEqualTo(ConfigRules.defaultHealthTimeout(short_)).isEqualTo(short_);
        assertThat(Node.of("a", "x").weight()).isEqualTo(ConfigRules.DEFAULT_WEIGHT).isEqualTo(1);
        assertThat(RouterConfig.DEFAULT_POLICY).isEqualTo(ConfigRules.DEFAULT_POLICY);
        try (Router<String> router = Router.<String>builder("r").node(Node.of("a", "x")).build()) {
            assertThat(router.snapshot().policy()).isEqualTo(ConfigRules.DEFAULT_POLICY);
        }
    }

    @Test
    void aYamlFileWithoutSettingsGetsTheseDefaults() {
        RouterConfig c = RouterYaml.parse("""
                routers:
                  orders:
                    nodes: [{ id: a, url: "http://h" }]
                    health-check: { probe: tcp }
                """).router("orders");
        assertThat(c.policy()).isEqualTo(ConfigRules.DEFAULT_POLICY);
        assertThat(c.nodes().get(0).weight()).isEqualTo(ConfigRules.DEFAULT_WEIGHT);
        assertThat(c.healthCheck().interval()).isEqualTo(ConfigRules.DEFAULT_HEALTH_INTERVAL);
        assertThat(c.healthCheck().timeout()).isEqualTo(ConfigRules.DEFAULT_HEALTH_TIMEOUT);
        assertThat(c.healthCheck().fall()).isEqualTo(ConfigRules.DEFAULT_HEALTH_FALL);
        assertThat(c.healthCheck().rise()).isEqualTo(ConfigRules.DEFAULT_HEALTH_RISE);
    }

    @Test
    void theRouterNameRuleIsRouterBuilders() {
        String longest = "a".repeat(100);
        for (String name : new String[] {"orders", "a", "0.db_x-1", longest, "", "-a", ".a", "a b", "a/b", longest + "a", "é"}) {
            boolean accepted;
            try {
                Router.builder(name);
                accepted = true;
            } catch (IllegalArgumentException e) {
                accepted = false;
            }
            assertThat(ConfigRules.isValidRouterName(name)).as("'%s'", name).isEqualTo(accepted);
        }
        assertThat(ConfigRules.isValidRouterName(longest)).isTrue();
        assertThat(ConfigRules.isValidRouterName(longest + "a")).isFalse();
    }

    @Test
    void eachRangeEndIsWhereTheCoreBuildersStop() {
        accepts(() -> HedgePolicy.afterPercentile(ConfigRules.MIN_HEDGE_PERCENTILE));
        accepts(() -> HedgePolicy.afterPercentile(ConfigRules.MAX_HEDGE_PERCENTILE));
        refuses(() -> HedgePolicy.afterPercentile(Math.nextDown(ConfigRules.MIN_HEDGE_PERCENTILE)));
        refuses(() -> HedgePolicy.afterPercentile(Math.nextUp(ConfigRules.MAX_HEDGE_PERCENTILE)));
        assertThat(ConfigRules.isValidHedgePercentile(0.5)).isTrue();
        assertThat(ConfigRules.isValidHedgePercentile(0.9991)).isFalse();
        accepts(() -> HedgePolicy.builder().maxExtraPercent(ConfigRules.MIN_HEDGE_EXTRA_PERCENT));
        accepts(() -> HedgePolicy.builder().maxExtraPercent(ConfigRules.MAX_HEDGE_EXTRA_PERCENT));
        refuses(() -> HedgePolicy.builder().maxExtraPercent(ConfigRules.MIN_HEDGE_EXTRA_PERCENT - 1));
        refuses(() -> HedgePolicy.builder().maxExtraPercent(ConfigRules.MAX_HEDGE_EXTRA_PERCENT + 1));
        accepts(() -> HedgePolicy.builder().maxHedges(ConfigRules.MIN_HEDGES));
        accepts(() -> HedgePolicy.builder().maxHedges(ConfigRules.MAX_HEDGES));
        refuses(() -> HedgePolicy.builder().maxHedges(ConfigRules.MIN_HEDGES - 1));
        refuses(() -> HedgePolicy.builder().maxHedges(ConfigRules.MAX_HEDGES + 1));

        accepts(() -> ConcurrencyLimit.builder().minLimit(ConfigRules.MIN_CONCURRENCY_LIMIT));
        accepts(() -> ConcurrencyLimit.builder().maxLimit(ConfigRules.MAX_CONCURRENCY_LIMIT));
        refuses(() -> ConcurrencyLimit.builder().minLimit(ConfigRules.MIN_CONCURRENCY_LIMIT - 1));
        refuses(() -> ConcurrencyLimit.builder().maxLimit(ConfigRules.MAX_CONCURRENCY_LIMIT + 1));
        accepts(() -> ConcurrencyLimit.builder().window(ConfigRules.MIN_CONCURRENCY_WINDOW));
        accepts(() -> ConcurrencyLimit.builder().window(ConfigRules.MAX_CONCURRENCY_WINDOW));
        refuses(() -> ConcurrencyLimit.builder().window(ConfigRules.MIN_CONCURRENCY_WINDOW.minusNanos(1)));
        refuses(() -> ConcurrencyLimit.builder().window(ConfigRules.MAX_CONCURRENCY_WINDOW.plusNanos(1)));
        accepts(() -> ConcurrencyLimit.builder().tolerance(ConfigRules.MIN_CONCURRENCY_TOLERANCE));
        accepts(() -> ConcurrencyLimit.builder().tolerance(ConfigRules.MAX_CONCURRENCY_TOLERANCE));
        refuses(() -> ConcurrencyLimit.builder().tolerance(Math.nextDown(ConfigRules.MIN_CONCURRENCY_TOLERANCE)));
        refuses(() -> ConcurrencyLimit.builder().tolerance(Math.nextUp(ConfigRules.MAX_CONCURRENCY_TOLERANCE)));
        accepts(() -> ConcurrencyLimit.builder().extraAttemptsPercent(ConfigRules.MIN_EXTRA_ATTEMPTS_PERCENT));
        accepts(() -> ConcurrencyLimit.builder().extraAttemptsPercent(ConfigRules.MAX_EXTRA_ATTEMPTS_PERCENT));
        refuses(() -> ConcurrencyLimit.builder().extraAttemptsPercent(ConfigRules.MIN_EXTRA_ATTEMPTS_PERCENT - 1));
        refuses(() -> ConcurrencyLimit.builder().extraAttemptsPercent(ConfigRules.MAX_EXTRA_ATTEMPTS_PERCENT + 1));
        ConcurrencyLimit defaults = ConcurrencyLimit.defaults();
        assertThat(defaults.initialLimit()).isEqualTo(ConfigRules.DEFAULT_INITIAL_CONCURRENCY_LIMIT);
        assertThat(defaults.minLimit()).isEqualTo(ConfigRules.DEFAULT_MIN_CONCURRENCY_LIMIT);
        assertThat(defaults.maxLimit()).isEqualTo(ConfigRules.DEFAULT_MAX_CONCURRENCY_LIMIT);
        assertThat(defaults.window()).isEqualTo(ConfigRules.DEFAULT_CONCURRENCY_WINDOW);
        assertThat(defaults.tolerance()).isEqualTo(ConfigRules.DEFAULT_CONCURRENCY_TOLERANCE);
        assertThat(defaults.extraAttemptsPercent()).isEqualTo(ConfigRules.DEFAULT_EXTRA_ATTEMPTS_PERCENT);

        accepts(() -> OutlierEjection.builder().consecutiveFailures(ConfigRules.MIN_CONSECUTIVE_FAILURES));
        accepts(() -> OutlierEjection.builder().consecutiveFailures(ConfigRules.MAX_CONSECUTIVE_FAILURES));
        refuses(() -> OutlierEjection.builder().consecutiveFailures(ConfigRules.MIN_CONSECUTIVE_FAILURES - 1));
        refuses(() -> OutlierEjection.builder().consecutiveFailures(ConfigRules.MAX_CONSECUTIVE_FAILURES + 1));
        accepts(() -> OutlierEjection.builder().maxEjectionPercent(ConfigRules.MIN_EJECTION_PERCENT));
        accepts(() -> OutlierEjection.builder().maxEjectionPercent(ConfigRules.MAX_EJECTION_PERCENT));
        refuses(() -> OutlierEjection.builder().maxEjectionPercent(ConfigRules.MIN_EJECTION_PERCENT - 1));
        refuses(() -> OutlierEjection.builder().maxEjectionPercent(ConfigRules.MAX_EJECTION_PERCENT + 1));

        accepts(() -> RetryPolicy.builder().maxAttempts(ConfigRules.MIN_ATTEMPTS));
        accepts(() -> RetryPolicy.builder().maxAttempts(ConfigRules.MAX_ATTEMPTS));
        refuses(() -> RetryPolicy.builder().maxAttempts(ConfigRules.MIN_ATTEMPTS - 1));
        refuses(() -> RetryPolicy.builder().maxAttempts(ConfigRules.MAX_ATTEMPTS + 1));
        Duration w = Duration.ofSeconds(10);
        accepts(() -> RetryBudget.of(ConfigRules.MIN_BUDGET_PERCENT, 0, w));
        accepts(() -> RetryBudget.of(ConfigRules.MAX_BUDGET_PERCENT, 0, w));
        refuses(() -> RetryBudget.of(ConfigRules.MIN_BUDGET_PERCENT - 1, 0, w));
        refuses(() -> RetryBudget.of(ConfigRules.MAX_BUDGET_PERCENT + 1, 0, w));
        accepts(() -> RetryBudget.of(20, ConfigRules.MIN_RETRIES_PER_SECOND, w));
        accepts(() -> RetryBudget.of(20, ConfigRules.MAX_RETRIES_PER_SECOND, w));
        refuses(() -> RetryBudget.of(20, ConfigRules.MIN_RETRIES_PER_SECOND - 1, w));
        refuses(() -> RetryBudget.of(20, ConfigRules.MAX_RETRIES_PER_SECOND + 1, w));
        accepts(() -> RetryBudget.of(20, 10, ConfigRules.MAX_BUDGET_WINDOW));
        refuses(() -> RetryBudget.of(20, 10, ConfigRules.MAX_BUDGET_WINDOW.plusSeconds(1)));

        accepts(() -> Node.builder("a", "x").weight(ConfigRules.MIN_WEIGHT));
        refuses(() -> Node.builder("a", "x").weight(ConfigRules.MIN_WEIGHT - 1));
    }

    private static void accepts(Runnable r) {
        assertThatCode(r::run).doesNotThrowAnyException();
    }

    private static void refuses(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOf(IllegalArgumentException.class);
    }
}
