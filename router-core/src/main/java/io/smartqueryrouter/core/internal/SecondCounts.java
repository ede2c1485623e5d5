package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A count over a sliding window of whole seconds, for the retry and hedge budgets. Lock-free and
 * allocation-free: each second's bucket is one long holding the second (high 24 bits) and its count
 * (low 40 bits), updated with CAS, so a stale bucket is reset by whoever first touches it in a new
 * second.
 */
final class SecondCounts {
    private static final int COUNT_BITS = 40;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long EPOCH_MASK = (1L << (64 - COUNT_BITS)) - 1;

    private final AtomicLongArray buckets;

    /** @param windowSeconds how many seconds, this one included, the sum covers */
    SecondCounts(int windowSeconds) {
        this.buckets = new AtomicLongArray(windowSeconds);
    }

    /** Adds {@code delta} to the second of {@code nowNanos}. */
    void add(long nowNanos, long delta) {
        long second = second(nowNanos);
        int i = (int) Math.floorMod(second, buckets.length());
        long epoch = second & EPOCH_MASK;
        long d = Math.min(delta, COUNT_MASK);
        while (true) {
            long v = buckets.get(i);
            long next = (v >>> COUNT_BITS) == epoch
                    ? (epoch << COUNT_BITS) | Math.min(COUNT_MASK, (v & COUNT_MASK) + d)
                    : (epoch << COUNT_BITS) | d;
            if (buckets.compareAndSet(i, v, next)) {
                return;
            }
        }
    }

    /** Returns the count of the window that ends in the second of {@code nowNanos}. */
    long sum(long nowNanos) {
        long second = second(nowNanos);
        long total = 0;
        for (int age = 0; age < buckets.length(); age++) {
            long s = second - age;
            long v = buckets.get((int) Math.floorMod(s, buckets.length()));
            if ((v >>> COUNT_BITS) == (s & EPOCH_MASK)) {
                total += v & COUNT_MASK;
            }
        }
        return total;
    }

    private static long second(long nowNanos) {
        return Math.floorDiv(nowNanos, 1_000_000_000L);
    }
}
