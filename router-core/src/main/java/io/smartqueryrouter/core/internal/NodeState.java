package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.core.spi.NodeStatistic;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The mutable, lock-free state of one registered node: statistics on the call path, and the
 * health and ejection state the router changes (under its membership lock, off the call path).
 *
 * <p>Peak-EWMA (Finagle's {@code PeakEwma}, Linkerd's balancer): on a sample {@code rtt} at time
 * {@code t}, with {@code w = exp(-(t - stamp) / tau)}: if {@code rtt > cost} then {@code cost = rtt},
 * else {@code cost = min(cost * w + rtt * (1 - w), max(cost * w, rtt))}: the blend, but never above the
 * larger of the sample and the cost as read at that moment, so a fast answer after an idle spell never
 * raises the cost (blending into the stored, undecayed cost did: 30 ms after a failure, read as 4.06 ms
 * after 20 s idle, became 8.38 ms on one 5 ms answer; now 5 ms). In effect the cost as read is the largest
 * of the samples, each decayed by its age. Reading at time {@code t} decays the cost toward zero,
 * {@code cost * exp(-(t - stamp) / tau)}, as Finagle and Linkerd do: a node that was slow once and
 * then got no traffic soon looks cheap enough to be tried again, and its next sample decides
 * (decaying toward a fixed prior instead would starve it forever in a cluster faster than the
 * prior). Before its first sample a node reads as the prior; the first sample replaces it. A
 * failure ({@code FAILURE}, {@code OVERLOADED}) only ever raises the cost, to at least the prior:
 * if the larger of its latency and the prior exceeds the cost as read at that moment, the cost
 * jumps to it; otherwise nothing changes. So a fast "connection refused" never makes a node look
 * faster, a failing node costs at least as much as an unknown one (in a cluster faster than the
 * prior it is only tried again once its cost has decayed), and a node that failed counts as
 * sampled. The same value enters the latency forecast as a sample; failures do not enter the plain
 * EWMA. The plain EWMA blends a success in with weight {@code 1 - w}; kept steady
 * ({@link NodeStatistic#STEADY_EWMA}, {@code pool-ewma}), with {@code max(1/64, min(1 - w, 1/8))}, so one
 * sample after a long idle spell does not replace the node's history ({@code MAX_SAMPLE_WEIGHT}) and a busy
 * node's average covers its last 64 or so answers ({@code MIN_SAMPLE_WEIGHT}), and with at least 1/n for the
 * n-th of its first 64 answers, so until then it is their mean ({@code STEADY_WARM_UP}); beside it, with
 * {@link NodeStatistic#SERVICE_DISCOUNT}, the router's {@link ServiceLatency} averaged over the node's answers
 * alike, for {@link #serviceDiscount()}.
 * A cancelled attempt ({@code CANCELLED}: a hedge that lost the race, a caller that gave up) waited
 * its latency without an answer, so the node takes at least that long: the cost and the
 * forecast rise to it if it is higher (without this, hedging would hide a stalled node's slowness
 * from the policy, since its late answers are never awaited). It leaves in-flight, but the node
 * presumably still works on it, so it goes on counting in the load policies weigh
 * ({@link #outstanding}) until the node answers an attempt begun after it, or for as long again as
 * it waited (the node's Peak-EWMA if longer). Counted out at once, a slow node's cancelled calls made
 * it look idle to {@code least-in-flight}, which sent it more to queue behind them: in the simulator's
 * flapping, hedged, 25-30 more calls in each slow phase's first second and p99.9 1.0 s (timeouts)
 * against 0.62-0.67 s not hedged (benchmarks/results/issue-13c).
 *
 * <p>Beside those: the valley-EWMA (Peak-EWMA mirrored: a faster sample replaces it, slower ones
 * pull it up), the averages of what the node itself reports (queue length, service time) for
 * {@code c3}, a {@link LatencyForecast} for {@code predictive}, and the failure ratio (a moving
 * average of failures per answered attempt, {@link NodeStats#failureRatio(long)}) for {@code pool-ewma}. Only the statistics the router's
 * policy declares ({@link NodeStatistic}) are kept, besides the Peak-EWMA; the others are never
 * computed and read as their fallback (the prior, NaN or the Peak-EWMA, as {@code NodeStats} says).
 *
 * <p>Decay factors {@code exp(-dt/tau)} are computed exactly by {@link Math#exp} for long gaps and by
 * the Taylor series to the cubic term for gaps under a hundredth of tau (a relative error below
 * 5e-10), which is the common case on a busy node and several times cheaper.
 *
 * <p>No lock. What must be exact is changed by atomic operations: the counts (in flight and the
 * outcomes: a lost update there would be wrong for good, a node forever loaded or idle), failures in
 * a row, the failure ratio, and a failure's or a cancel's raise of the cost (a CAS loop, so a failure
 * always shows). A success's sample, on every call's path, enters the Peak-EWMA and the plain EWMA
 * with a release store each instead (two atomic operations fewer per completion, about 12 ns of a
 * query on the benchmark machine): they are estimates, and a store that races another completion on
 * the same node within the few nanoseconds between reading the value and writing it back undoes
 * what that completion wrote (its sample, a failure's raise, {@link #forgetLatency()}'s reset) instead
 * of folding into it. Each value written is a valid blend of a value read and a sample, never torn nor
 * out of range; at a million completions a second on one node some 0.3% of samples could be lost. A
 * failure's raise lost so is made again by the node's next failure (its failures in a row and failure
 * ratio, exact, are what ejection and {@code pool-ewma}'s cost read first); a reset lost so leaves
 * the old estimate, which later samples blend away (Finagle and Linkerd take a lock instead). Their
 * stamps move with release writes too: two samples racing within the same microseconds may both
 * decay over the same short interval, or move the stamp back by that much, an error of a few
 * microseconds of decay against a tau of seconds. On a success both stamps usually stood at the
 * same time, and one decay factor serves both. The valley EWMA (for {@code c3} only) first claims the time since the previous sample
 * by advancing its stamp with a CAS (a CAS that only moves it forward), so decay factors multiply and
 * the claimed intervals add up to the elapsed time whatever the interleaving, and folds its sample in
 * with a CAS loop.
 *
 * <p>Counting, per completion, costs one atomic add in the common case: the in-flight count and the
 * number of {@code SUCCESS} outcomes share one 64-bit word ({@code flight}: in flight in the low 32
 * bits, successes modulo 2^32 in the high 32), so a success leaves in-flight and is counted in the same
 * {@code getAndAdd}, and a reader sees both as of one moment. The completion whose add carries the
 * success count across a multiple of 2^31 also adds one to {@code halves}; a reader reads
 * {@code halves} before the word and, if the word's top bit says a crossing is not yet in
 * {@code halves}, counts it (see {@code successes}), so the count is exact past 2^32 with no lock.
 * Other outcomes (rarer) keep a {@link LongAdder} each and leave in-flight by a separate add, after
 * being counted, so {@link #requests()} errs high, never low. Work bound to the node
 * ({@code BoundNode}) is not counted apart: only its attempts are, like any. The times a policy
 * reads only as "the latest" (the last answer for silence, the last sample) are written with
 * release stores: no fence on the call path, the latest write wins, a reader sees it at once on x86
 * and soon after elsewhere.
 *
 * @param <E> the endpoint type
 */
public final class NodeState<E> implements NodeStats {
    private static final long NO_SAMPLE = Double.doubleToRawLongBits(Double.NaN);
    private static final VarHandle PEAK_BITS;
    private static final VarHandle PEAK_STAMP;
    /** In flight (low 32 bits) and successes modulo 2^32 (high 32 bits): see the class comment. */
    private static final VarHandle FLIGHT;
    private static final VarHandle HALVES;
    private static final VarHandle WAITING_SINCE;
    private static final VarHandle LAST_OUTCOME;
    private static final VarHandle UNTIMED_RISE;
    private static final VarHandle CONSECUTIVE;
    private static final VarHandle EWMA_BITS;
    private static final VarHandle EWMA_STAMP;
    private static final VarHandle OUTCOME_BITS;
    private static final VarHandle PHANTOMS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            PEAK_BITS = lookup.findVarHandle(NodeState.class, "peakBits", long.class);
            PEAK_STAMP = lookup.findVarHandle(NodeState.class, "peakStamp", long.class);
            FLIGHT = lookup.findVarHandle(NodeState.class, "flight", long.class);
            HALVES = lookup.findVarHandle(NodeState.class, "halves", long.class);
            WAITING_SINCE = lookup.findVarHandle(NodeState.class, "waitingSinceNanos", long.class);
            LAST_OUTCOME = lookup.findVarHandle(NodeState.class, "lastOutcomeNanos", long.class);
            UNTIMED_RISE = lookup.findVarHandle(NodeState.class, "untimedRise", boolean.class);
            CONSECUTIVE = lookup.findVarHandle(NodeState.class, "consecutiveFailures", int.class);
            EWMA_BITS = lookup.findVarHandle(NodeState.class, "ewmaBits", long.class);
            EWMA_STAMP = lookup.findVarHandle(NodeState.class, "ewmaStamp", long.class);
            OUTCOME_BITS = lookup.findVarHandle(NodeState.class, "outcomeBits", long.class);
            PHANTOMS = lookup.findVarHandle(NodeState.class, "phantoms", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One success in the {@code flight} word. */
    private static final long ONE_SUCCESS = 1L << 32;
    /** The success bits of the {@code flight} word below its top bit: all zero right after a crossing of 2^31. */
    private static final long SUCCESS_LOW_BITS = 0x7FFF_FFFFL << 32;

    /**
     * The largest share of the plain EWMA one success may take. Time-weighted alone, a sample after an idle spell
     * of t takes 1 - exp(-t / tau) of it (86% after 20 s at tau 10 s), so one answer replaced the history of a
     * node a policy rarely picks, and the samples after it, close together, each moved it by only about their
     * spacing / tau. With exponential service times, a slow node that the idle fade of pool-ewma tried again
     * answered in under a quarter of its mean one time in five, then looked like a fast node for seconds: in the
     * simulator's heterogeneous-50 (exponential 10 ms) the two speed-1 node classes took 3.7% of the calls
     * instead of 0.8% (predictive) and p99 was 1.21x the oracle's; capped at 1/8 they take 1.1% and p99 is
     * 1.12x (1/2: 1.16x, 1/4: 1.13x). A busy node's samples, under tau x ln(8/7) apart, are not affected.
     * Cancels are not capped: their waits only raise the average, and a stall must show at once. Only for a
     * policy that asks ({@link NodeStatistic#STEADY_EWMA}): lowest-latency, which sends every call to the lowest
     * average, took 14 and 18 s instead of 1 and 2 s to recover from the simulator's correlated slowdown with
     * it, since the nodes it had left kept their slow averages through their first fast answers.
     */
    private static final double MAX_SAMPLE_WEIGHT = 1.0 / 8;
    /**
     * The least share of the steady EWMA one success takes: the average covers the last tau or about the last
     * 64 answers, whichever is shorter. Time-weighted alone, a busy node's average took tau (10 s) to forget a
     * spell however many answers said it was over: after the simulator's capacity-loss-long (half the cluster
     * gone for 2 minutes) the two nodes that had carried the overload kept their queue-era averages for some
     * 15 s after their queues had drained, the returning pair took twice their share at 95% busy, and the
     * default recovered in 8, 7 and 11 s (seeds 42, 7, 1234); with the floor (and the service discount it
     * needs, {@link #serviceDiscount()}), in 1 s (benchmarks/results/issue-12t). 1/128 and 1/256 recovered in 3
     * and 4 s (seed 42), and alone any floor stranded nodes left during a correlated slowdown (POLICIES.md).
     */
    private static final double MIN_SAMPLE_WEIGHT = 1.0 / 64;
    /**
     * With STEADY, the answers until the average covers its usual 64 ({@code 1 / MIN_SAMPLE_WEIGHT}): the n-th of
     * them takes at least 1/n of it, so the average is their mean. Without this the first answer replaced the
     * prior and every later one moved the average by 1/64 to 1/8 of the way, so the first answer was still half
     * of it after 6 answers 1.3 s or more apart, after 45 closer together: with exponential service times a 5x
     * slow node whose first answer came fast one time in five looked like a fast node for seconds after a router
     * started (the simulator's CriteriaSeeds, one client over four 4-worker servers, one 5x slow, 120 calls/s:
     * its p99.9 over 1.2x that without the slow node in 13 of 40 seeds, 5 with the mean; benchmarks/POLICIES.md).
     */
    private static final int STEADY_WARM_UP = 64;
    private static final int EWMA = 1;
    private static final int VALLEY = 2;
    private static final int LAST_SAMPLE = 8;
    private static final int WAITING = 16;
    private static final int OUTCOMES = 32;
    /**
     * With EWMA: one answer moves it at least {@link #MIN_SAMPLE_WEIGHT} and at most {@link #MAX_SAMPLE_WEIGHT} of the
     * way ({@link NodeStatistic#STEADY_EWMA}).
     */
    private static final int STEADY = 64;
    /** {@link NodeStatistic#LOAD_GROWTH}. */
    private static final int GROWTH = 128;
    /**
     * The weight of each answer to an attempt that found none of the router's own in flight in the solo latency:
     * about the last 64, so a few long calls of a heavy-tailed service do not make the node look roomy (1/16
     * failed 6% of the calls of a fleet sweep's 100 servers of 8 workers with bimodal service times).
     */
    private static final double SOLO_WEIGHT = 1.0 / 64;
    /** The weight of each answer in the load growth and in the router's own load on the node. */
    private static final double GROWTH_WEIGHT = 1.0 / 32;
    /**
     * One answer's growth sample is cut to this: a stall (an answer many times the solo latency) raises the growth
     * quickly without one such answer deciding it.
     */
    private static final double MAX_GROWTH_SAMPLE = 2;
    /** The weight of each answered attempt in the failure ratio: about the last 16 attempts count. */
    private static final double FAILURE_RATIO_WEIGHT = 1.0 / 16;
    /** A failure ratio below this reads 0 (about 100 answers after a lone failure). */
    private static final double FAILURE_RATIO_FLOOR = 1e-4;

    private volatile Node<E> node;
    private final double priorNanos;
    private final double tauNanos;
    private final double inverseTau;
    /** Which optional statistics are kept: EWMA, VALLEY, LAST_SAMPLE bits. */
    private final int kept;

    // the fields every pick and completion touch live in this object (VarHandles, not Atomic* objects),
    // so a pick over a large cluster costs one cache line per candidate rather than several
    private volatile long peakBits = NO_SAMPLE;
    private volatile long peakStamp;
    /** In flight (low 32 bits, never negative) and successes modulo 2^32 (high 32 bits). */
    private volatile long flight;
    /** The times the success count crossed a multiple of 2^31 (see {@code successes}). */
    private volatile long halves;
    /**
     * Attempts cancelled unanswered that the node presumably still works on ({@link #outstanding}); they count
     * while the ticker is before {@link #phantomUntilNanos}, and none count once the node answers an attempt
     * begun at or after {@link #phantomBegunNanos}, the latest start among them. One count and two times, not
     * one entry per attempt: O(1) and allocation-free, at the price of holding every such attempt as long as
     * the latest. Written without a lock, as the Peak-EWMA: a cancel racing an answer that clears the count may
     * be lost (the node then looks lighter by one, as it did before these were counted), and a count that
     * races its own reset after the time passed may start from two.
     */
    private volatile int phantoms;
    private volatile long phantomBegunNanos;
    private volatile long phantomUntilNanos;
    private volatile int consecutiveFailures;
    /** The node's weight, kept beside the statistics a policy reads with it. */
    private volatile int weight;
    // the plain EWMA lives here too: pool-ewma reads it on every candidate it looks at
    private volatile long ewmaBits = NO_SAMPLE;
    private volatile long ewmaStamp;
    /** With STEADY: the router's service latency, and the value of it the steady EWMA was learnt under (NaN before). */
    private final ServiceLatency service;
    private volatile double serviceContextNanos = Double.NaN;
    // the valley-EWMA: Peak-EWMA mirrored, the latency the node manages when nothing queues ahead
    private final AtomicLong valleyBits = new AtomicLong(NO_SAMPLE);
    private final AtomicLong valleyStamp;
    // what the node itself reported (c3): per-report EWMAs, as Elasticsearch's adaptive replica selection keeps
    /** Null unless the policy reads what the node reports (c3). */
    private final ServerLoadAverages serverLoad;
    /** Null unless the policy reads the forecast. */
    private final LatencyForecast forecast;
    /** When the node last answered or failed (the latest wins; readers only fade statistics by it). */
    private volatile long lastOutcomeNanos;
    /** The later of the last answer and the last rise of in-flight from zero (SILENCE); plain writes, the latest wins. */
    private volatile long waitingSinceNanos;
    /** Until when a node whose attempt was cancelled unanswered still counts as silent with nothing in flight. */
    private volatile long silentUntilNanos;
    /**
     * Set when an untimed attempt ({@link #beginUntimed()}) raised in-flight from zero, cleared by the next
     * timed attempt's start or answer: while set, the node owes no answer, so it is not silent.
     */
    private volatile boolean untimedRise;
    /** FAILURE_RATIO: the bits of the moving average of failures per answered attempt, as of {@link #outcomeStamp}. */
    private volatile long outcomeBits;
    /** When {@link #outcomeBits} was last decayed; moved with a plain write, as the Peak-EWMA's stamp. */
    private volatile long outcomeStamp;
    /**
     * LOAD_GROWTH: the average answer to an attempt that found none of the router's own in flight (NaN before one),
     * the average growth per own attempt found in flight, and the average number found. Plain writes, as the
     * Peak-EWMA's: two answers racing within nanoseconds may lose one sample.
     */
    private volatile double soloNanos = Double.NaN;
    /** STEADY: the answers averaged so far, up to {@link #STEADY_WARM_UP}; a plain write, as the average's. */
    private int steadyAnswers;
    private volatile double growth = 1;
    private volatile double ownLoad;

    /** The outcomes other than {@code SUCCESS} (counted in {@code flight}); the SUCCESS slot stays null. */
    private final LongAdder[] completed = new LongAdder[Outcome.values().length];

    // changed by the router under its membership lock, read anywhere
    private volatile boolean healthy = true;
    private volatile boolean removed;
    private volatile boolean folded;
    private volatile boolean ejected;
    private volatile long ejectedUntilNanos;
    /** While ejected: when its next trial call (half-open) may go, and whether one may go now. */
    private volatile long trialAtNanos;
    private volatile long ejectedAtNanos;
    private volatile boolean trialOpen;
    /** While ejected: the wait after a trial, which doubles with each trial that timed out. */
    private volatile long trialGapNanos;
    /**
     * The start of the latest trial call, how long that call may wait for the node, and how long the
     * slowest available node lately took when it began (0: unknown).
     */
    private volatile long trialBeganNanos;
    private volatile long trialWaitNanos;
    private volatile long trialUsualNanos;
    /** Whether a trial of this ejection waited the whole wait limit on a node believed down and got no answer. */
    private volatile boolean trialUnanswered;
    private volatile int timesEjected;
    private volatile long lastRestoredNanos;
    private volatile boolean coolingDown;
    private volatile long coolDownUntilNanos;
    private volatile ProbeResult lastProbe;

    /** Owned by the health checker. */
    final ProbeState probe = new ProbeState();

    /**
     * Creates the state of a node that has no sample yet and keeps every statistic.
     *
     * @param node the node
     * @param priorNanos the latency assumed before the first sample
     * @param tauNanos the decay time constant of both moving averages
     * @param nowNanos the current ticker reading
     */
    public NodeState(Node<E> node, double priorNanos, double tauNanos, long nowNanos) {
        this(node, priorNanos, tauNanos, nowNanos, EnumSet.allOf(NodeStatistic.class));
    }

    /**
     * Creates the state of a node that has no sample yet and keeps the Peak-EWMA and the given statistics.
     *
     * @param node the node
     * @param priorNanos the latency assumed before the first sample
     * @param tauNanos the decay time constant of the moving averages
     * @param nowNanos the current ticker reading
     * @param statistics the statistics to keep
     */
    public NodeState(Node<E> node, double priorNanos, double tauNanos, long nowNanos, Set<NodeStatistic> statistics) {
        this(node, priorNanos, tauNanos, nowNanos, statistics, new ServiceLatency());
    }

    /**
     * Creates the state of a node that has no sample yet and keeps the Peak-EWMA and the given statistics, one of
     * the nodes of a router whose service latency is {@code service} (read and kept only with
     * {@link NodeStatistic#SERVICE_DISCOUNT}).
     *
     * @param node the node
     * @param priorNanos the latency assumed before the first sample
     * @param tauNanos the decay time constant of the moving averages
     * @param nowNanos the current ticker reading
     * @param statistics the statistics to keep
     * @param service the router's service latency, shared by its nodes' states
     */
    NodeState(Node<E> node, double priorNanos, double tauNanos, long nowNanos, Set<NodeStatistic> statistics,
            ServiceLatency service) {
        this.node = node;
        this.priorNanos = priorNanos;
        this.tauNanos = tauNanos;
        this.inverseTau = 1 / tauNanos;
        boolean steady = statistics.contains(NodeStatistic.STEADY_EWMA);
        boolean discount = statistics.contains(NodeStatistic.SERVICE_DISCOUNT);
        this.service = discount ? service : null;
        this.kept = (statistics.contains(NodeStatistic.EWMA) || steady || discount ? EWMA : 0)
                | (steady ? STEADY : 0)
                | (statistics.contains(NodeStatistic.VALLEY_EWMA) ? VALLEY : 0)
                | (statistics.contains(NodeStatistic.LAST_SAMPLE_TIME) ? LAST_SAMPLE : 0)
                | (statistics.contains(NodeStatistic.SILENCE) ? WAITING : 0)
                | (statistics.contains(NodeStatistic.FAILURE_RATIO) ? OUTCOMES : 0)
                | (statistics.contains(NodeStatistic.LOAD_GROWTH) ? GROWTH : 0);
        this.peakStamp = nowNanos;
        this.weight = node.weight();
        this.ewmaStamp = nowNanos;
        this.valleyStamp = new AtomicLong(nowNanos);
        this.serverLoad = statistics.contains(NodeStatistic.SERVER_LOAD) ? new ServerLoadAverages() : null;
        this.forecast = statistics.contains(NodeStatistic.FORECAST)
                ? new LatencyForecast(priorNanos, tauNanos, nowNanos) : null;
        this.lastOutcomeNanos = nowNanos;
        this.waitingSinceNanos = nowNanos;
        this.silentUntilNanos = nowNanos;
        this.outcomeStamp = nowNanos;
        this.lastRestoredNanos = nowNanos;
        for (int i = 0; i < completed.length; i++) {
            if (i != Outcome.SUCCESS.ordinal()) {
                completed[i] = new LongAdder();
            }
        }
    }

    @Override
    public Node<E> node() {
        return node;
    }

    /** Replaces the node's definition (same id) while keeping its statistics. */
    public void node(Node<E> replacement) {
        this.node = replacement;
        this.weight = replacement.weight();
    }

    @Override
    public int weight() {
        return weight;
    }

    // ---- the call path ----

    /** Counts an attempt that starts on this node. */
    public void begin() {
        FLIGHT.getAndAdd(this, 1L);
    }

    /**
     * Counts an attempt that starts on this node at {@code nowNanos}: a node that had nothing in
     * flight (or only untimed attempts, see {@link #beginUntimed()}) starts waiting then, unless it is
     * still silent after a cancelled attempt.
     */
    public void begin(long nowNanos) {
        long before = (long) FLIGHT.getAndAdd(this, 1L);
        if ((kept & WAITING) != 0 && ((int) before == 0 || untimedRise)) {
            if (untimedRise) {
                UNTIMED_RISE.setRelease(this, false);
            }
            if (nowNanos - silentUntilNanos >= 0) {
                WAITING_SINCE.setRelease(this, nowNanos);
            }
        }
    }

    /**
     * Counts an untimed attempt that starts on this node without the time (a binding's first attempt:
     * taking a pooled connection). It owes no answer to a call, so it does not start the node's wait: a
     * node with nothing but such attempts in flight is not silent, and the wait starts with the next
     * timed attempt. An untimed and a timed attempt beginning within the same nanoseconds may leave the
     * node's silence read as 0 until the timed one answers or another begins.
     */
    public void beginUntimed() {
        if ((int) (long) FLIGHT.getAndAdd(this, 1L) == 0 && (kept & WAITING) != 0) {
            UNTIMED_RISE.setRelease(this, true);
        }
    }

    /**
     * Records the end of an attempt and its latency sample.
     *
     * @return the number of consecutive failures after this outcome
     */
    public int complete(Outcome outcome, long latencyNanos, long nowNanos) {
        return complete(outcome, latencyNanos, nowNanos, true, -1);
    }

    /**
     * Records the end of an attempt and its latency sample, for an attempt that found {@code ahead} of the
     * router's own attempts in flight on the node when it began ({@link #aheadAtBegin}; negative: unknown).
     *
     * @return the number of consecutive failures after this outcome
     */
    public int complete(Outcome outcome, long latencyNanos, long nowNanos, int ahead) {
        return complete(outcome, latencyNanos, nowNanos, true, ahead);
    }

    /**
     * Returns, for an attempt that has just begun, how many other attempts of the router it found in flight on
     * the node, or -1 when {@link NodeStatistic#LOAD_GROWTH} is not kept. Read just after the attempt's own count,
     * so under concurrent starts it may count one that began a moment later. Two reads and no more: it runs in
     * {@code Attempt}'s constructor, which must stay small enough for the JIT to remove the attempt.
     */
    public int aheadAtBegin() {
        return (kept & GROWTH) != 0 ? (int) flight - 1 : -1;
    }

    /**
     * Records the end of an attempt without a latency sample (a failure still raises the cost to
     * at least the prior). It is no answer to a call either (taking a pooled connection says nothing of
     * whether the node answers its statements): the node's silence goes on as before.
     *
     * @param nowNanos the ticker's reading; read only for an outcome that {@link Outcome#blamesNode()
     *     blames the node}, so a caller may pass anything (and skip reading the clock) for the others
     * @return the number of consecutive failures after this outcome
     */
    public int completeUntimed(Outcome outcome, long nowNanos) {
        return complete(outcome, 0, nowNanos, false, -1);
    }

    /**
     * Records one outcome into every statistic. One method on purpose: at over 325 bytes of
     * bytecode (C2's FreqInlineSize) it is never inlined into its callers, so {@code Router.completed}
     * and {@code Attempt.complete} stay small enough to be inlined into the caller's code, where the
     * JIT can then scalar-replace an attempt that does not escape (0 bytes allocated per call; see
     * benchmarks/RESULTS.md). Splitting it into helpers lets C2 inline them all into
     * {@code Attempt.complete}, which then becomes too big to inline, and every attempt is allocated.
     */
    private int complete(Outcome outcome, long latencyNanos, long nowNanos, boolean timed, int ahead) {
        if (outcome == Outcome.SUCCESS) {
            // counted and out of flight in one add; the add that carries the count across a multiple of 2^31 says so
            long next = (long) FLIGHT.getAndAdd(this, ONE_SUCCESS - 1) + (ONE_SUCCESS - 1);
            if ((next & SUCCESS_LOW_BITS) == 0) {
                HALVES.getAndAdd(this, 1L);
            }
        } else {
            // counted done before it leaves in-flight, so requests() (done + in flight) errs high, not low
            completed[outcome.ordinal()].increment();
            FLIGHT.getAndAdd(this, -1L);
        }
        int k = kept;
        if (phantoms != 0 && timed && (outcome == Outcome.SUCCESS || outcome == Outcome.CLIENT_ERROR)
                && nowNanos - latencyNanos - phantomBegunNanos >= 0) {
            // an answer to an attempt begun after every cancelled one: a server serving in order has done them
            PHANTOMS.setRelease(this, 0);
        }
        if (timed && (k & WAITING) != 0 && outcome != Outcome.CANCELLED) {
            WAITING_SINCE.setRelease(this, nowNanos);
            if (untimedRise) {
                // only after a race with an untimed attempt's start: this answer owes the node's wait its start
                UNTIMED_RISE.setRelease(this, false);
            }
        }
        switch (outcome) {
            case SUCCESS, CLIENT_ERROR -> {
                if (consecutiveFailures != 0) {
                    consecutiveFailures = 0;
                }
                if (!timed) {
                    return 0;
                }
                if ((k & OUTCOMES) != 0) {
                    countOutcome(false, nowNanos);
                }
                if ((k & LAST_SAMPLE) != 0) {
                    LAST_OUTCOME.setRelease(this, nowNanos);
                }
                double rtt = Math.max(0, latencyNanos);
                if (ahead >= 0 && (k & GROWTH) != 0) {
                    learnGrowth(rtt, ahead);
                }
                if (forecast != null) {
                    forecast.record(rtt, nowNanos);
                }
                // Peak-EWMA: a higher sample replaces the cost, a lower one is averaged in; a release store, not a
                // CAS (see the class comment: a sample that races another on this node within nanoseconds may be lost)
                long peakWas = advancePeakStamp(nowNanos);
                double w = decay(nowNanos - peakWas);
                long bits = peakBits;
                double cost = Double.longBitsToDouble(bits);
                // the blend of the stored cost and the sample, but never above the larger of the sample and
                // the cost as read now: a fast answer after an idle spell must not raise the cost
                double read = cost * w;
                double next = bits == NO_SAMPLE || rtt > cost ? rtt : Math.min(read + rtt * (1 - w), Math.max(read, rtt));
                PEAK_BITS.setRelease(this, Double.doubleToRawLongBits(next));
                if ((k & EWMA) != 0) {
                    long ewmaWas = advanceEwmaStamp(nowNanos);
                    if (ewmaWas != peakWas) {
                        // a failure or a cancel moved one stamp and not the other: else one decay serves both
                        w = decay(nowNanos - ewmaWas);
                    }
                    bits = ewmaBits;
                    // steady: one sample moves the average by at most MAX_SAMPLE_WEIGHT of the way, however long the
                    // node was idle (binds only after a gap over tau x ln(8/7), 1.3 s at tau 10 s), and by at least
                    // MIN_SAMPLE_WEIGHT, however busy it is (binds under tau / 64 apart); see the constants
                    double weight = (k & STEADY) != 0 ? Math.max(MIN_SAMPLE_WEIGHT, Math.min(1 - w, MAX_SAMPLE_WEIGHT)) : 1 - w;
                    if ((k & STEADY) != 0 && steadyAnswers < STEADY_WARM_UP) {
                        // the first answers weigh alike (their mean), so the first does not stand for the node
                        int n = ++steadyAnswers;
                        weight = Math.max(weight, 1.0 / n);
                    }
                    double ewma = Double.longBitsToDouble(bits);
                    next = bits == NO_SAMPLE ? rtt : ewma + (rtt - ewma) * weight;
                    EWMA_BITS.setRelease(this, Double.doubleToRawLongBits(next));
                    if (service != null) {
                        // the service latency the average is learnt under, averaged alike
                        double now = service.observe(rtt, nowNanos);
                        double context = serviceContextNanos;
                        serviceContextNanos = bits == NO_SAMPLE || Double.isNaN(context) ? now : context + (now - context) * weight;
                    }
                }
                if ((k & VALLEY) != 0) {
                    // valley-EWMA: a lower sample replaces it, a higher one is averaged in
                    w = decay(nowNanos - valleyStamp.getAndAccumulate(nowNanos, Math::max));
                    while (true) {
                        bits = valleyBits.get();
                        double valley = Double.longBitsToDouble(bits);
                        next = bits == NO_SAMPLE || rtt < valley ? rtt : valley * w + rtt * (1 - w);
                        if (valleyBits.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                            break;
                        }
                    }
                }
                return 0;
            }
            case FAILURE, OVERLOADED -> {
                // a failure may only make a node look slower: a fast "connection refused" must not attract traffic
                double floor = Math.max(Math.max(0, timed ? latencyNanos : 0), priorNanos);
                if (forecast != null) {
                    forecast.record(floor, nowNanos);
                }
                raisePeak(floor, nowNanos);
                if ((k & LAST_SAMPLE) != 0) {
                    LAST_OUTCOME.setRelease(this, nowNanos);
                }
                if ((k & OUTCOMES) != 0) {
                    countOutcome(true, nowNanos);
                }
                return (int) CONSECUTIVE.getAndAdd(this, 1) + 1;
            }
            default -> {
                // cancelled after waiting this long (a hedge that lost the race, a caller that gave up): the
                // node takes at least that long, so its costs may rise to it; they never fall, nothing is blamed
                double waited = Math.max(0, latencyNanos);
                if ((k & WAITING) != 0) {
                    // unanswered so far: the node stays silent for as long again, in flight or not
                    long silent = nowNanos - waitingSinceNanos;
                    if (silent > 0 && nowNanos + silent - silentUntilNanos > 0) {
                        silentUntilNanos = nowNanos + silent;
                    }
                }
                // an unknown node reads as the prior: a short wait must not make it look known and cheap
                if (timed && (peakBits != NO_SAMPLE || waited > priorNanos)) {
                    if (forecast != null && waited > forecast.levelNanos(nowNanos)) {
                        forecast.record(waited, nowNanos);
                    }
                    raisePeak(waited, nowNanos);
                    if ((k & EWMA) != 0) {
                        // the plain EWMA takes the wait as a sample only when it says the node is slower than
                        // the average: else a node that stalls while hedges win would never show it
                        long bits = ewmaBits;
                        if (bits != NO_SAMPLE && waited > Double.longBitsToDouble(bits)) {
                            double w = decay(nowNanos - advanceEwmaStamp(nowNanos));
                            while (!EWMA_BITS.compareAndSet(this, bits, Double.doubleToRawLongBits(
                                    Double.longBitsToDouble(bits) * w + waited * (1 - w)))) {
                                bits = ewmaBits;
                            }
                        }
                    }
                }
                if (timed) {
                    // the caller stopped waiting, the server did not: the attempt goes on counting in the node's
                    // load (outstanding) until the node answers a later attempt, or for as long again as it
                    // waited (a node that took that long without answering is likely to take as long again)
                    // or the node's Peak-EWMA if longer
                    long begun = nowNanos - (long) waited;
                    long until = nowNanos + (long) Math.max(waited, peakEwmaNanos(nowNanos));
                    if (phantoms == 0 || nowNanos - phantomUntilNanos >= 0) {
                        // the earlier ones are all past their time: start again from this one
                        phantomUntilNanos = until;
                        phantomBegunNanos = begun;
                        PHANTOMS.setRelease(this, 1);
                    } else {
                        PHANTOMS.getAndAdd(this, 1);
                        if (until - phantomUntilNanos > 0) {
                            phantomUntilNanos = until;
                        }
                        if (begun - phantomBegunNanos > 0) {
                            phantomBegunNanos = begun;
                        }
                    }
                }
                return consecutiveFailures;
            }
        }
    }

    /**
     * Moves FAILURE_RATIO 1/16 of the way toward 1 (a failure) or 0 (an answer), after fading it by
     * the time since the previous outcome. Per attempt, not per second: a node back from an outage
     * unlearns its failures in a few answers (counts decayed per second kept a returning node costly
     * for tens of seconds after many fast failures). Two completions racing may fade over the same
     * short interval (the stamp moves with a plain write, as the Peak-EWMA's); the moves themselves
     * are made by CAS, so none is lost.
     */
    private void countOutcome(boolean failed, long nowNanos) {
        if (!failed && outcomeBits == 0) {
            // an answer on a node with no failure in memory leaves 0: no write on the common path
            return;
        }
        long stamp = outcomeStamp;
        double w = decay(nowNanos - stamp);
        if (nowNanos - stamp > 0) {
            outcomeStamp = nowNanos;
        }
        while (true) {
            long bits = outcomeBits;
            double ratio = Double.longBitsToDouble(bits) * w;
            double next = ratio + ((failed ? 1 : 0) - ratio) * FAILURE_RATIO_WEIGHT;
            if (next < FAILURE_RATIO_FLOOR) {
                // a failure long past: back to exactly 0, and to the common path
                next = 0;
            }
            if (OUTCOME_BITS.compareAndSet(this, bits, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }

    /**
     * LOAD_GROWTH: an answer of {@code rtt} to an attempt that found {@code ahead} of the router's own attempts on
     * the node. With none ahead it is a solo answer; with some, {@code rtt / solo / (ahead + 1)} is the latency per
     * call of the router's there, this one counted (cut to {@link #MAX_GROWTH_SAMPLE}): 1 where they are served
     * one at a time, 1 / w where w are served side by side and at least w were there, and 1 / (ahead + 1), more
     * than 1 / w, where fewer were (the answers then show only that the node serves that many side by side).
     */
    private void learnGrowth(double rtt, int ahead) {
        ownLoad += (ahead - ownLoad) * GROWTH_WEIGHT;
        double solo = soloNanos;
        if (ahead == 0) {
            soloNanos = Double.isNaN(solo) ? rtt : solo + (rtt - solo) * SOLO_WEIGHT;
        } else if (solo > 0) {
            double sample = Math.min(MAX_GROWTH_SAMPLE, rtt / solo / (ahead + 1));
            growth += (sample - growth) * GROWTH_WEIGHT;
        }
    }

    @Override
    public double loadGrowth() {
        double own = ownLoad;
        if ((kept & GROWTH) == 0 || own <= 1) {
            return 1;
        }
        // all of the learnt value once two or more of the router's own attempts are usually there, none at one
        double share = Math.min(1, own - 1);
        return 1 - share * (1 - Math.min(1, growth));
    }

    /** Folds what the node reported into its averages (when the policy reads them); a negative value is unknown. */
    public void reportServerLoad(double queueLength, long serviceTimeNanos) {
        if (serverLoad != null) {
            serverLoad.report(queueLength, serviceTimeNanos);
        }
    }

    /** Moves the EWMA's stamp forward to {@code nowNanos} and returns where it was (see the class comment on races). */
    private long advanceEwmaStamp(long nowNanos) {
        long previous = ewmaStamp;
        if (nowNanos - previous > 0) {
            EWMA_STAMP.setRelease(this, nowNanos);
        }
        return previous;
    }

    private void raisePeak(double floor, long nowNanos) {
        while (true) {
            long bits = peakBits;
            if (bits != NO_SAMPLE && floor <= Double.longBitsToDouble(bits) * decay(nowNanos - peakStamp)) {
                return;
            }
            if (PEAK_BITS.compareAndSet(this, bits, Double.doubleToRawLongBits(floor))) {
                advancePeakStamp(nowNanos);
                return;
            }
        }
    }

    /** Moves the Peak-EWMA's stamp forward to {@code nowNanos} and returns where it was (see the class comment on races). */
    private long advancePeakStamp(long nowNanos) {
        long previous = peakStamp;
        if (nowNanos - previous > 0) {
            PEAK_STAMP.setRelease(this, nowNanos);
        }
        return previous;
    }

    /**
     * {@code exp(-elapsed / tau)}. Failures never feed the plain EWMA: feeding them was measured to
     * make {@code lowest-latency}'s herding worse (benchmarks/SIMULATION.md).
     */
    private double decay(long elapsedNanos) {
        return decay(elapsedNanos, inverseTau);
    }

    /** {@code exp(-elapsed / tau)}, cheaply for short gaps (see the class comment); 1 for no gap. */
    static double decay(long elapsedNanos, double inverseTau) {
        if (elapsedNanos <= 0) {
            return 1.0;
        }
        double x = elapsedNanos * inverseTau;
        // Taylor to the cubic term: relative error below x^4/24, 4.2e-10 at x = 0.01
        return x < 0.01 ? 1 - x * (1 - x * (0.5 - x * (1.0 / 6))) : Math.exp(-x);
    }

    // ---- NodeStats ----

    @Override
    public double peakEwmaNanos(long nowNanos) {
        long bits = peakBits;
        if (bits == NO_SAMPLE) {
            return priorNanos;
        }
        return Double.longBitsToDouble(bits) * decay(nowNanos - peakStamp);
    }

    @Override
    public boolean hasLatencySample() {
        return peakBits != NO_SAMPLE;
    }

    @Override
    public double ewmaNanos() {
        long bits = ewmaBits;
        return bits == NO_SAMPLE ? priorNanos : Double.longBitsToDouble(bits);
    }

    @Override
    public double forecastNanos(long nowNanos) {
        return forecast != null ? forecast.forecastNanos(nowNanos) : peakEwmaNanos(nowNanos);
    }

    @Override
    public long silentNanos(long nowNanos) {
        if ((kept & WAITING) == 0 || (((int) flight == 0 || untimedRise) && nowNanos - silentUntilNanos >= 0)) {
            // nothing owed: nothing in flight, or only untimed attempts since in-flight last rose from zero
            return 0;
        }
        return Math.max(0, nowNanos - waitingSinceNanos);
    }

    @Override
    public double failureRatio(long nowNanos) {
        long bits = outcomeBits;
        if (bits == 0) {
            // no failure in memory (or the statistic is not kept): the common case costs one read
            return 0;
        }
        return Double.longBitsToDouble(bits) * decay(nowNanos - outcomeStamp);
    }

    /**
     * Returns the later of the node's latest answer and the last rise of its in-flight count from
     * zero, or {@code Long.MIN_VALUE} if the router does not keep {@link NodeStatistic#SILENCE}.
     */
    public long waitingSinceNanos() {
        return (kept & WAITING) != 0 ? waitingSinceNanos : Long.MIN_VALUE;
    }

    /**
     * Whether this node's statistics would read the same at any time from its last outcome on, but for
     * their decays and fades: nothing in flight, no failure since its last success nor in the failure
     * ratio's memory, no silence owed nor cancelled work still counted ({@link #outstanding}) after a
     * cancelled attempt (both ended by the last outcome). False unless {@link NodeStatistic#LAST_SAMPLE_TIME}
     * is kept. For {@link PoolEwmaPolicy#selectUnread}.
     */
    boolean idleAndClean() {
        long last = lastOutcomeNanos;
        return (kept & LAST_SAMPLE) != 0 && (int) flight == 0 && consecutiveFailures == 0 && outcomeBits == 0
                && silentUntilNanos - last <= 0 && (phantoms == 0 || phantomUntilNanos - last <= 0);
    }

    @Override
    public double serviceDiscount() {
        if (service == null) {
            return 1;
        }
        double now = service.nanos();
        double then = serviceContextNanos;
        // NaN compares false: 1 until both are known
        return now < then ? now / then : 1;
    }

    @Override
    public long lastSampleNanos() {
        return (kept & LAST_SAMPLE) != 0 ? lastOutcomeNanos : Long.MIN_VALUE;
    }

    @Override
    public double valleyEwmaNanos() {
        long bits = valleyBits.get();
        return bits == NO_SAMPLE ? priorNanos : Double.longBitsToDouble(bits);
    }

    @Override
    public double serverQueueLength() {
        return serverLoad == null ? Double.NaN : serverLoad.queueLength();
    }

    @Override
    public double serverServiceTimeNanos() {
        return serverLoad == null ? Double.NaN : serverLoad.serviceTimeNanos();
    }

    @Override
    public int inFlight() {
        return (int) flight;
    }

    @Override
    public int outstanding(long nowNanos) {
        int p = phantoms;
        int f = (int) flight;
        return p == 0 || nowNanos - phantomUntilNanos >= 0 ? f : f + p;
    }

    /**
     * Derived, not counted: the completed attempts plus those in flight (the successes and in flight as of
     * one moment, the other outcomes read before); under concurrent completions it may be off by the
     * attempts completing during the read, high rather than low.
     */
    @Override
    public long requests() {
        long h = halves;
        long f = flight;
        return successes(h, f) + others() + (int) f;
    }

    /** Returns the attempts completed, whatever their outcome. */
    public long completedTotal() {
        long h = halves;
        return successes(h, flight) + others();
    }

    private long others() {
        long done = 0;
        for (LongAdder c : completed) {
            if (c != null) {
                done += c.sum();
            }
        }
        return done;
    }

    /**
     * The success count from {@code halves} and the {@code flight} word, read in that order: the word's
     * top success bit says whether an odd or even number of 2^31 crossings happened; when {@code halves}
     * disagrees, the completion that crossed has not added its one yet, and it is counted here.
     */
    static long successes(long halves, long flight) {
        long field = flight >>> 32;
        long crossed = halves + ((halves & 1) != field >>> 31 ? 1 : 0);
        return (crossed << 31) + (field & 0x7FFF_FFFFL);
    }

    /**
     * Starts the success count at {@code count}, with nothing in flight: for tests of the count past 2^31
     * and 2^32, which no test could reach one completion at a time. Not for use while the node is in use.
     */
    void presetSuccesses(long count) {
        halves = count >>> 31;
        flight = (count & 0xFFFF_FFFFL) << 32;
    }

    @Override
    public long completed(Outcome outcome) {
        if (outcome == Outcome.SUCCESS) {
            long h = halves;
            return successes(h, flight);
        }
        return completed[outcome.ordinal()].sum();
    }

    @Override
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    @Override
    public boolean healthy() {
        return healthy;
    }

    @Override
    public boolean ejected() {
        return ejected;
    }

    @Override
    public ProbeResult lastProbe() {
        return lastProbe;
    }

    // ---- state the router changes under its membership lock ----

    /** Returns whether the node may take calls now: healthy, not ejected, not cooling down. */
    public boolean available() {
        return healthy && !ejected && !coolingDown;
    }

    public void healthy(boolean value) {
        this.healthy = value;
    }

    public void lastProbe(ProbeResult result) {
        this.lastProbe = result;
    }

    public boolean removed() {
        return removed;
    }

    public void markRemoved() {
        this.removed = true;
    }

    /** {@return whether the router folded this removed node's counts into its totals} */
    public boolean folded() {
        return folded;
    }

    /** Marks the node folded into the router's totals; only the registry does, under its lock. */
    public void fold() {
        this.folded = true;
    }

    public long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    public int timesEjected() {
        return timesEjected;
    }

    /**
     * Ejects the node. The multiplier decays by one for each {@code baseNanos} the node stayed in
     * since its last restore (as Envoy's outlier detection does), then grows by one.
     *
     * @param trialIntervalNanos when, from now, the first trial call may go (half-open)
     * @return the ejection time
     */
    public long eject(long nowNanos, long baseNanos, long maxNanos, long trialIntervalNanos) {
        long quietPeriods = Math.max(0, nowNanos - lastRestoredNanos) / baseNanos;
        int times = (int) Math.max(0, timesEjected - quietPeriods) + 1;
        long duration = times > maxNanos / baseNanos ? maxNanos : Math.min(maxNanos, baseNanos * times);
        this.timesEjected = times;
        this.ejectedUntilNanos = nowNanos + duration;
        this.ejectedAtNanos = nowNanos;
        this.trialAtNanos = nowNanos + trialIntervalNanos;
        this.trialGapNanos = trialIntervalNanos;
        this.trialWaitNanos = 0;
        this.trialUnanswered = false;
        this.trialOpen = false;
        this.ejected = true;
        consecutiveFailures = 0;
        return duration;
    }

    /**
     * Forgets the node's latency history: for a node that rejoins after an ejection or an outage,
     * whose old samples (or failure penalty) say nothing of how it answers now. It reads as the
     * prior again, so policies that try unknown nodes at once (p2c-peak-ewma) send it a call soon
     * instead of waiting for a stale cost to decay.
     */
    public void forgetLatency() {
        peakBits = NO_SAMPLE;
        ewmaBits = NO_SAMPLE;
        steadyAnswers = 0;
        serviceContextNanos = Double.NaN;
        valleyBits.set(NO_SAMPLE);
        outcomeBits = 0;
        soloNanos = Double.NaN;
        growth = 1;
        ownLoad = 0;
        if (serverLoad != null) {
            serverLoad.reset();
        }
        if (forecast != null) {
            forecast.reset();
        }
    }

    /**
     * Ends the ejection. The node counts as back from its ejection's deadline once that has passed,
     * not from whenever the router next looked (a call or a snapshot), so the multiplier's decay
     * does not depend on traffic or on who reads the state.
     */
    public void restore(long nowNanos) {
        this.ejected = false;
        this.trialOpen = false;
        this.lastRestoredNanos = nowNanos - ejectedUntilNanos >= 0 ? ejectedUntilNanos : nowNanos;
    }

    /** {@return when the node's last ejection began} */
    public long ejectedAtNanos() {
        return ejectedAtNanos;
    }

    /** {@return when an ejected node's next trial call may go (half-open)} */
    public long trialAtNanos() {
        return trialAtNanos;
    }

    /** {@return whether an ejected node may take one trial call now} */
    public boolean trialOpen() {
        return trialOpen;
    }

    /** Lets one trial call go to the ejected node. */
    public void openTrial() {
        this.trialOpen = true;
    }

    /** {@return the wait before an ejected node's last trial (the trial interval at first)} */
    public long trialGapNanos() {
        return trialGapNanos;
    }

    /** The open trial was taken (or the last one timed out) at {@code nowNanos}: the next may go {@code gapNanos} later. */
    public void trialTaken(long nowNanos, long gapNanos) {
        this.trialOpen = false;
        this.trialGapNanos = gapNanos;
        this.trialAtNanos = nowNanos + gapNanos;
    }

    /**
     * A trial call began at {@code startNanos} and may wait {@code waitNanos} for the node, while the slowest
     * available node lately took {@code usualNanos} (0: unknown).
     */
    public void trialBegan(long startNanos, long waitNanos, long usualNanos) {
        this.trialWaitNanos = waitNanos;
        this.trialUsualNanos = usualNanos;
        this.trialBeganNanos = startNanos;
    }

    /**
     * {@return for the node's latest trial call, begun at {@code startNanos}, how long the slowest available
     * node lately took when it began (0: unknown); -1 if that attempt is not the node's latest trial}
     */
    public long trialUsualNanos(long startNanos) {
        return ejected && trialBeganNanos == startNanos && trialWaitNanos > 0 ? trialUsualNanos : -1;
    }

    /** {@return whether a trial of the current ejection waited the whole wait limit and got no answer} */
    public boolean trialUnanswered() {
        return trialUnanswered;
    }

    /** A trial of the current ejection waited the whole wait limit and got no answer. */
    public void trialUnanswered(boolean unanswered) {
        this.trialUnanswered = unanswered;
    }

    /**
     * {@return how long the attempt begun at {@code startNanos} may wait for this ejected node if it is the
     * node's latest trial call, else {@code otherwise}}
     */
    public long trialWaitNanos(long startNanos, long otherwise) {
        return ejected && trialBeganNanos == startNanos && trialWaitNanos > 0 ? trialWaitNanos : otherwise;
    }

    public boolean coolingDown() {
        return coolingDown;
    }

    public long coolDownUntilNanos() {
        return coolDownUntilNanos;
    }

    /** Keeps the node out of rotation until {@code untilNanos}, extending (never shortening) a running cool-down. */
    public void coolDown(long untilNanos) {
        if (!coolingDown || untilNanos - coolDownUntilNanos > 0) {
            this.coolDownUntilNanos = untilNanos;
        }
        this.coolingDown = true;
    }

    public void endCoolDown() {
        this.coolingDown = false;
    }

    @Override
    public String toString() {
        return "NodeState[" + node.id() + "]";
    }
}
