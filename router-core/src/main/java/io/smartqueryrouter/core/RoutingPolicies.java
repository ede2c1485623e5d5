package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.BuiltinPolicies;
import io.smartqueryrouter.core.internal.C3Policy;
import io.smartqueryrouter.core.internal.PoolEwmaPolicy;
import io.smartqueryrouter.core.internal.PredictivePolicy;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The built-in routing policies, and lookup of any registered policy by name.
 *
 * <table>
 *   <caption>Built-in policies</caption>
 *   <tr><th>name</th><th>rule</th></tr>
 *   <tr><td>{@code p2c-peak-ewma}</td><td>of two random candidates, the lower Peak-EWMA x (in-flight + 1) / weight</td></tr>
 *   <tr><td>{@code pool-ewma} (default)</td><td>of three random candidates and a pool of eight remembered cheap nodes, the
 *   lowest cost x (in-flight + 2) / weight, the cost being the largest of the EWMA of latency, the time the node has
 *   been silent with calls out, and after a failure its Peak-EWMA</td></tr>
 *   <tr><td>{@code least-in-flight}</td><td>of two random candidates, the lower (in-flight + 1) / weight</td></tr>
 *   <tr><td>{@code lowest-latency}</td><td>the lowest EWMA (or silence, when longer) / weight, nodes within 25% of
 *   the lowest and nodes with no sample yet tied at random, exploring a weighted-random node on 2% of picks</td></tr>
 *   <tr><td>{@code predictive}</td><td>the lowest latency forecast 1 s ahead x (in-flight + 1) / weight</td></tr>
 *   <tr><td>{@code c3}</td><td>the lowest C3 rank R - S + q^3 x S over all candidates (Elasticsearch adaptive replica selection)</td></tr>
 *   <tr><td>{@code round-robin}</td><td>in turn, each node as many times as its weight</td></tr>
 *   <tr><td>{@code random}</td><td>uniform, ignoring weights</td></tr>
 *   <tr><td>{@code weighted-random}</td><td>random in proportion to weight</td></tr>
 * </table>
 */
public final class RoutingPolicies {
    private RoutingPolicies() {
    }

    /** {@return a new {@code p2c-peak-ewma}, Finagle's and Linkerd's balancer, the default before {@code pool-ewma}} */
    public static RoutingPolicy p2cPeakEwma() {
        return new BuiltinPolicies.P2cPeakEwma();
    }

    /** {@return a new {@code pool-ewma}, the default policy} */
    public static RoutingPolicy poolEwma() {
        return new PoolEwmaPolicy();
    }

    /** {@return a new {@code least-in-flight}} */
    public static RoutingPolicy leastInFlight() {
        return new BuiltinPolicies.LeastInFlight();
    }

    /** {@return a new {@code lowest-latency} with the default exploration share of 2%} */
    public static RoutingPolicy lowestLatency() {
        return new BuiltinPolicies.LowestLatency(BuiltinPolicies.DEFAULT_EXPLORATION);
    }

    /**
     * Returns {@code lowest-latency} exploring a weighted-random candidate on the given share of picks.
     *
     * @param exploration the share of picks, in [0, 1], that go to a weighted-random candidate so
     *     every node keeps a fresh latency; 0 never explores
     * @return a new policy
     * @throws IllegalArgumentException if {@code exploration} is outside [0, 1]
     */
    public static RoutingPolicy lowestLatency(double exploration) {
        return new BuiltinPolicies.LowestLatency(exploration);
    }

    /**
     * Returns {@code predictive}: the candidate with the lowest latency forecast 1 s ahead x
     * (in-flight + 1) / weight (Holt's damped trend over 100 ms buckets), so a node whose latency
     * rises loses traffic before it is slow.
     *
     * @return a new policy
     */
    public static RoutingPolicy predictive() {
        return new PredictivePolicy(false);
    }

    /**
     * Returns {@code c3} for one client: the C3 / Elasticsearch adaptive replica selection rank over
     * every candidate, R - S + q^3 x S, with server-reported queue and service time when nodes send
     * them and client-side estimates otherwise.
     *
     * @return a new policy
     */
    public static RoutingPolicy c3() {
        return c3(1);
    }

    /**
     * Returns {@code c3} for {@code clients} clients sharing the nodes: each in-flight call of this
     * client stands for that many in the queue estimate.
     *
     * @param clients how many clients like this one send to the same nodes, at least 1
     * @return a new policy
     * @throws IllegalArgumentException if {@code clients} is below 1
     */
    public static RoutingPolicy c3(int clients) {
        return new C3Policy(clients, C3Policy.DEFAULT_DRIFT);
    }

    /** {@return a new {@code round-robin}} */
    public static RoutingPolicy roundRobin() {
        return new BuiltinPolicies.RoundRobin();
    }

    /** {@return a new {@code random}} */
    public static RoutingPolicy random() {
        return new BuiltinPolicies.UniformRandom();
    }

    /** {@return a new {@code weighted-random}} */
    public static RoutingPolicy weightedRandom() {
        return new BuiltinPolicies.WeightedRandom();
    }

    /**
     * Returns a new instance of the policy registered under {@code name} by a
     * {@link RoutingPolicyProvider} visible to this class's loader (or the thread's context loader).
     *
     * @param name the policy's name, such as {@code "p2c-peak-ewma"} (see the table above)
     * @return a new policy from the provider's {@link RoutingPolicyProvider#create()}
     * @throws IllegalArgumentException if no provider registers that name; the message lists the names that are registered
     * @throws IllegalStateException if two providers register the same name
     */
    public static RoutingPolicy byName(String name) {
        RoutingPolicyProvider provider = providers().get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown routing policy '" + name + "'; registered policies are "
                    + String.join(", ", providers().keySet()));
        }
        return provider.create();
    }

    /** {@return the registered providers by name, in name order; a new, modifiable map on every call} */
    public static SortedMap<String, RoutingPolicyProvider> providers() {
        SortedMap<String, RoutingPolicyProvider> byName = new TreeMap<>();
        load(ServiceLoader.load(RoutingPolicyProvider.class, RoutingPolicies.class.getClassLoader()), byName);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != RoutingPolicies.class.getClassLoader()) {
            load(ServiceLoader.load(RoutingPolicyProvider.class, context), byName);
        }
        return byName;
    }

    private static void load(ServiceLoader<RoutingPolicyProvider> loader, SortedMap<String, RoutingPolicyProvider> into) {
        for (RoutingPolicyProvider p : loader) {
            RoutingPolicyProvider before = into.putIfAbsent(p.name(), p);
            if (before != null && before.getClass() != p.getClass()) {
                throw new IllegalStateException("routing policy '" + p.name() + "' is registered twice, by "
                        + before.getClass().getName() + " and " + p.getClass().getName());
            }
        }
    }
}
