package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.core.spi.RoutingPolicyProvider;
import java.util.EnumSet;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code pool-ewma}: the lowest cost x (outstanding x growth + 2) / weight ({@link NodeStats#outstanding}: the calls in
 * flight and the cancelled ones the node still works on; {@link NodeStats#loadGrowth()}, at least 1/4: how much of
 * its solo latency each of them takes, 1 unless the router's own calls are most of the node's load and it serves
 * them side by side) among a few random candidates and
 * a small pool of the cheapest nodes this policy has seen, where a node's cost is the largest of
 * <ul>
 *   <li>its steady EWMA of latency ({@link NodeStatistic#STEADY_EWMA}: the mean it answers in over the
 *       last tau, 10 s by default, or its last 64 or so answers if they come faster, which one answer moves
 *       at most 1/8 of the way, so a slow node tried again after an idle spell is not taken for fast on one
 *       lucky answer), fading toward zero while
 *       the node is idle ({@code x exp(-idle / 30 s)}, from its last answer or failure);
 *   <li>how long it has owed answers without giving any ({@link NodeStats#silentNanos(long)}): while
 *       it has calls in flight, the time since its last answer or since its in-flight count rose from
 *       zero, so a node that stalls (a stop-the-world pause, a black hole) loses its traffic while it
 *       stalls, before any late answer says so, even when hedges win and its calls are cancelled;
 *   <li>after a failure, until its next success, its Peak-EWMA (at least the prior, fading);
 * </ul>
 * for a node with nothing in flight multiplied by twice {@link NodeStats#serviceDiscount()} when that is
 * under 1/2: the part of what it learnt that was the whole service's slowness (beyond 2x) and is gone (a
 * node a client stopped calling during a correlated slowdown would otherwise keep the slowdown's average
 * until the 30 s fade wore it off),
 * divided by 1 - its recent failure ratio ({@link NodeStats#failureRatio(long)}, at most 0.5): the
 * expected time to a success, so a node failing a share of its calls (a 503 to 30% of them) costs
 * more even right after a success. A node with no sample and nothing in flight costs 0, so a new
 * node is tried at once.
 *
 * <p>Why these parts (each measured in the simulator, benchmarks/POLICIES.md): comparing two
 * random candidates ({@code p2c-peak-ewma}) sends a call to a slow node whenever both are slow,
 * which in a cluster with a share of slow nodes is often (40% slow: 16% of picks); more random
 * choices narrow that but not enough over 50 nodes, where the pool of remembered cheap nodes
 * (Prequal's reuse of probes, without the probes) finds the fast ones. The Peak-EWMA as the cost
 * follows a node's recent maximum (with tau 10 s a peak takes seconds to blend away), so a
 * fast node that had one slow answer looks as slow as a slow node; the mean separates them, and
 * the silence catches what the mean is too slow for. Counting each call in flight as half a solo latency
 * (the + 2) assumes a node serves one call at a time; one client alone on servers of many workers then spreads
 * its calls onto slow nodes while the fast ones have workers to spare (a fleet of 16-worker servers of speeds 1,
 * 3 and 10 under one client: 1.58x the oracle's p99), so where the router's own calls are most of a node's load
 * each counts for the share of a solo latency it was seen to take (1.17x there).
 *
 * <p>O(1) per pick: {@value #CHOICES} random candidates and the {@value #POOL} pool slots, whatever
 * the cluster's size; with {@value #CHOICES} candidates or fewer (a JDBC router's replicas, say) the
 * random ones are all of them, and the pool is neither read nor kept. The pool holds candidate
 * indexes with the node they pointed at; a slot whose index no longer names that node (the
 * candidate set changed) is empty. Concurrent picks read and write slots without a lock: a torn
 * slot fails that check and is refilled. No allocation.
 */
public final class PoolEwmaPolicy implements RoutingPolicy {
    /** The random candidates compared on each pick. */
    public static final int CHOICES = 3;
    /** The remembered cheap nodes compared on each pick. */
    public static final int POOL = 8;
    /** The failure ratio beyond which a node's cost does not grow: its cost at most doubles. */
    private static final double MAX_FAILURE_RATIO = 0.5;
    /** The time constant of an idle node's fading average. */
    private static final double IDLE_FADE_NANOS = 30e9;
    /** Only the part of the service's speed-up beyond this factor discounts an idle node ({@link #cost}). */
    private static final double SERVICE_SPEEDUP_IGNORED = 2;
    /**
     * The least a call in flight counts for, however little the node's answers grow with them (four weigh as one):
     * the calls on one node are all caught when it stalls, so a node that serves calls side by side still does not
     * take them for free (1/16 failed 9% of one fleet's calls, against 0.8%, where a node of 16 workers paused
     * 600 ms every 5 s; benchmarks/POLICIES.md).
     */
    private static final double MIN_LOAD_GROWTH = 1.0 / 4;
    /** Idle for less than this, the fade is under 1% and is not computed. */
    private static final long IDLE_FADE_FROM_NANOS = 100_000_000;

    private final int[] poolIndex;
    private final NodeStats[] pool;
    private final int load;

    /** The default: a pool of {@value #POOL}, cost x (in-flight + 2). */
    public PoolEwmaPolicy() {
        this(POOL, 2);
    }

    /**
     * A variant for measurement (the simulator's {@code xpool-3-M-L}): a pool of {@code poolSize},
     * cost x (in-flight + {@code load}).
     *
     * @param poolSize the remembered nodes, at least 1
     * @param load what is added to the in-flight count, at least 1
     */
    public PoolEwmaPolicy(int poolSize, int load) {
        if (poolSize < 1 || load < 1) {
            throw new IllegalArgumentException("pool-ewma: poolSize and load must be >= 1, but were " + poolSize
                    + " and " + load);
        }
        this.poolIndex = new int[poolSize];
        this.pool = new NodeStats[poolSize];
        this.load = load;
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        int size = candidates.size();
        if (size == 1) {
            return 0;
        }
        // CHOICES distinct random candidates (fewer when there are fewer)
        int a = random.nextInt(size);
        int b = random.nextInt(size - 1);
        if (b >= a) {
            b++;
        }
        int c = -1;
        if (size > 2) {
            c = random.nextInt(size - 2);
            if (c >= Math.min(a, b)) {
                c++;
            }
            if (c >= Math.max(a, b)) {
                c++;
            }
        }
        NodeStats sa = candidates.get(a);
        int inFlight = sa.outstanding(nowNanos);
        double costA = cost(sa, inFlight, nowNanos);
        int best = a;
        double bestScore = costA * weighedLoad(sa, inFlight);
        int cheapest = a;
        double cheapestCost = costA;
        NodeStats sb = candidates.get(b);
        inFlight = sb.outstanding(nowNanos);
        double costB = cost(sb, inFlight, nowNanos);
        double score = costB * weighedLoad(sb, inFlight);
        if (score < bestScore) {
            best = b;
            bestScore = score;
        }
        if (costB < cheapestCost) {
            cheapest = b;
            cheapestCost = costB;
        }
        if (c >= 0) {
            NodeStats sc = candidates.get(c);
            inFlight = sc.outstanding(nowNanos);
            double costC = cost(sc, inFlight, nowNanos);
            score = costC * weighedLoad(sc, inFlight);
            if (score < bestScore) {
                best = c;
                bestScore = score;
            }
            if (costC < cheapestCost) {
                cheapest = c;
                cheapestCost = costC;
            }
        }
        if (size <= CHOICES) {
            // every candidate was compared: the pool could only offer them again
            return best;
        }
        NodeStats cheapestStats = candidates.get(cheapest);
        int worstSlot = -1;
        double worstCost = -1;
        boolean pooled = false;
        for (int slot = 0; slot < pool.length; slot++) {
            int i = poolIndex[slot];
            NodeStats s = pool[slot];
            if (s == null || i >= size || candidates.get(i) != s) {
                worstSlot = slot;
                worstCost = Double.MAX_VALUE;
                continue;
            }
            if (s == cheapestStats) {
                pooled = true;
            }
            inFlight = s.outstanding(nowNanos);
            double cost = cost(s, inFlight, nowNanos);
            score = cost * weighedLoad(s, inFlight);
            if (score < bestScore) {
                best = i;
                bestScore = score;
            }
            if (cost > worstCost) {
                worstSlot = slot;
                worstCost = cost;
            }
        }
        if (!pooled && cheapestCost < worstCost) {
            // the cheapest random candidate takes the costliest (or an empty) slot
            pool[worstSlot] = cheapestStats;
            poolIndex[worstSlot] = cheapest;
        }
        return best;
    }

    /**
     * The node's load as the pick weighs it: its calls in flight, each counted for its {@link NodeStats#loadGrowth()}
     * (1 unless learnt less), plus {@link #load}.
     */
    private double weighedLoad(NodeStats s, int inFlight) {
        return inFlight == 0 ? load : inFlight * Math.max(MIN_LOAD_GROWTH, s.loadGrowth()) + load;
    }

    /**
     * {@link #select} for a pick the router has not read its clock for (an untimed first attempt: a JDBC
     * connection checkout), reading it only when the choice may depend on it. Among at most {@value #CHOICES}
     * candidates that are all idle and clean ({@link NodeState#idleAndClean()}: nothing in flight, no failure
     * remembered, no silence owed), a cost reads the time only through the idle fade, and the fade from any
     * time on is the same factor for each ({@code exp(-(now - last) / tau)} = {@code exp(-(now - t) / tau)} x
     * {@code exp(-(t - last) / tau)}), so it cannot change their order: they are compared as of the latest
     * of their last outcomes instead, the same choice but where the fade's 100 ms threshold falls between
     * the two times (an order then differs by at most {@code 1 - exp(-0.1 / 30)}, 0.3%). That saves a JDBC
     * replica read a clock read (some 25 ns, 2% of a query on an in-memory database; RESULTS.md).
     *
     * @param candidates as for {@link #select}
     * @param clock the router's ticker, read when some candidate is busy, failing or owes an answer
     * @param random as for {@link #select}
     * @return as {@link #select}
     */
    public int selectUnread(Candidates candidates, Ticker clock, RandomGenerator random) {
        int size = candidates.size();
        long latest = Long.MIN_VALUE;
        if (size <= CHOICES) {
            for (int i = 0; i < size; i++) {
                if (!(candidates.get(i) instanceof NodeState<?> s) || !s.idleAndClean()) {
                    latest = Long.MIN_VALUE;
                    break;
                }
                latest = i == 0 ? s.lastSampleNanos() : Math.max(latest, s.lastSampleNanos());
            }
        }
        return select(candidates, latest != Long.MIN_VALUE ? latest : clock.read(), random);
    }

    /** The node's cost per unit of weight, in nanoseconds (see the class comment); 0 for a node with nothing known. */
    static double cost(NodeStats s, long nowNanos) {
        return cost(s, s.outstanding(nowNanos), nowNanos);
    }

    private static double cost(NodeStats s, int inFlight, long nowNanos) {
        if (inFlight == 0 && !s.hasLatencySample()) {
            return 0;
        }
        double ewma = s.ewmaNanos();
        if (inFlight == 0) {
            // an idle node's average fades toward zero, as the Peak-EWMA does, so a node that lost on one slow
            // answer is tried again in time even when nothing else spreads the load (one caller, one call at a time);
            // over 30 s, not 10 s: a node known to be slow is tried again less often (benchmarks/POLICIES.md)
            long idle = nowNanos - s.lastSampleNanos();
            if (idle > IDLE_FADE_FROM_NANOS) {
                ewma *= Math.exp(-idle / IDLE_FADE_NANOS);
            }
        }
        double cost = Math.max(ewma, s.silentNanos(nowNanos));
        if (s.consecutiveFailures() > 0) {
            cost = Math.max(cost, s.peakEwmaNanos(nowNanos));
        }
        if (inFlight == 0) {
            // what an idle node learnt while the whole service was slow was the service's: once the nodes
            // in use answer fast again, so is it presumed to, and it is tried again; a speed-up under 2x is
            // the service latency's own noise (a low quantile of a second's answers), and a slow node among
            // steady ones must not be tried again more often for it
            double discount = s.serviceDiscount();
            if (discount < 1 / SERVICE_SPEEDUP_IGNORED) {
                cost *= discount * SERVICE_SPEEDUP_IGNORED;
            }
        }
        double failureRatio = s.failureRatio(nowNanos);
        if (failureRatio > 0) {
            // the expected time to a success, 1 / (1 - ratio) attempts, up to twice the cost: a node failing most of
            // its calls is for the Peak-EWMA after a failure and outlier ejection, and must be tried again when it returns
            cost /= 1 - Math.min(failureRatio, MAX_FAILURE_RATIO);
        }
        int weight = s.weight();
        return weight == 1 ? cost : cost / weight;
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return EnumSet.of(NodeStatistic.PEAK_EWMA, NodeStatistic.STEADY_EWMA, NodeStatistic.SERVICE_DISCOUNT,
                NodeStatistic.SILENCE, NodeStatistic.LAST_SAMPLE_TIME, NodeStatistic.FAILURE_RATIO,
                NodeStatistic.LOAD_GROWTH);
    }

    @Override
    public String name() {
        return "pool-ewma";
    }

    /** Registers {@code pool-ewma}. */
    public static final class Provider implements RoutingPolicyProvider {
        @Override
        public String name() {
            return "pool-ewma";
        }

        @Override
        public RoutingPolicy create() {
            return new PoolEwmaPolicy();
        }
    }
}
