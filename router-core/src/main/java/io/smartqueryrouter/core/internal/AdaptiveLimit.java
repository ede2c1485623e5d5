package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.Outcome;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One router's adaptive limit on attempts in flight ({@link ConcurrencyLimit} describes the rule).
 * The idea is TCP Vegas's and Netflix concurrency-limits' gradient limit: a queue at the servers
 * shows as latency above the no-load latency, so the limit shrinks in proportion to
 * {@code tolerance x noLoad / latency} (at most by half per window; latency is the window's median)
 * and grows by about its square root per window while latency is fine.
 *
 * <p>Per attempt: one atomic add on admission, and on release one atomic add to the in-flight
 * count, then a plain (release) store of the latency, tagged with the window, into a slot of a
 * small array picked by hashing it (plus one atomic add on a drop). The limit
 * is recomputed at most once per window, by whichever release first sees the window end and wins
 * a CAS on a flag: no lock, no allocation. The fields only the winner touches are guarded by that
 * flag (its CAS and the volatile write that frees it order them between winners).
 *
 * <p>The in-flight count may read a little high for an instant under contention (an admission
 * raises it before it knows whether it is refused); that can refuse an attempt early, never admit
 * one beyond the limit.
 */
public final class AdaptiveLimit {
    private static final VarHandle IN_FLIGHT;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle DROPS;
    private static final VarHandle EPOCH;
    private static final VarHandle UPDATING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            IN_FLIGHT = l.findVarHandle(AdaptiveLimit.class, "inFlight", int.class);
            EPOCH = l.findVarHandle(AdaptiveLimit.class, "epoch", int.class);
            DROPS = l.findVarHandle(AdaptiveLimit.class, "drops", int.class);
            UPDATING = l.findVarHandle(AdaptiveLimit.class, "updating", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Slots for a window's latencies, for its median. A latency goes to a slot picked by a hash of
     * itself and the in-flight count, so no atomic claims it: two in one slot keep the later one,
     * and the window's count is estimated from the slots it filled (linear counting).
     */
    private static final int SAMPLES_PER_WINDOW = 256;
    /** A slot holds the window's number (24 bits, never 0) above the latency in nanoseconds (40 bits, ~18 min). */
    private static final int LATENCY_BITS = 40;
    private static final long MAX_LATENCY = (1L << LATENCY_BITS) - 1;
    private static final int EPOCH_MASK = (1 << 24) - 1;
    /**
     * The no-load latency is the lowest of the typical (median) window latencies of ten 3 s
     * buckets: the typical latency of the calmest 3 s of the last 30 s. Not the lowest window's:
     * the lowest of many noisy windows sits far below the typical latency, and everything would
     * then look slow.
     */
    static final long NO_LOAD_BUCKET_NANOS = 3_000_000_000L;
    private static final int NO_LOAD_BUCKETS = 10;
    /**
     * The no-load latency never rises above this many times its lowest value of the last five
     * minutes (ten buckets of 30 s): a lasting rise within it (a slower release; up to 8x at the
     * default tolerance of 2) is learnt in 30 s, a larger one takes five minutes. The limit's own
     * fixed point under overload keeps the latency near {@code tolerance x noLoad}; with 30 s of
     * memory alone, every 30 s of a lasting overload raised the no-load by about the tolerance, until
     * the limit let through queues that timed out (the simulator's capacity-loss-long, 2 minutes at
     * 150%: the default's p99 859 ms, 195 ms with this bound).
     */
    static final double NO_LOAD_MAX_RISE = 4;
    private static final long LONG_BUCKET_NANOS = 30_000_000_000L;
    private static final int LONG_BUCKETS = 10;
    /** Window latencies kept per bucket for its median; more windows overwrite the oldest. */
    private static final int WINDOWS_PER_BUCKET = 64;
    /** A bucket's median counts from this many windows on (from the first while nothing is known). */
    private static final int MIN_WINDOWS_FOR_MEDIAN = 5;
    /**
     * A window decides on at least this many answers (latencies and drops); a window with fewer goes
     * on. With few answers the median is noise: a router with little traffic would shrink its limit
     * on chance alone, and then refuse its own ordinary fluctuations.
     */
    static final int MIN_SAMPLES_PER_WINDOW = 16;
    /**
     * A node has headroom while its Peak-EWMA is within this many times the limit's own threshold
     * (tolerance x no-load): the Peak-EWMA follows a node's peaks, so a fast node's reads often stand
     * above the typical latency the threshold is made of.
     */
    static final double NODE_HEADROOM = 2.0;
    /**
     * How long the limit does not shrink after the calls an ejected outlier held have failed ({@link #outlierEjected}):
     * about one trial interval of the ejection, the time its share needs to settle on the nodes left.
     */
    static final long EJECTION_GRACE_NANOS = 1_000_000_000L;
    /**
     * How long a moderate queue (a window median above tolerance x no-load but within {@link #NODE_HEADROOM} times
     * that, no drops) must have lasted before the limit sheds for it: one node's pause or flap among a few
     * queues the others for about its length, and shedding then fails calls that would have been answered
     * (the simulator's random fleets, benchmarks/results/fleet-sweep: one of three single-worker servers
     * pausing 600 ms every 2 s: 1.88% of the default's calls refused, 0.02% with this rule, none with the
     * limit off). A steeper queue, or drops, still shrink it at the first window (holding those too took the
     * simulator's capacity-loss, half the cluster lost, from a p99 of 167 to 937 ms). Any window that does
     * not say "shrink" ends the run.
     */
    static final long MODERATE_QUEUE_NANOS = 1_000_000_000L;
    /** Windows with nothing in flight and nothing ended after which the limit is back at its initial value. */
    static final int IDLE_WINDOWS = 10;
    /** The most a window may shrink the limit by (a factor), and the shrink on drops without slow latencies. */
    private static final double MIN_GRADIENT = 0.5;
    private static final double DROP_BACKOFF = 0.9;

    private final int minLimit;
    private final int maxLimit;
    private final int initialLimit;
    private final long windowNanos;
    private final double tolerance;
    private final double extraShare;
    private final NodesSlow nodesSlow;

    // the call path's
    private volatile int inFlight;
    private volatile int limit;
    /** Retries and hedges begin only while in flight (them included) stays at or below this. */
    private volatile int extraCap;
    /** The latencies of this window and of older ones, each tagged with its window's number; 0 is empty. */
    private final long[] samples = new long[SAMPLES_PER_WINDOW];
    /** This window's number, 1 to 2^24 - 1. */
    private volatile int epoch = 1;
    private volatile int drops;
    private volatile long windowEnd;
    /** A FAILURE slower than this is a drop (a timeout); a faster one says nothing about load. */
    private volatile long slowFailureNanos = Long.MAX_VALUE;
    /** The most attempts in flight seen this window; racy on purpose, a heuristic. */
    private int peakInFlight;
    /** Whether an attempt was refused this window (then the router is using its whole limit). */
    private volatile boolean refused;
    private volatile int updating;
    /**
     * Whether the last window decided was calm: its median within {@link #NODE_HEADROOM} x tolerance x
     * no-load and fewer than half its answers drops. Written by the window's winner, read by any thread.
     */
    private volatile boolean calm = true;
    /** The limit does not shrink before this ticker reading, if {@code graceSet}. */
    private volatile long graceUntil;
    private volatile boolean graceSet;

    // guarded by the updating flag
    private double exactLimit;
    private final long[] sorted = new long[SAMPLES_PER_WINDOW];
    private final double[] noLoadBuckets = new double[NO_LOAD_BUCKETS];
    private final double[] bucketLatencies = new double[WINDOWS_PER_BUCKET];
    private final double[] scratch = new double[WINDOWS_PER_BUCKET];
    private int bucketWindows;
    private int bucket;
    private long bucketStart;
    private final double[] longBuckets = new double[LONG_BUCKETS];
    private int longBucket;
    private long longBucketStart;
    private double noLoadNanos = Double.NaN;
    /** When the current run of windows that say "shrink" began, if {@code slowSinceSet}. */
    private long slowSince;
    private boolean slowSinceSet;

    /**
     * @param config the settings, enabled
     * @param nowNanos the ticker reading now
     */
    public AdaptiveLimit(ConcurrencyLimit config, long nowNanos) {
        this(config, nowNanos, (thresholdNanos, now) -> true);
    }

    /** Tells whether every node calls may go to is slow. Asked once per window, only when the window says "shrink". */
    @FunctionalInterface
    public interface NodesSlow {
        /**
         * @param thresholdNanos the latency above which a node counts as slow
         * @param nowNanos the ticker reading now
         * @return whether every node calls over the whole router may go to now is slower than the
         *     threshold: none is left with headroom
         */
        boolean allAbove(double thresholdNanos, long nowNanos);
    }

    /**
     * @param config the settings, enabled
     * @param nowNanos the ticker reading now
     * @param nodesSlow tells whether the service is slow, not a few nodes in it
     */
    public AdaptiveLimit(ConcurrencyLimit config, long nowNanos, NodesSlow nodesSlow) {
        this.nodesSlow = nodesSlow;
        this.minLimit = config.minLimit();
        this.maxLimit = config.maxLimit();
        this.initialLimit = config.initialLimit();
        this.windowNanos = config.window().toNanos();
        this.tolerance = config.tolerance();
        this.extraShare = config.extraAttemptsPercent() / 100.0;
        Arrays.fill(noLoadBuckets, Double.POSITIVE_INFINITY);
        Arrays.fill(longBuckets, Double.POSITIVE_INFINITY);
        this.bucketStart = nowNanos;
        this.longBucketStart = nowNanos;
        this.windowEnd = nowNanos + windowNanos;
        setLimit(initialLimit);
    }

    // ------------------------------------------------------------------ the call path

    /**
     * Counts a first attempt in flight if the limit allows it. The first attempt after the router
     * had nothing in flight and no window ended for {@link #IDLE_WINDOWS} windows finds the limit
     * back at its initial value: what it learnt was about a load that has gone, and a burst from
     * idle must not meet the limit of an overload long over (nothing ends while nothing runs, so
     * no window could have raised it).
     *
     * @param nowNanos the ticker reading now
     * @return whether it may go; if not, nothing was counted
     */
    public boolean tryAcquire(long nowNanos) {
        int n = (int) IN_FLIGHT.getAndAdd(this, 1) + 1;
        if (n == 1 && nowNanos - windowEnd > IDLE_WINDOWS * windowNanos && limit < initialLimit) {
            backFromIdle(nowNanos);
        }
        return admit(n, limit);
    }

    private void backFromIdle(long nowNanos) {
        if (UPDATING.compareAndSet(this, 0, 1)) {
            try {
                if (nowNanos - windowEnd > IDLE_WINDOWS * windowNanos) {
                    setLimit(initialLimit);
                    windowEnd = nowNanos + windowNanos;
                }
            } finally {
                updating = 0;
            }
        }
    }

    /**
     * Counts a retry or hedge in flight if fewer attempts than the limit's share for them run.
     *
     * @return whether it may go; if not, nothing was counted
     */
    public boolean tryAcquireExtra() {
        return acquire(extraCap);
    }

    private boolean acquire(int cap) {
        return admit((int) IN_FLIGHT.getAndAdd(this, 1) + 1, cap);
    }

    private boolean admit(int n, int cap) {
        if (n > cap) {
            IN_FLIGHT.getAndAdd(this, -1);
            refused = true;
            return false;
        }
        if (n > peakInFlight) {
            peakInFlight = n;
        }
        return true;
    }

    /** Uncounts an attempt that was admitted but never began (no node, router closed): no sample. */
    public void releaseUnused() {
        IN_FLIGHT.getAndAdd(this, -1);
    }

    /**
     * Uncounts an attempt that ended and learns from it: a {@code SUCCESS} or {@code CLIENT_ERROR}
     * is a latency sample; {@code OVERLOADED} is a drop; a {@code FAILURE} slower than tolerance x
     * the no-load latency (a timeout) is a drop and a sample, a faster one nothing; {@code CANCELLED}
     * nothing. The first release past the window's end recomputes the limit.
     */
    public void release(Outcome outcome, long latencyNanos, long nowNanos) {
        int left = (int) IN_FLIGHT.getAndAdd(this, -1) - 1;
        switch (outcome) {
            case SUCCESS, CLIENT_ERROR -> sample(latencyNanos, left);
            case OVERLOADED -> DROPS.getAndAdd(this, 1);
            case FAILURE -> {
                if (latencyNanos > slowFailureNanos) {
                    DROPS.getAndAdd(this, 1);
                    sample(latencyNanos, left);
                }
            }
            default -> {
                // cancelled: the caller gave up or a hedge lost; its time says nothing certain
            }
        }
        if (nowNanos - windowEnd >= 0 && UPDATING.compareAndSet(this, 0, 1)) {
            try {
                if (nowNanos - windowEnd >= 0) {
                    update(nowNanos);
                }
            } finally {
                updating = 0;
            }
        }
    }

    private void sample(long latencyNanos, int inFlightLeft) {
        long latency = Math.max(0, Math.min(MAX_LATENCY, latencyNanos));
        // Fibonacci hashing of the latency and the in-flight count: deterministic (the simulator's runs
        // repeat exactly), spread over the slots even when latencies repeat
        int slot = (int) (((latency + inFlightLeft) * 0x9E3779B97F4A7C15L) >>> (64 - 8));
        SLOTS.setRelease(samples, slot, ((long) epoch << LATENCY_BITS) | latency);
    }

    /**
     * Tells the limit that an attempt's failure ejected its node. If the failure was slow (slower than
     * tolerance x the no-load latency: a timeout, not a refusal) and the last window decided was calm
     * (median within twice tolerance x no-load, drops under half), the node was an outlier in a service
     * that was fine: the limit does not shrink while the ejected node's share moves onto the nodes left and
     * the calls it held time out and are retried there: for as long as the failed attempt took (a call sent to
     * the node just before the ejection fails that much later, and its retry lands on the nodes left then),
     * plus {@link #EJECTION_GRACE_NANOS} for that load to settle. (A grace of the second alone ended just as
     * those retries arrived at a 1 s timeout, and the limit shed calls the nodes left would have answered: the
     * simulator's flapping scenario under {@code random}, 0.025% of calls failed with ejection on, none off.) A
     * node that refuses (a crash: the capacity is gone, and what it carried must be shed at once) and a node
     * ejected while the whole service is slow (every node's calls time out) get no grace.
     *
     * @param latencyNanos how long the failed attempt took
     * @param nowNanos the ticker reading now
     */
    public void outlierEjected(long latencyNanos, long nowNanos) {
        if (latencyNanos > slowFailureNanos && calm) {
            graceUntil = nowNanos + latencyNanos + EJECTION_GRACE_NANOS;
            graceSet = true;
        }
    }

    /** {@return the limit on attempts in flight now} */
    public int limit() {
        return limit;
    }

    /** {@return the attempts counted in flight now} */
    public int inFlight() {
        return inFlight;
    }

    /** {@return the attempts in flight from which retries and hedges are refused} */
    public int extraCap() {
        return extraCap;
    }

    /** {@return the no-load latency learnt so far in nanoseconds, or NaN before any sample} */
    public double noLoadNanos() {
        return noLoadNanos;
    }

    // ------------------------------------------------------------------ once per window

    private void update(long now) {
        int closing = epoch;
        int filled = 0;
        for (int i = 0; i < SAMPLES_PER_WINDOW; i++) {
            long v = (long) SLOTS.getAcquire(samples, i);
            filled += v != 0 && (int) (v >>> LATENCY_BITS) == closing ? 1 : 0;
        }
        if (filled + drops < MIN_SAMPLES_PER_WINDOW) {
            // too few answers to tell a queue from chance (the median of three latencies is above twice the
            // typical one every few seconds): the window goes on; this scan runs at most once per window
            windowEnd = now + windowNanos;
            return;
        }
        // close the window: later samples carry the next number; one racing this may be lost, never misplaced
        int opening = closing == EPOCH_MASK ? 1 : closing + 1;
        EPOCH.setVolatile(this, opening);
        int count = 0;
        for (int i = 0; i < SAMPLES_PER_WINDOW; i++) {
            long v = (long) SLOTS.getAcquire(samples, i);
            int tag = (int) (v >>> LATENCY_BITS);
            if (v != 0 && tag != opening) {
                if (tag == closing) {
                    sorted[count++] = v & MAX_LATENCY;
                }
                // empty it unless a sample of the new window just took it: no old sample outlives its window
                SLOTS.compareAndSet(samples, i, v, 0L);
            }
        }
        // linear counting: k of m slots filled means about -m ln(1 - k/m) samples
        double samplesSeen = count == SAMPLES_PER_WINDOW ? SAMPLES_PER_WINDOW * Math.log(SAMPLES_PER_WINDOW)
                : -SAMPLES_PER_WINDOW * Math.log1p(-(double) count / SAMPLES_PER_WINDOW);
        int dropped = (int) DROPS.getAndSet(this, 0);
        int peak = peakInFlight;
        boolean wasRefused = refused;
        peakInFlight = inFlight;
        refused = false;
        windowEnd = now + windowNanos;
        if (count == 0 && dropped == 0) {
            return; // nothing learnt
        }
        // the window's median latency, not its mean: one slow node (a pause, a hung node timing out)
        // among healthy ones moves the mean, not the median; an overload of the whole service moves both
        Arrays.sort(sorted, 0, count);
        double latency = count == 0 ? Double.NaN
                : (count & 1) == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + (double) sorted[count / 2]) / 2;
        if (count > 0) {
            recordNoLoad(latency, now);
        }
        double noLoad = noLoadNanos;
        double l = exactLimit;
        // the router used under half its limit: the window says nothing about where the limit should be
        boolean appLimited = !wasRefused && peak * 2 < l;
        // what the router really had in flight: a shrink starts from there, not from a limit far above
        // it (the limit starts high so a burst from idle goes, and must bite at the first sign of a queue)
        double used = Math.min(l, Math.max(1, wasRefused ? l : peak));
        double next = l;
        boolean slow = count > 0 && latency > tolerance * noLoad;
        // drops back off once they are half the window (a timeout is also a sample): a minority of timeouts
        // is some nodes' (a slow node the policy keeps sending a share), which ejection, the policy and
        // retries handle; the service's overload times out the majority, as the median sees a majority
        boolean dropping = dropped > 0 && dropped * 2 >= samplesSeen;
        calm = !dropping && !(count > 0 && latency > NODE_HEADROOM * tolerance * noLoad);
        if ((slow || dropping) && graceSet && now - graceUntil < 0) {
            // an outlier was just ejected from a calm service: its share is settling on the nodes left (and
            // the calls it held time out and are retried there); that passes, and shedding it fails calls
            // that would have waited a little
            slow = false;
            dropping = false;
        }
        if ((slow || dropping) && !nodesSlow.allAbove(NODE_HEADROOM * tolerance * noLoad, now)) {
            // the calls are slow but some node is not: the policy sends too many to a few (a herd, a slow
            // node's share), which shedding would not cure; ejection and the policy's own costs do
            slow = false;
            dropping = false;
        }
        if (!slow) {
            slowSinceSet = false;
        } else if (!slowSinceSet) {
            slowSince = now;
            slowSinceSet = true;
        }
        boolean moderate = latency <= NODE_HEADROOM * tolerance * noLoad;
        if (slow && !dropping && moderate && now - slowSince < MODERATE_QUEUE_NANOS) {
            // a moderate queue that has not lasted: a node's pause or a flap among few nodes queues the rest for
            // a moment, and the calls shed for it would all have been answered; the limit holds (a lasting queue
            // is shed below once it has lasted)
            return;
        }
        if (dropping) {
            // timeouts or overload answers: back off, the more so the slower the window
            double gradient = slow ? Math.max(MIN_GRADIENT, tolerance * noLoad / latency) : 1.0;
            next = Math.max(l * MIN_GRADIENT, used * Math.min(gradient, DROP_BACKOFF));
        } else if (slow) {
            // Gradient2's rule: shrink in proportion to the latency's rise, but keep a queue of
            // about sqrt(limit) so the servers stay busy; the fixed point is 1 - gradient = 1 / sqrt(limit).
            // From far above what runs, at most by half per window: a burst of slow windows (a pause) only
            // brings the limit nearer, a lasting queue brings it down to what the servers carry in a few windows
            double gradient = Math.max(MIN_GRADIENT, tolerance * noLoad / latency);
            next = Math.min(l, Math.max(l * MIN_GRADIENT, used * gradient + Math.sqrt(used)));
        } else if (count > 0) {
            double grown = l + Math.max(1.0, Math.sqrt(l));
            if (!appLimited) {
                next = grown;
            } else if (l < initialLimit) {
                // latency is fine and little runs: back to the initial limit, doubling per window
                next = Math.min(initialLimit, Math.max(grown, 2 * l));
            }
        }
        if (next != l) {
            setLimit(Math.max(minLimit, Math.min(maxLimit, next)));
        }
    }

    private void setLimit(double l) {
        exactLimit = l;
        int whole = Math.max(minLimit, (int) l);
        limit = whole;
        extraCap = (int) Math.ceil(whole * extraShare);
    }

    /**
     * Adds a window's median latency to the current bucket; a bucket's value is the lowest running
     * median of its windows' latencies (from its fifth window on), and the no-load latency the
     * lowest bucket value of the last 30 s, at most {@link #NO_LOAD_MAX_RISE} times the lowest such
     * value of the last five minutes. No allocation: the median sorts a scratch copy of at most 64
     * values, once per window.
     */
    private void recordNoLoad(double latency, long now) {
        long elapsed = now - bucketStart;
        if (elapsed >= NO_LOAD_BUCKET_NANOS) {
            bucket = roll(noLoadBuckets, bucket, elapsed / NO_LOAD_BUCKET_NANOS);
            bucketStart += (elapsed / NO_LOAD_BUCKET_NANOS) * NO_LOAD_BUCKET_NANOS;
            bucketWindows = 0;
        }
        bucketLatencies[bucketWindows % WINDOWS_PER_BUCKET] = latency;
        bucketWindows++;
        int n = Math.min(bucketWindows, WINDOWS_PER_BUCKET);
        if (n >= MIN_WINDOWS_FOR_MEDIAN || Double.isNaN(noLoadNanos)) {
            System.arraycopy(bucketLatencies, 0, scratch, 0, n);
            Arrays.sort(scratch, 0, n);
            double median = (n & 1) == 1 ? scratch[n / 2] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
            // the bucket keeps its calmest running median: an overload that begins within it does not erase it
            noLoadBuckets[bucket] = Math.min(noLoadBuckets[bucket], median);
        }
        double min = lowest(noLoadBuckets);
        long longElapsed = now - longBucketStart;
        if (longElapsed >= LONG_BUCKET_NANOS) {
            longBucket = roll(longBuckets, longBucket, longElapsed / LONG_BUCKET_NANOS);
            longBucketStart += (longElapsed / LONG_BUCKET_NANOS) * LONG_BUCKET_NANOS;
        }
        longBuckets[longBucket] = Math.min(longBuckets[longBucket], min);
        min = Math.min(min, NO_LOAD_MAX_RISE * lowest(longBuckets));
        noLoadNanos = min;
        slowFailureNanos = (long) Math.min(Long.MAX_VALUE / 2.0, tolerance * min);
    }

    /** Moves a ring of buckets on by {@code steps}, emptying each bucket it enters; returns the current one. */
    private static int roll(double[] buckets, int current, long steps) {
        for (long i = Math.min(buckets.length, steps); i > 0; i--) {
            current = (current + 1) % buckets.length;
            buckets[current] = Double.POSITIVE_INFINITY;
        }
        return current;
    }

    private static double lowest(double[] buckets) {
        double min = Double.POSITIVE_INFINITY;
        for (double b : buckets) {
            min = Math.min(min, b);
        }
        return min;
    }

    @Override
    public String toString() {
        return "AdaptiveLimit[limit=" + limit + ", inFlight=" + inFlight + ", noLoad=" + noLoadNanos + " ns]";
    }
}
