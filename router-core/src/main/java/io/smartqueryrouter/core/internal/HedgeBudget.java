package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The running state of a hedge budget: hedges allowed &lt;= {@code percent} of the calls begun over
 * a sliding window of one-second buckets, plus a fixed reserve per window. The bookkeeping is that
 * of {@link RetryBudgetState} (each bucket one long: the bucket's second in the high 24 bits, its
 * count in the low 40, updated with CAS, reset by whoever first touches it in a new second), with
 * one difference: calls are not deposited one by one on the call path. The router hands over its
 * running count of calls begun whenever it looks at the budget (each hedge delay asked, each hedge
 * requested), and the growth since the last look is deposited into the current second; so a
 * router that is not hedging pays nothing per call, and calls made while nobody looked are counted
 * a little late (which can only stretch the window, never let hedges exceed {@code percent} of the
 * calls actually made plus the reserve).
 *
 * <p>Lock-free and allocation-free. Under contention two hedges may both pass the check for the
 * last token; the overshoot is bounded by the number of threads.
 */
public final class HedgeBudget {
    private static final int COUNT_BITS = 40;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long EPOCH_MASK = (1L << (64 - COUNT_BITS)) - 1;

    private final int percent;
    private final long reserve;
    private final int buckets;
    private final AtomicLong lastCalls = new AtomicLong();
    private final AtomicLongArray deposits;
    private final AtomicLongArray withdrawals;

    /**
     * @param percent hedges allowed per 100 calls begun
     * @param reservePerWindow hedges always allowed per window, whatever the traffic
     * @param windowSeconds the window in seconds
     */
    public HedgeBudget(int percent, long reservePerWindow, int windowSeconds) {
        this.percent = percent;
        this.reserve = reservePerWindow;
        this.buckets = windowSeconds;
        this.deposits = new AtomicLongArray(windowSeconds);
        this.withdrawals = new AtomicLongArray(windowSeconds);
    }

    /**
     * Deposits the calls begun since the last look into the current second.
     *
     * @param callsBegun the router's running count of calls begun (first attempts)
     */
    public void observe(long callsBegun, long nowNanos) {
        long previous = lastCalls.getAndAccumulate(callsBegun, Math::max);
        if (callsBegun > previous) {
            add(deposits, second(nowNanos), callsBegun - previous);
        }
    }

    /** Takes a token for a hedge if the budget allows one; returns whether it did. */
    public boolean tryWithdraw(long callsBegun, long nowNanos) {
        observe(callsBegun, nowNanos);
        long second = second(nowNanos);
        if (sum(withdrawals, second) >= allowed(second)) {
            return false;
        }
        add(withdrawals, second, 1);
        return true;
    }

    /** Returns the hedges the budget would allow right now. */
    public long available(long callsBegun, long nowNanos) {
        observe(callsBegun, nowNanos);
        long second = second(nowNanos);
        return Math.max(0, allowed(second) - sum(withdrawals, second));
    }

    private long allowed(long second) {
        return reserve + sum(deposits, second) * percent / 100;
    }

    private static long second(long nowNanos) {
        return Math.floorDiv(nowNanos, 1_000_000_000L);
    }

    private void add(AtomicLongArray counts, long second, long delta) {
        int i = (int) Math.floorMod(second, buckets);
        long epoch = second & EPOCH_MASK;
        long d = Math.min(delta, COUNT_MASK);
        while (true) {
            long v = counts.get(i);
            long next = (v >>> COUNT_BITS) == epoch
                    ? (epoch << COUNT_BITS) | Math.min(COUNT_MASK, (v & COUNT_MASK) + d)
                    : (epoch << COUNT_BITS) | d;
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
