package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code c3}: the replica ranking of the C3 paper (Suresh et al., NSDI 2015), as Elasticsearch's
 * adaptive replica selection uses it. Every candidate is ranked and the lowest rank wins:
 *
 * <pre>
 * rank = (R - S + q^3 x S) / weight        q = 1 + (in-flight + failures in a row) x clients + Q
 * </pre>
 *
 * <ul>
 *   <li>{@code R}, the response time: the node's plain EWMA of latency as this client measures it,
 *       or its Peak-EWMA when a failure or a long wait has raised that higher;
 *   <li>{@code S}, the service time: the node's own report ({@link NodeStats#serverServiceTimeNanos()},
 *       from response headers) when it sends one; otherwise estimated from the client side as the
 *       valley-EWMA ({@link NodeStats#valleyEwmaNanos()}), the latency the node manages when little
 *       queues ahead of a call;
 *   <li>{@code Q}, the server's queue: its report ({@link NodeStats#serverQueueLength()}) or 0 when
 *       it reports none, so the queue is then this client's own in-flight calls alone;
 *   <li>{@code clients}: how many clients like this one share the nodes; the in-flight count is
 *       multiplied by it to stand for everyone's (C3's concurrency compensation). Default 1.
 * </ul>
 *
 * Two additions to the paper's formula, both measured in the simulator (benchmarks/SIMULATION.md):
 * each failure in a row counts like a call queued at the node, fading like the statistics while
 * the node gets no answer (a node that refuses at once has
 * nothing in flight and an old fast EWMA, so plain C3 kept sending it 27% of the calls while it
 * was down, with outlier ejection off), and R follows the Peak-EWMA when that is higher (it
 * reacts to a slowdown at once rather than over the EWMA's 10 s).
 *
 * The cube makes a node with a queue much more expensive than its response time alone says, so
 * load moves away from a node before its latency shows it. A node that loses the ranking gets no
 * samples, so its statistics would stay bad for ever; instead they drift back toward the best
 * candidate's as time passes without an answer or failure ({@code x exp(-idle / drift)}, default
 * drift 1 s), as Elasticsearch lowers the statistics of nodes it did not choose; toward half the
 * best's, so that a passed-over node does come first after a few drift constants and gets one
 * call, whose answer (or failure, which restarts the clock) decides. A node with no sample and
 * nothing in flight is chosen first (its first answer decides). Ties go to a random one of the
 * tied candidates. O(n) in the candidates, no allocation.
 */
public final class C3Policy implements RoutingPolicy {
    /** The default drift time constant. */
    public static final Duration DEFAULT_DRIFT = Duration.ofSeconds(1);

    private final int clients;
    private final double driftNanos;

    /**
     * @param clients how many clients share the nodes, at least 1
     * @param drift how fast an unsampled node's statistics drift toward the best candidate's, positive
     * @throws IllegalArgumentException if a value is out of range
     */
    public C3Policy(int clients, Duration drift) {
        if (clients < 1) {
            throw new IllegalArgumentException("c3: clients must be >= 1, but was " + clients);
        }
        if (drift == null || drift.isNegative() || drift.isZero()) {
            throw new IllegalArgumentException("c3: drift must be a positive duration, but was " + drift);
        }
        this.clients = clients;
        this.driftNanos = drift.toNanos();
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return 0;
        }
        int offset = random.nextInt(size);
        double bestR = Double.MAX_VALUE;
        double bestS = Double.MAX_VALUE;
        double bestQ = Double.MAX_VALUE;
        for (int k = 0; k < size; k++) {
            int i = (k + offset) % size;
            NodeStats s = candidates.get(i);
            if (!s.hasLatencySample() && s.inFlight() == 0) {
                return i;
            }
            bestR = Math.min(bestR, responseNanos(s, nowNanos));
            bestS = Math.min(bestS, serviceNanos(s));
            bestQ = Math.min(bestQ, serverQueue(s));
        }
        int best = offset;
        double bestRank = Double.MAX_VALUE;
        for (int k = 0; k < size; k++) {
            int i = (k + offset) % size;
            double rank = rank(candidates.get(i), nowNanos, bestR, bestS, bestQ);
            if (rank < bestRank) {
                best = i;
                bestRank = rank;
            }
        }
        return best;
    }

    /**
     * Returns the node's rank as of {@code nowNanos}, its statistics drifted toward half the given
     * best ones: to the best's own values a passed-over node could only ever tie with the best, and
     * with calls one at a time (nothing in flight to tip the balance) it would never be tried again.
     */
    double rank(NodeStats s, long nowNanos, double bestR, double bestS, double bestQ) {
        long last = s.lastSampleNanos();
        long idle = last == Long.MIN_VALUE ? 0 : nowNanos - last;
        double keep = idle <= 0 ? 1.0 : Math.exp(-idle / driftNanos);
        double r = bestR / 2 + (responseNanos(s, nowNanos) - bestR / 2) * keep;
        double service = bestS / 2 + (serviceNanos(s) - bestS / 2) * keep;
        double q = 1 + (s.outstanding(nowNanos) + s.consecutiveFailures() * keep) * clients + bestQ
                + (serverQueue(s) - bestQ) * keep;
        return (r - service + q * q * q * service) / s.weight();
    }

    /** R: the EWMA of answers, or the Peak-EWMA when a failure or a long wait raised that higher. */
    private static double responseNanos(NodeStats s, long nowNanos) {
        return Math.max(s.ewmaNanos(), s.peakEwmaNanos(nowNanos));
    }

    private static double serviceNanos(NodeStats s) {
        double reported = s.serverServiceTimeNanos();
        return Double.isNaN(reported) ? s.valleyEwmaNanos() : reported;
    }

    private static double serverQueue(NodeStats s) {
        double reported = s.serverQueueLength();
        return Double.isNaN(reported) ? 0 : reported;
    }

    /** Returns how many clients the in-flight count stands for. */
    public int clients() {
        return clients;
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return EnumSet.of(NodeStatistic.PEAK_EWMA, NodeStatistic.EWMA, NodeStatistic.VALLEY_EWMA,
                NodeStatistic.SERVER_LOAD, NodeStatistic.LAST_SAMPLE_TIME);
    }

    @Override
    public String name() {
        return "c3";
    }

    /** Registers {@code c3} with one client and the default drift. */
    public static final class Provider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "c3";
        }

        @Override
        public RoutingPolicy create() {
            return new C3Policy(1, DEFAULT_DRIFT);
        }
    }
}
