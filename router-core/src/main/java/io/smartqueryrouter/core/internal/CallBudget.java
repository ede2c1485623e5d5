package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A budget of extra attempts as a share of the calls a router begins: its retries (Finagle's
 * {@code RetryBudget}) or its hedges. Allowed over a sliding window of one-second buckets
 * ({@link SecondCounts}): {@code reserve + percent x calls / 100 - withdrawals}. For retries the
 * reserve is minRetriesPerSecond x window seconds, as Finagle's token bucket has it (its reserve is
 * minRetriesPerSec x ttl), so a burst may spend all of it at once; for hedges one per second.
 *
 * <p>Calls are not deposited one by one on the call path: the router hands over its running count
 * of calls begun whenever it looks at the budget (each retry or hedge asked for, each hedge delay,
 * and once a second from the call path, see {@link #observeDue}), and the growth since the last look
 * is deposited into the current second. So the call path pays one volatile read per call, and calls
 * made while nobody looked are counted a little late (which can only stretch the window, never let
 * withdrawals exceed the share of the calls actually made plus the reserve).
 *
 * <p>Lock-free and allocation-free. Under contention two withdrawals may both pass the check for the
 * last token; the overshoot is bounded by the number of threads.
 */
public final class CallBudget {
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final int percent;
    private final long reserve;
    private final boolean unlimited;
    private final AtomicLong lastCalls = new AtomicLong();
    /** When the call path should next hand over its count: the start of the next second after the last look. */
    private volatile long nextLookNanos;
    private final SecondCounts deposits;
    private final SecondCounts withdrawals;

    /**
     * @param percent withdrawals allowed per 100 calls begun
     * @param reservePerWindow withdrawals always allowed per window, whatever the traffic
     * @param windowSeconds the window in seconds
     * @param unlimited whether to allow every withdrawal (and count nothing)
     * @param nowNanos the ticker reading now
     */
    public CallBudget(int percent, long reservePerWindow, int windowSeconds, boolean unlimited, long nowNanos) {
        this.percent = percent;
        this.reserve = reservePerWindow;
        this.unlimited = unlimited;
        this.nextLookNanos = nowNanos;
        this.deposits = new SecondCounts(windowSeconds);
        this.withdrawals = new SecondCounts(windowSeconds);
    }

    /**
     * Deposits the calls begun since the last look into the current second.
     *
     * @param callsBegun the router's running count of calls begun (first attempts)
     */
    public void observe(long callsBegun, long nowNanos) {
        if (unlimited) {
            return;
        }
        nextLookNanos = nowNanos - Math.floorMod(nowNanos, SECOND_NANOS) + SECOND_NANOS;
        long previous = lastCalls.getAndAccumulate(callsBegun, Math::max);
        if (callsBegun > previous) {
            deposits.add(nowNanos, callsBegun - previous);
        }
    }

    /**
     * Returns whether the call path should hand over its count now (a new second began since the
     * last look): one volatile read per call; calls are deposited at most a second late, which can
     * only widen the window.
     */
    public boolean observeDue(long nowNanos) {
        return nowNanos - nextLookNanos >= 0 && !unlimited;
    }

    /** Takes a token if the budget allows one; returns whether it did. */
    public boolean tryWithdraw(long callsBegun, long nowNanos) {
        if (unlimited) {
            return true;
        }
        if (available(callsBegun, nowNanos) <= 0) {
            return false;
        }
        withdrawals.add(nowNanos, 1);
        return true;
    }

    /** Returns the withdrawals the budget would allow right now. */
    public long available(long callsBegun, long nowNanos) {
        if (unlimited) {
            return Long.MAX_VALUE;
        }
        observe(callsBegun, nowNanos);
        return Math.max(0, reserve + deposits.sum(nowNanos) * percent / 100 - withdrawals.sum(nowNanos));
    }
}
