package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A measured alternative to {@code pool-ewma}, not registered (benchmarks/POLICIES.md): the lowest
 * cost x (in-flight + 1) / weight among 2 to 4 random candidates, optionally with one remembered node
 * (the last pick, or the cheapest seen), the cost being the Peak-EWMA ({@code p}), the forecast
 * ({@code f}), the plain EWMA ({@code e}), the larger of the EWMA and half the Peak-EWMA ({@code m}),
 * the EWMA or the silence with calls out ({@code w}), that or the Peak-EWMA after a failure ({@code x}),
 * or the Peak-EWMA or the silence ({@code v}). The simulator names it {@code try-kK[-last|-cheap][-S]}.
 */
public final class ChoicesPolicy implements RoutingPolicy {
    /** No memory. */
    public static final int NONE = 0;
    /** Remember the last pick. */
    public static final int LAST = 1;
    /** Remember the cheapest Peak-EWMA seen. */
    public static final int CHEAPEST = 2;

    private final int choices;
    private final int memory;
    private final String name;
    private final char stat;
    private int rememberedIndex = -1;
    private NodeStats remembered;

    /**
     * @param choices random candidates compared, 2 to 4
     * @param memory NONE, LAST or CHEAPEST
     * @param name the name
     */
    public ChoicesPolicy(int choices, int memory, String name) {
        this(choices, memory, name, 'p');
    }

    /**
     * @param choices random candidates compared, 2 to 4
     * @param memory NONE, LAST or CHEAPEST
     * @param name the name
     * @param stat p (peak), f (forecast), e (ewma), m (max of ewma and decayed peak / 2)
     */
    public ChoicesPolicy(int choices, int memory, String name, char stat) {
        this.stat = stat;
        if (choices < 2 || choices > 4) {
            throw new IllegalArgumentException("choices must be in [2, 4], but was " + choices);
        }
        this.choices = choices;
        this.memory = memory;
        this.name = name;
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return 0;
        }
        int a = random.nextInt(size);
        int b = random.nextInt(size - 1);
        if (b >= a) {
            b++;
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        int best = a;
        double bestScore = score(candidates.get(a), nowNanos);
        double sb = score(candidates.get(b), nowNanos);
        if (sb < bestScore) {
            best = b;
            bestScore = sb;
        }
        int c = -1;
        if (choices >= 3 && size >= 3) {
            c = random.nextInt(size - 2);
            if (c >= lo) {
                c++;
            }
            if (c >= hi) {
                c++;
            }
            double s = score(candidates.get(c), nowNanos);
            if (s < bestScore) {
                best = c;
                bestScore = s;
            }
        }
        if (choices >= 4 && size >= 4) {
            int x = lo;
            int y = Math.min(hi, c);
            int z = Math.max(hi, c);
            if (c < lo) {
                x = c;
                y = lo;
                z = hi;
            }
            int d = random.nextInt(size - 3);
            if (d >= x) {
                d++;
            }
            if (d >= y) {
                d++;
            }
            if (d >= z) {
                d++;
            }
            double s = score(candidates.get(d), nowNanos);
            if (s < bestScore) {
                best = d;
                bestScore = s;
            }
        }
        if (memory != NONE) {
            int r = rememberedIndex;
            NodeStats rs = remembered;
            if (r >= 0 && r < size && candidates.get(r) == rs && r != best) {
                double s = score(rs, nowNanos);
                if (s < bestScore) {
                    best = r;
                    bestScore = s;
                }
            }
            if (memory == LAST) {
                if (best != r) {
                    rememberedIndex = best;
                    remembered = candidates.get(best);
                }
            } else {
                NodeStats bs = candidates.get(best);
                if (best != r && (rs == null || r >= size || candidates.get(r) != rs
                        || bs.peakEwmaNanos(nowNanos) / bs.weight() <= rs.peakEwmaNanos(nowNanos) / rs.weight())) {
                    rememberedIndex = best;
                    remembered = bs;
                }
            }
        }
        return best;
    }

    private double score(NodeStats s, long nowNanos) {
        int inFlight = s.inFlight();
        if (inFlight == 0 && !s.hasLatencySample()) {
            return 0;
        }
        double cost = switch (stat) {
            case 'f' -> s.forecastNanos(nowNanos);
            case 'e' -> s.ewmaNanos();
            case 'm' -> Math.max(s.ewmaNanos(), s.peakEwmaNanos(nowNanos) * 0.5);
            case 'w' -> inFlight == 0 ? s.ewmaNanos() : Math.max(s.ewmaNanos(), s.silentNanos(nowNanos));
            case 'x' -> Math.max(inFlight == 0 ? s.ewmaNanos() : Math.max(s.ewmaNanos(), s.silentNanos(nowNanos)),
                    s.consecutiveFailures() > 0 ? s.peakEwmaNanos(nowNanos) : 0);
            case 'v' -> inFlight == 0 ? s.peakEwmaNanos(nowNanos) : Math.max(s.peakEwmaNanos(nowNanos), s.silentNanos(nowNanos));
            default -> s.peakEwmaNanos(nowNanos);
        };
        return cost * (inFlight + 1) / s.weight();
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return stat == 'f' ? EnumSet.of(NodeStatistic.FORECAST) : stat == 'p' ? EnumSet.of(NodeStatistic.PEAK_EWMA)
                : EnumSet.of(NodeStatistic.PEAK_EWMA, NodeStatistic.EWMA, NodeStatistic.SILENCE);
    }

    @Override
    public String name() {
        return name;
    }
}
