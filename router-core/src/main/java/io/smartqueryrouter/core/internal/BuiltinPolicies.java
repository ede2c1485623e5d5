package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.util.concurrent.atomic.AtomicLong;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The built-in policies and their {@link RoutingPolicyProvider}s. None allocates or locks in
 * {@code select}.
 */
public final class BuiltinPolicies {
    private BuiltinPolicies() {
    }

    /** The default exploration share of {@code lowest-latency}. */
    public static final double DEFAULT_EXPLORATION = 0.02;

    /** Picks two distinct candidates uniformly at random and returns their indexes packed in one long. */
    static long twoDistinct(int size, RandomGenerator random) {
        int a = random.nextInt(size);
        int b = random.nextInt(size - 1);
        if (b >= a) {
            b++;
        }
        return ((long) a << 32) | b;
    }

    /**
     * {@code p2c-peak-ewma}: power of two choices over Peak-EWMA cost x (in-flight + 1) / weight,
     * as Finagle's and Linkerd's balancers do. Sampling two instead of scanning all keeps many
     * independent clients from herding onto the same node. A node with no latency sample and
     * nothing in flight scores 0, so a new node gets one call at once and its first answer decides.
     */
    public static final class P2cPeakEwma implements RoutingPolicy {
        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            int size = candidates.size();
            if (size == 1) {
                return 0;
            }
            long pair = twoDistinct(size, random);
            int a = (int) (pair >>> 32);
            int b = (int) pair;
            NodeStats sa = candidates.get(a);
            NodeStats sb = candidates.get(b);
            // cost(a) / weight(a) <= cost(b) / weight(b), without the two divisions
            return load(sa, nowNanos) * sb.weight() <= load(sb, nowNanos) * sa.weight() ? a : b;
        }

        /** Peak-EWMA x (in-flight + 1); 0 for a node with nothing known yet. */
        private static double load(NodeStats s, long nowNanos) {
            int inFlight = s.outstanding(nowNanos);
            if (inFlight == 0 && !s.hasLatencySample()) {
                // nothing known yet: send it one call now (Finagle does the same), rather than starve it
                // behind nodes that measured faster than the prior
                return 0;
            }
            return s.peakEwmaNanos(nowNanos) * (inFlight + 1);
        }

        @Override
        public Set<NodeStatistic> statistics() {
            return EnumSet.of(NodeStatistic.PEAK_EWMA);
        }

