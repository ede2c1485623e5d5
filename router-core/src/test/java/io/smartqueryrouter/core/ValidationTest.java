package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.spi.ProbeResult;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad value is refused at once, with a message that names the thing, the field and the value. */
class ValidationTest {

    private static void refused(Executable call, String message) {
        assertThatThrownBy(call::execute).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void routerNames() {
        refused(() -> Router.builder(""), "router name must be 1 to 100 letters, digits, '.', '_' or '-', "
                + "starting with a letter or digit, but was ''");
        refused(() -> Router.builder("my router"), "router name must be 1 to 100 letters, digits, '.', '_' or '-', "
                + "starting with a letter or digit, but was 'my router'");
        assertThatThrownBy(() -> Router.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("router name must not be null");
        assertThat(Router.<String>builder("orders-db.eu_1").build().name()).isEqualTo("orders-db.eu_1");
    }

    @Test
    void routerBuilderFields() {
        RouterBuilder<String> b = Router.<String>builder("orders").node(Node.of("a", "x"));
        refused(() -> b.node(Node.of("a", "y")), "router 'orders': duplicate node id 'a'");
        refused(() -> b.latencyPrior(Duration.ZERO), "router 'orders': latencyPrior must be > 0, but was PT0S");
        refused(() -> b.peakEwmaDecay(Duration.ofSeconds(-1)), "router 'orders': peakEwmaDecay must be > 0, but was PT-1S");
        refused(() -> b.maxCoolDown(Duration.ZERO), "router 'orders': maxCoolDown must be > 0, but was PT0S");
        assertThatThrownBy(() -> b.policy((String) "fastest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router 'orders': unknown routing policy 'fastest'; registered policies are c3, least-in-flight, "
                        + "lowest-latency, p2c-peak-ewma, pool-ewma, predictive, random, round-robin, weighted-random");
        assertThatThrownBy(() -> b.ticker(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("router 'orders': ticker must not be null");
        assertThat(b.policy("lowest-latency").build().policy().name()).isEqualTo("lowest-latency");
    }

    @Test
    void nodes() {
        refused(() -> Node.of(" ", "x"), "node id must not be blank, but was ' '");
        refused(() -> Node.builder("b", "x").weight(0), "node 'b': weight must be > 0, but was 0");
        assertThatThrownBy(() -> Node.of("b", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("node 'b': endpoint must not be null");
        Node<String> n = Node.builder("b", "x").weight(2).zone("eu-1").label("role", "replica").build();
        assertThat(n.toBuilder().build()).isEqualTo(n);
        assertThat(n.toString()).isEqualTo("Node[id=b, endpoint=x, weight=2, zone=eu-1, labels={role=replica}]");
    }

    @Test
    void healthCheck() {
        HealthCheck<String> h = HealthCheck.of((node, timeout) -> ProbeResult.ok());
        refused(() -> h.interval(Duration.ZERO), "healthCheck.interval must be > 0, but was PT0S");
        refused(() -> h.timeout(Duration.ZERO), "healthCheck.timeout must be > 0, but was PT0S");
        refused(() -> Router.<String>builder("orders").healthCheck(h.timeout(Duration.ofSeconds(6))),
                "router 'orders': healthCheck.timeout must be <= healthCheck.interval (PT5S), but was PT6S");
        assertThat(h.timeout()).as("default").isEqualTo(Duration.ofSeconds(1));
        assertThat(h.interval(Duration.ofMillis(400)).timeout()).as("default capped by a shorter interval")
                .isEqualTo(Duration.ofMillis(400));
        assertThat(h.timeout(Duration.ofSeconds(6)).interval(Duration.ofSeconds(10)).timeout()).as("any order")
                .isEqualTo(Duration.ofSeconds(6));
        refused(() -> h.fall(0), "healthCheck.fall must be >= 1, but was 0");
        refused(() -> h.rise(-1), "healthCheck.rise must be >= 1, but was -1");
        refused(() -> h.jitter(0.6), "healthCheck.jitter must be in [0, 0.5], but was 0.6");
        refused(() -> h.threads(0), "healthCheck.threads must be in [1, 64], but was 0");
        HealthCheck<String> custom = h.interval(Duration.ofMillis(500)).timeout(Duration.ofMillis(200)).fall(2).rise(4);
        assertThat(custom.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(custom.fall()).isEqualTo(2);
        assertThat(custom.rise()).isEqualTo(4);
        assertThat(h.interval()).as("copies leave the original alone").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void retryAndBudget() {
        refused(() -> RetryPolicy.builder().maxAttempts(0), "retry.maxAttempts must be in [1, 100], but was 0");
        refused(() -> RetryPolicy.builder().backoff(Duration.ofMillis(100), Duration.ofMillis(50)),
                "retry.backoff.max must be >= retry.backoff.base (PT0.1S), but was PT0.05S");
        refused(() -> RetryPolicy.builder().backoff(Duration.ZERO, Duration.ofMillis(50)),
                "retry.backoff.base must be > 0, but was PT0S");
        refused(() -> RetryBudget.of(-1, 10, Duration.ofSeconds(10)), "retry.budget.percent must be in [0, 1000], but was -1");
        refused(() -> RetryBudget.of(20, 10, Duration.ofMillis(1500)),
                "retry.budget.window must be whole seconds in [1s, 600s], but was PT1.5S");
        assertThat(RetryPolicy.defaults().maxAttempts()).isEqualTo(3);
        assertThat(RetryPolicy.defaults().budget().percent()).isEqualTo(20);
        assertThat(RetryPolicy.defaults().budget().minRetriesPerSecond()).isEqualTo(10);
        assertThat(RetryPolicy.defaults().budget().window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
    }

    @Test
    void outlierEjection() {
        refused(() -> OutlierEjection.builder().consecutiveFailures(0),
                "outlierEjection.consecutiveFailures must be in [1, 10000], but was 0");
        refused(() -> OutlierEjection.builder().maxEjectionPercent(101),
                "outlierEjection.maxEjectionPercent must be in [0, 100], but was 101");
        refused(() -> OutlierEjection.builder().maxEjection(Duration.ofSeconds(10)).build(),
                "outlierEjection.maxEjection must be >= outlierEjection.baseEjection (PT30S), but was PT10S");
        assertThat(OutlierEjection.builder().baseEjection(Duration.ofMinutes(10)).maxEjection(Duration.ofMinutes(30))
                .build().baseEjection()).as("in any order").isEqualTo(Duration.ofMinutes(10));
        OutlierEjection d = OutlierEjection.defaults();
        assertThat(d.consecutiveFailures()).isEqualTo(5);
        assertThat(d.baseEjection()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxEjection()).isEqualTo(Duration.ofSeconds(300));
        assertThat(d.maxEjectionPercent()).isEqualTo(50);
        assertThat(OutlierEjection.disabled().isEnabled()).isFalse();
    }

    @Test
    void attemptCoolDownNeedsAnOutcomeThatBlamesTheNode() {
        try (Router<String> r = Router.<String>builder("orders").node(Node.of("a", "x")).build()) {
            Attempt<String> a = r.begin();
            refused(() -> a.complete(Outcome.CLIENT_ERROR, Duration.ofSeconds(1)),
                    "a cool-down needs an outcome that blames the node (FAILURE or OVERLOADED), but was CLIENT_ERROR");
            refused(() -> a.complete(Outcome.OVERLOADED, Duration.ofSeconds(-1)), "coolDown must be >= 0, but was PT-1S");
            a.complete(Outcome.SUCCESS);
        }
    }
}
