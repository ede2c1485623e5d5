package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code predictive}: routes by each node's latency forecast a short horizon ahead
 * ({@link NodeStats#forecastNanos(long)}: Holt's damped linear trend over 100 ms buckets, 1 s
 * ahead, see {@link LatencyForecast}), so a node whose latency is rising loses traffic before it
 * is slow, not after. The score is forecast x (in-flight + 1) / weight, the lower the better; a
 * node with no sample and nothing in flight scores 0, so a new node is tried at once.
 *
 * <p>Two ways to compare, without allocation: the best over all candidates (O(n), registered as
 * {@code predictive}) or power of two choices (O(1), {@code predictive-p2c}, not registered). The
 * simulator (benchmarks/SIMULATION.md) measured both: comparing all candidates had the lower p99 in
 * eight of nine scenarios, herd (50 clients) included, because the (in-flight + 1) factor already
 * keeps a client from piling onto the node its forecast favours; P2C gives a slow node a share
 * whenever it is drawn with another slow one.
 */
public final class PredictivePolicy implements RoutingPolicy {
    private final boolean twoChoices;

    /** @param twoChoices compare two random candidates (true) or all of them (false) */
    public PredictivePolicy(boolean twoChoices) {
        this.twoChoices = twoChoices;
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return 0;
        }
        if (twoChoices) {
            long pair = BuiltinPolicies.twoDistinct(size, random);
            int a = (int) (pair >>> 32);
            int b = (int) pair;
            return score(candidates.get(a), nowNanos) <= score(candidates.get(b), nowNanos) ? a : b;
        }
        int offset = random.nextInt(size);
        int best = offset;
        double bestScore = Double.MAX_VALUE;
        for (int k = 0; k < size; k++) {
            int i = (k + offset) % size;
            double score = score(candidates.get(i), nowNanos);
            if (score < bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    private static double score(NodeStats s, long nowNanos) {
        int inFlight = s.outstanding(nowNanos);
        if (inFlight == 0 && !s.hasLatencySample()) {
            return 0;
        }
        return s.forecastNanos(nowNanos) * (inFlight + 1) / s.weight();
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return EnumSet.of(NodeStatistic.FORECAST);
    }

    @Override
    public String name() {
        return twoChoices ? "predictive-p2c" : "predictive";
    }

    /** Registers {@code predictive} (the best forecast over all candidates). */
    public static final class Provider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "predictive";
        }

        @Override
        public RoutingPolicy create() {
            return new PredictivePolicy(false);
        }
    }
}
