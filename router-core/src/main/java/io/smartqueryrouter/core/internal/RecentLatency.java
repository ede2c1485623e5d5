package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The distribution of recent latencies, for a percentile such as the p95 after which a call is
 * hedged ("The Tail at Scale", Dean and Barroso, 2013). Samples go into log-scaled buckets, 8 per
 * power of two (each bucket at most 12.5% wide, as HdrHistogram does with 3 significant bits),
 * kept in two windows of {@code windowNanos} that take turns: a read covers the current window and
 * the one before, so it always sees between one and two windows of history, and a sample is
 * forgotten at most two windows after it was taken. Windows are read at the router's ticker.
 *
 * <p>Lock-free and allocation-free. Approximate under contention: a sample that races the turn of
 * a window may be lost, and a read that races it may briefly count the old window twice.
 */
public final class RecentLatency {
    private static final int SUB_BITS = 3;
    private static final int SUB = 1 << SUB_BITS;
    /** Values up to 2^(MAX_EXP+1) - 1 ns (about 73 minutes) get their own bucket; longer ones share the top one. */
    private static final int MAX_EXP = 41;
    /** Buckets per window: 0..7 exactly, then 8 per power of two from 2^3 to 2^41. */
    static final int BUCKETS = SUB + (MAX_EXP - SUB_BITS + 1) * SUB;

    private final long windowNanos;
    private final AtomicLongArray counts = new AtomicLongArray(2 * BUCKETS);
    private final AtomicLongArray totals = new AtomicLongArray(2);
    /** The window number each of the two slots holds. */
    private final AtomicLongArray stamps = new AtomicLongArray(2);

    /**
     * @param windowNanos the length of one window; a read sees one to two of them
     */
    public RecentLatency(long windowNanos) {
        if (windowNanos <= 0) {
            throw new IllegalArgumentException("windowNanos must be > 0, but was " + windowNanos);
        }
        this.windowNanos = windowNanos;
        stamps.set(0, Long.MIN_VALUE);
        stamps.set(1, Long.MIN_VALUE);
    }

    /** Records one latency sample taken at {@code nowNanos}; a negative latency counts as 0. */
    public void record(long latencyNanos, long nowNanos) {
        long window = Math.floorDiv(nowNanos, windowNanos);
        int slot = (int) (window & 1);
        long stamp = stamps.get(slot);
        if (stamp != window) {
            if (stamp > window) {
                return; // taken before a window that has already turned over: too old to count
            }
            if (stamps.compareAndSet(slot, stamp, window)) {
                totals.set(slot, 0);
                int base = slot * BUCKETS;
                for (int i = 0; i < BUCKETS; i++) {
                    counts.set(base + i, 0);
                }
            }
        }
        counts.incrementAndGet(slot * BUCKETS + index(latencyNanos));
        totals.incrementAndGet(slot);
    }

    /** Returns the number of samples a read at {@code nowNanos} would see. */
    public long samples(long nowNanos) {
        long window = Math.floorDiv(nowNanos, windowNanos);
        int cur = (int) (window & 1);
        int prev = cur ^ 1;
        return (stamps.get(cur) == window ? totals.get(cur) : 0)
                + (stamps.get(prev) == window - 1 ? totals.get(prev) : 0);
    }

    /**
     * Returns the {@code percentile} of the recent samples: the upper bound of the bucket that holds
     * it, so at most 12.5% above the true value and never below it; or -1 when fewer than
     * {@code minSamples} (and at least one) samples are recent.
     *
     * @param percentile in (0, 1], e.g. 0.95
     */
    public long percentileNanos(double percentile, long nowNanos, long minSamples) {
        long window = Math.floorDiv(nowNanos, windowNanos);
        int cur = (int) (window & 1);
        int prev = cur ^ 1;
        boolean useCur = stamps.get(cur) == window;
        boolean usePrev = stamps.get(prev) == window - 1;
        long total = (useCur ? totals.get(cur) : 0) + (usePrev ? totals.get(prev) : 0);
        if (total <= 0 || total < minSamples) {
            return -1;
        }
        // the p-quantile is the sample of rank ceil(p x total); scan down from the top, where it is near
        long above = total - (long) Math.ceil(percentile * total);
        long seen = 0;
        int lowest = -1;
        for (int i = BUCKETS - 1; i >= 0; i--) {
            long c = (useCur ? counts.get(cur * BUCKETS + i) : 0) + (usePrev ? counts.get(prev * BUCKETS + i) : 0);
            if (c > 0) {
                seen += c;
                lowest = i;
                if (seen > above) {
                    return upperBound(i);
                }
            }
        }
        return lowest < 0 ? -1 : upperBound(lowest);
    }

    /** Returns the bucket of a value. */
    static int index(long value) {
        if (value < SUB) {
            return (int) Math.max(0, value);
        }
        int exp = 63 - Long.numberOfLeadingZeros(value);
        if (exp > MAX_EXP) {
            return BUCKETS - 1;
        }
        int mantissa = (int) (value >>> (exp - SUB_BITS)) & (SUB - 1);
        return SUB + (exp - SUB_BITS) * SUB + mantissa;
    }

    /** Returns the largest value of a bucket. */
    static long upperBound(int index) {
        if (index < SUB) {
            return index;
        }
        int exp = (index - SUB) / SUB + SUB_BITS;
        int mantissa = (index - SUB) % SUB;
        return ((long) (SUB + mantissa + 1) << (exp - SUB_BITS)) - 1;
    }
}
