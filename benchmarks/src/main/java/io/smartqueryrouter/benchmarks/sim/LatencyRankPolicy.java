package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Measured variants of {@code lowest-latency}, not registered (SIMULATION.md, "lowest-latency"): the
 * candidate with the lowest score / weight, ties within a share of the lowest broken at random, a
 * share of picks exploring a weighted-random candidate. The simulator names it
 * {@code xll-M[-TIE[-EXPLORE[-u]]]}: M the score ({@code e} the plain EWMA, {@code s} the EWMA or the
 * silence when longer, {@code p} the Peak-EWMA, {@code m} the larger of EWMA and Peak-EWMA, {@code f}
 * the forecast), TIE and EXPLORE in percent (25 and 2 unless given), {@code u} to tie a node with no
 * sample with the lowest instead of reading it as the prior. {@code xll-e} is {@code lowest-latency}
 * before issue 12d, {@code xll-s-25-2-u} the registered one now.
 */
public final class LatencyRankPolicy implements RoutingPolicy {
    private final char mode;
    private final String name;
    private final double tie;
    private final double explore;
    private final boolean unknownTies;

    /**
     * @param name the name, {@code xll-M[-TIE[-EXPLORE[-u]]]}
     * @throws IllegalArgumentException if the name does not say a known variant
     */
    public LatencyRankPolicy(String name) {
        String[] p = name.split("-");
        if (p.length < 2 || p[1].length() != 1 || "espmf".indexOf(p[1].charAt(0)) < 0) {
            throw new IllegalArgumentException("xll-M[-TIE[-EXPLORE[-u]]] with M one of e, s, p, m, f, but was '"
                    + name + "'");
        }
        this.name = name;
        this.mode = p[1].charAt(0);
        this.tie = p.length > 2 ? Integer.parseInt(p[2]) / 100.0 : 0.25;
        this.explore = p.length > 3 ? Integer.parseInt(p[3]) / 100.0 : 0.02;
        this.unknownTies = p.length > 4 && p[4].equals("u");
    }

    private double score(NodeStats s, long now) {
        double e = s.ewmaNanos();
        double score = switch (mode) {
            case 'e' -> e;
            case 's' -> Math.max(e, s.silentNanos(now));
            case 'p' -> s.peakEwmaNanos(now);
            case 'm' -> Math.max(e, s.peakEwmaNanos(now));
            default -> s.forecastNanos(now);
        };
        return score / s.weight();
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return 0;
        }
        if (random.nextDouble() < explore) {
            return candidates.indexAtWeight(random.nextLong(candidates.totalWeight()));
        }
        double bestScore = Double.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            NodeStats s = candidates.get(i);
            if (!unknownTies || s.hasLatencySample()) {
                bestScore = Math.min(bestScore, score(s, nowNanos));
            }
        }
        double tied = bestScore * (1 + tie);
        int best = 0;
        int ties = 0;
        for (int i = 0; i < size; i++) {
            NodeStats s = candidates.get(i);
            if (((unknownTies && !s.hasLatencySample()) || score(s, nowNanos) <= tied) && random.nextInt(++ties) == 0) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return EnumSet.of(NodeStatistic.EWMA, NodeStatistic.SILENCE, NodeStatistic.FORECAST);
    }

    @Override
    public String name() {
        return name;
    }
}