        @Override
        public String name() {
            return "p2c-peak-ewma";
        }
    }

    /** {@code least-in-flight}: power of two choices over (in-flight + 1) / weight (Envoy's least_request). */
    public static final class LeastInFlight implements RoutingPolicy {
        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            int size = candidates.size();
            if (size == 1) {
                return 0;
            }
            long pair = twoDistinct(size, random);
            int a = (int) (pair >>> 32);
            int b = (int) pair;
            NodeStats sa = candidates.get(a);
            NodeStats sb = candidates.get(b);
            // (ia + 1) / wa <= (ib + 1) / wb, without division
            return (long) (sa.outstanding(nowNanos) + 1) * sb.weight() <= (long) (sb.outstanding(nowNanos) + 1) * sa.weight() ? a : b;
        }

        @Override
        public Set<NodeStatistic> statistics() {
            return EnumSet.noneOf(NodeStatistic.class);
        }

        @Override
        public String name() {
            return "least-in-flight";
        }
    }

    /**
     * {@code lowest-latency}: the candidate with the lowest latency / weight (the original
     * SmartQueryRouter rule), where a node's latency is its plain EWMA, scaled to how fast the service as
     * a whole answers now ({@link NodeStats#serviceDiscount()}), or how long it has owed answers without
     * giving any ({@link NodeStats#silentNanos(long)}) when that is longer. Nodes
     * within 25% of the lowest are tied and one of them is picked at random; a node
     * with no latency sample yet (new, or back from an outage or an ejection, whose history the router
     * forgot) is tied with the lowest. A share of picks explores a weighted-random candidate instead,
     * so a node that was slow once gets fresh samples and can win back its traffic.
     */
    public static final class LowestLatency implements RoutingPolicy {
        /**
         * EWMAs within this share of the lowest are a tie, broken at random: a client's EWMAs of equal
         * nodes differ by noise and by the queue it built on its favourite, and the strict lowest sent
         * every call to one node (a herd) until its EWMA (tau 10 s) rose past another's.
         */
        static final double TIE = 0.25;
        private final double exploration;

        /**
         * @param exploration the share of picks, in [0, 1], that go to a weighted-random candidate
         * @throws IllegalArgumentException if {@code exploration} is outside [0, 1]
         */
        public LowestLatency(double exploration) {
            if (!(exploration >= 0 && exploration <= 1)) {
                throw new IllegalArgumentException("lowest-latency: exploration must be in [0, 1], but was " + exploration);
            }
            this.exploration = exploration;
        }

        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            int size = candidates.size();
            if (size == 1) {
                return 0;
            }
            if (exploration > 0 && random.nextDouble() < exploration) {
                return candidates.indexAtWeight(random.nextLong(candidates.totalWeight()));
            }
            // the lowest among the nodes with a sample; with none known, every node is tied
            double bestScore = Double.MAX_VALUE;
            for (int i = 0; i < size; i++) {
                NodeStats s = candidates.get(i);
                if (s.hasLatencySample()) {
                    bestScore = Math.min(bestScore, score(s, nowNanos));
                }
            }
            // the nodes within TIE of the lowest, and those nothing is known of, are tied: one of them
            // at random (reservoir sampling). An unknown node read as the router's prior (30 ms) instead:
            // a node back from an outage then beat survivors whose averages still held the outage, and
            // each client sent it nearly every call until its own queue showed in its average
            double tied = bestScore * (1 + TIE);
            int best = 0;
            int ties = 0;
            for (int i = 0; i < size; i++) {
                NodeStats s = candidates.get(i);
                if ((!s.hasLatencySample() || score(s, nowNanos) <= tied) && random.nextInt(++ties) == 0) {
                    best = i;
                }
            }
            return best;
        }

        /**
         * The EWMA, or the silence when longer: a node that stalls (a pause, a black hole, a queue no
         * answer comes out of) keeps its old average for seconds (tau 10 s, and failures do not enter
         * it) while every call sent there waits. The EWMA is scaled by the service's speed-up since it was
         * learnt: after an overload (half the cluster gone) the nodes that had carried it kept their
         * queue-era averages for some 10 s, every call went to the nodes just back until their queues
         * showed in their own averages, and the traffic swung between the halves (the simulator's
         * capacity-loss-long recovered in 8-11 s, capacity-loss in 4-6 s on seeds 1-5; with the scaling
         * 1-4 s and 2-3 s, benchmarks/POLICIES.md). A speed-up is not ignored up to 2x as in pool-ewma:
         * with that the swings lasted 7-21 s.
         */
        private static double score(NodeStats s, long nowNanos) {
            return Math.max(s.ewmaNanos() * s.serviceDiscount(), s.silentNanos(nowNanos)) / s.weight();
        }

        /** {@return the share of picks that explore a weighted-random candidate} */
        public double exploration() {
            return exploration;
        }

        @Override
        public Set<NodeStatistic> statistics() {
            return EnumSet.of(NodeStatistic.EWMA, NodeStatistic.SERVICE_DISCOUNT, NodeStatistic.SILENCE);
        }

        @Override
        public String name() {
            return "lowest-latency";
        }
    }

    /**
     * {@code round-robin}: walks the weight line in turn, so over every {@code totalWeight}
     * consecutive picks of one candidate set each node gets exactly its weight.
     */
    public static final class RoundRobin implements RoutingPolicy {
        private final AtomicLong next = new AtomicLong();

        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            if (candidates.size() == 1) {
                return 0;
            }
            long point = Math.floorMod(next.getAndIncrement(), candidates.totalWeight());
            return candidates.indexAtWeight(point);
        }

        @Override
        public Set<NodeStatistic> statistics() {
            return EnumSet.noneOf(NodeStatistic.class);
        }

        @Override
        public String name() {
            return "round-robin";
        }
    }

    /** {@code random}: uniform over candidates, ignoring weights (the plainest baseline). */
    public static final class UniformRandom implements RoutingPolicy {
        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            return random.nextInt(candidates.size());
        }

        @Override
        public Set<NodeStatistic> statistics() {
            return EnumSet.noneOf(NodeStatistic.class);
        }

        @Override
        public String name() {
            return "random";
        }
    }

    /** {@code weighted-random}: random in proportion to weight. */
    public static final class WeightedRandom implements RoutingPolicy {
        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            return candidates.indexAtWeight(random.nextLong(candidates.totalWeight()));
        }

        @Override
        public Set<NodeStatistic> statistics() {
            return EnumSet.noneOf(NodeStatistic.class);
        }

        @Override
        public String name() {
            return "weighted-random";
        }
    }

    /** Registers {@code p2c-peak-ewma}. */
    public static final class P2cPeakEwmaProvider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "p2c-peak-ewma";
        }

        @Override
        public RoutingPolicy create() {
            return new P2cPeakEwma();
        }
    }

    /** Registers {@code least-in-flight}. */
    public static final class LeastInFlightProvider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "least-in-flight";
        }

        @Override
        public RoutingPolicy create() {
            return new LeastInFlight();
        }
    }

    /** Registers {@code lowest-latency} with the default exploration share. */
    public static final class LowestLatencyProvider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "lowest-latency";
        }

        @Override
        public RoutingPolicy create() {
            return new LowestLatency(DEFAULT_EXPLORATION);
        }
    }

    /** Registers {@code round-robin}. */
    public static final class RoundRobinProvider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "round-robin";
        }

        @Override
        public RoutingPolicy create() {
            return new RoundRobin();
        }
    }

    /** Registers {@code random}. */
    public static final class UniformRandomProvider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "random";
        }

        @Override
        public RoutingPolicy create() {
            return new UniformRandom();
        }
    }

    /** Registers {@code weighted-random}. */
    public static final class WeightedRandomProvider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "weighted-random";
        }

        @Override
        public RoutingPolicy create() {
            return new WeightedRandom();
        }
    }
}
