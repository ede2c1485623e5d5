package io.smartqueryrouter.core.spi;

import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses the node for one attempt among the candidates the router offers. The router has
 * already removed unhealthy, ejected, cooling-down and already-tried nodes, so a policy only
 * ranks.
 *
 * <p>Called on the hot path of every call, from many threads at once: an implementation must be
 * thread-safe, must not block, must not take locks and should not allocate. It reads the
 * candidates' {@link NodeStats}; the router updates them.
 *
 * <p>Register a policy by name with a {@link RoutingPolicyProvider} to make it selectable from
 * configuration.
 */
@FunctionalInterface
public interface RoutingPolicy {

    /**
     * Returns the index of the chosen candidate.
     *
     * @param candidates the nodes to choose from; never empty (the router handles that case).
     *     With a single candidate the router takes it without asking, but a policy must still
     *     answer 0 then
     * @param nowNanos the router's current {@link io.smartqueryrouter.core.Ticker} reading
     * @param random the source of randomness to use (thread-local unless the router was given
     *     a seeded one)
     * @return an index in {@code [0, candidates.size())}
     */
    int select(Candidates candidates, long nowNanos, RandomGenerator random);

    /**
     * Returns the node statistics this policy reads. The router keeps only these (and the
     * Peak-EWMA, which snapshots and metrics show): a statistic nobody reads is never computed.
     * A statistic read but not declared gives its fallback ({@link NodeStats} says which). The
     * default declares every statistic, so a policy that does not override this works unchanged;
     * override it to make completions cheaper.
     *
     * @return the statistics read by {@link #select}; read once, when the router is built
     */
    default Set<NodeStatistic> statistics() {
        return EnumSet.allOf(NodeStatistic.class);
    }

    /** {@return the policy's name, as shown in snapshots and logs (by default the simple class name)} */
    default String name() {
        return getClass().getSimpleName();
    }
}
