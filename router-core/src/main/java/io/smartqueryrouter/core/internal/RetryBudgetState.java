package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The running state of a retry budget (Finagle's {@code RetryBudget}): first attempts deposit,
 * retries withdraw, over a window of one-second buckets. Lock-free and allocation-free: each
 * bucket is one long holding the bucket's second (high 24 bits) and its count (low 40 bits),
 * updated with CAS, so a stale bucket is reset by whoever first touches it in a new second.
 * Under contention two retries may both pass the check for the last token; the overshoot is
 * bounded by the number of threads.
 */
public final class RetryBudgetState {
    private static final int COUNT_BITS = 40;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long EPOCH_MASK = (1L << (64 - COUNT_BITS)) - 1;

    private final int percent;
    private final long reserve;
    private final int buckets;
    private final boolean unlimited;
    private final AtomicLongArray deposits;
    private final AtomicLongArray withdrawals;

    /**
     * @param percent retries allowed per 100 deposits
     * @param minRetriesPerSecond retries always allowed per second of the window
     * @param windowSeconds the window in seconds
     * @param unlimited whether to allow every retry
     */
    public RetryBudgetState(int percent, int minRetriesPerSecond, int windowSeconds, boolean unlimited) {
        this.percent = percent;
        this.reserve = (long) minRetriesPerSecond * windowSeconds;
        this.buckets = windowSeconds;
        this.unlimited = unlimited;
        this.deposits = new AtomicLongArray(windowSeconds);
        this.withdrawals = new AtomicLongArray(windowSeconds);
    }

    /** Counts a first attempt. */
    public void deposit(long nowNanos) {
        if (!unlimited) {
            add(deposits, second(nowNanos));
        }
    }

    /** Takes a token for a retry if the budget allows one; returns whether it did. */
    public boolean tryWithdraw(long nowNanos) {
        if (unlimited) {
            return true;
        }
        long second = second(nowNanos);
        long allowed = reserve + sum(deposits, second) * percent / 100;
        if (sum(withdrawals, second) >= allowed) {
            return false;
        }
        add(withdrawals, second);
        return true;
    }

    /** Returns the retries the budget would allow right now. */
    public long available(long nowNanos) {
        if (unlimited) {
            return Long.MAX_VALUE;
        }
        long second = second(nowNanos);
        return Math.max(0, reserve + sum(deposits, second) * percent / 100 - sum(withdrawals, second));
    }

    private static long second(long nowNanos) {
        return Math.floorDiv(nowNanos, 1_000_000_000L);
    }

    private void add(AtomicLongArray counts, long second) {
        int i = (int) Math.floorMod(second, buckets);
        long epoch = second & EPOCH_MASK;
        while (true) {
            long v = counts.get(i);
            long next = (v >>> COUNT_BITS) == epoch ? v + 1 : (epoch << COUNT_BITS) | 1;
            if (counts.compareAndSet(i, v, next)) {
                return;
            }
        }
    }

    private long sum(AtomicLongArray counts, long second) {
        long total = 0;
        for (int age = 0; age < buckets; age++) {
            long s = second - age;
            long v = counts.get((int) Math.floorMod(s, buckets));
            if ((v >>> COUNT_BITS) == (s & EPOCH_MASK)) {
                total += v & COUNT_MASK;
            }
        }
        return total;
    }
}
