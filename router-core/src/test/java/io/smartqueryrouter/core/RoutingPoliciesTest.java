package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding the built-in policies by name through {@link java.util.ServiceLoader}. */
class RoutingPoliciesTest {
    private static final List<String> BUILT_IN = List.of("c3", "least-in-flight", "lowest-latency", "p2c-peak-ewma",
            "pool-ewma", "predictive", "random", "round-robin", "weighted-random");

    @Test
    void theNineBuiltInPoliciesAreRegisteredInNameOrder() {
        assertThat(RoutingPolicies.providers().keySet()).containsExactlyElementsOf(BUILT_IN);
    }

    @Test
    void byNameReturnsAPolicyOfThatName() {
        for (String name : BUILT_IN) {
            assertThat(RoutingPolicies.byName(name).name()).isEqualTo(name);
        }
    }

    @Test
    void byNameReturnsANewInstanceEachTime() {
        // round-robin keeps a position: two routers must not share it
        assertThat(RoutingPolicies.byName("round-robin")).isNotSameAs(RoutingPolicies.byName("round-robin"));
    }

    @Test
    void theFactoryMethodsReturnThePoliciesOfTheSameNames() {
        List<RoutingPolicy> policies = List.of(RoutingPolicies.c3(), RoutingPolicies.leastInFlight(),
                RoutingPolicies.lowestLatency(), RoutingPolicies.p2cPeakEwma(), RoutingPolicies.poolEwma(),
                RoutingPolicies.predictive(),
                RoutingPolicies.random(), RoutingPolicies.roundRobin(), RoutingPolicies.weightedRandom());
        assertThat(policies).extracting(RoutingPolicy::name).containsExactlyElementsOf(BUILT_IN);
        assertThat(RoutingPolicies.lowestLatency(0.1).name()).isEqualTo("lowest-latency");
        assertThat(RoutingPolicies.c3(4).name()).isEqualTo("c3");
    }

    @Test
    void anUnknownNameFailsListingTheRegisteredNames() {
        assertThatThrownBy(() -> RoutingPolicies.byName("fastest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown routing policy 'fastest'; registered policies are c3, least-in-flight, lowest-latency, "
                        + "p2c-peak-ewma, pool-ewma, predictive, random, round-robin, weighted-random");
    }

    @Test
    void theBuilderNamesTheRouterWhenThePolicyIsUnknown() {
        assertThatThrownBy(() -> Router.builder("x").policy("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("router 'x': unknown routing policy 'nope'")
                .hasMessageContaining(String.join(", ", BUILT_IN));
    }

    @Test
    void theBuilderAcceptsEachBuiltInName() {
        for (String name : BUILT_IN) {
            try (Router<String> router = Router.<String>builder("x").node(Node.of("a", "http://a")).policy(name).build()) {
                assertThat(router.policy().name()).isEqualTo(name);
                assertThat(router.snapshot().policy()).isEqualTo(name);
            }
        }
    }
}
