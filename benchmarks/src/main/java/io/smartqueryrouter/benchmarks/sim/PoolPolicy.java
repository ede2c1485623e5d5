package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A measured alternative to {@code pool-ewma}, not registered (benchmarks/POLICIES.md): its cost over
 * {@code K} random candidates and a pool of {@code M} remembered cheap nodes (of which {@code S}
 * random slots are looked at per pick), scored cost x (in-flight + 1) rather than (in-flight + 2).
 * The simulator names it {@code xpool-K-M[-S]}.
 */
public final class PoolPolicy implements RoutingPolicy {
    private final int choices;
    private final String name;
    private final int[] poolIndex;
    private final NodeStats[] pool;

    /**
     * @param choices random candidates, 1 to 3
     * @param poolSize remembered nodes
     * @param name the name
     */
    private final int poolSample;

    public PoolPolicy(int choices, int poolSize, String name) {
        this(choices, poolSize, poolSize, name);
    }

    /**
     * @param choices random candidates, 1 to 3
     * @param poolSize remembered nodes
     * @param poolSample pool slots looked at per pick (random ones when fewer than the pool)
     * @param name the name
     */
    public PoolPolicy(int choices, int poolSize, int poolSample, String name) {
        this.poolSample = poolSample;
        this.choices = choices;
        this.name = name;
        this.poolIndex = new int[poolSize];
        this.pool = new NodeStats[poolSize];
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return 0;
        }
        int best = -1;
        double bestScore = Double.MAX_VALUE;
        // random draws: remember the cheapest by cost alone
        int cheapest = -1;
        double cheapestCost = Double.MAX_VALUE;
        int a = random.nextInt(size);
        int b = -1;
        for (int j = 0; j < choices; j++) {
            int i;
            if (j == 0) {
                i = a;
            } else if (j == 1) {
                i = random.nextInt(size - 1);
                if (i >= a) {
                    i++;
                }
                b = i;
            } else {
                i = random.nextInt(size);
                if (i == a || i == b) {
                    continue;
                }
            }
            NodeStats s = candidates.get(i);
            double cost = cost(s, nowNanos);
            double score = score(s, cost);
            if (score < bestScore) {
                best = i;
                bestScore = score;
            }
            if (cost < cheapestCost) {
                cheapest = i;
                cheapestCost = cost;
            }
        }
        int worstSlot = -1;
        double worstCost = -1;
        NodeStats cheapestStats = candidates.get(cheapest);
        boolean inPool = false;
        int first = poolSample == pool.length ? 0 : random.nextInt(pool.length);
        for (int n = 0; n < poolSample; n++) {
            int slot = (first + n) % pool.length;
            int i = poolIndex[slot];
            NodeStats s = pool[slot];
            if (s == null || i >= size || candidates.get(i) != s) {
                worstSlot = slot;
                worstCost = Double.MAX_VALUE;
                continue;
            }
            if (s == cheapestStats) {
                inPool = true;
            }
            double cost = cost(s, nowNanos);
            double score = score(s, cost);
            if (score < bestScore) {
                best = i;
                bestScore = score;
            }
            if (cost > worstCost) {
                worstSlot = slot;
                worstCost = cost;
            }
        }
        if (!inPool && worstSlot >= 0 && cheapestCost < worstCost) {
            pool[worstSlot] = cheapestStats;
            poolIndex[worstSlot] = cheapest;
        }
        return best;
    }

    private static double cost(NodeStats s, long nowNanos) {
        int inFlight = s.inFlight();
        if (inFlight == 0 && !s.hasLatencySample()) {
            return 0;
        }
        double cost = s.ewmaNanos();
        if (inFlight > 0) {
            cost = Math.max(cost, s.silentNanos(nowNanos));
        }
        if (s.consecutiveFailures() > 0) {
            cost = Math.max(cost, s.peakEwmaNanos(nowNanos));
        }
        return cost / s.weight();
    }

    private static double score(NodeStats s, double cost) {
        return cost * (1 + s.inFlight());
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return EnumSet.of(NodeStatistic.PEAK_EWMA, NodeStatistic.EWMA, NodeStatistic.SILENCE);
    }

    @Override
    public String name() {
        return name;
    }
}
