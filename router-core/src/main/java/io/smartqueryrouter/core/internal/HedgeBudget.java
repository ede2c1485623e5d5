package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The running state of a hedge budget: hedges allowed &lt;= {@code percent} of the calls begun over
 * a sliding window of one-second buckets ({@link SecondCounts}), plus a fixed reserve per window,
 * as {@link RetryBudgetState} keeps its budget, with one difference: calls are not deposited one by
 * one on the call path. The router hands over its running count of calls begun whenever it looks
 * at the budget (each hedge delay asked, each hedge requested), and the growth since the last look is deposited into the current second; so a
 * router that is not hedging pays nothing per call, and calls made while nobody looked are counted
 * a little late (which can only stretch the window, never let hedges exceed {@code percent} of the
 * calls actually made plus the reserve).
 *
 * <p>Lock-free and allocation-free. Under contention two hedges may both pass the check for the
 * last token; the overshoot is bounded by the number of threads.
 */
public final class HedgeBudget {
    private final int percent;
    private final long reserve;
    private final AtomicLong lastCalls = new AtomicLong();
    private final SecondCounts deposits;
    private final SecondCounts withdrawals;

    /**
     * @param percent hedges allowed per 100 calls begun
     * @param reservePerWindow hedges always allowed per window, whatever the traffic
     * @param windowSeconds the window in seconds
     */
    public HedgeBudget(int percent, long reservePerWindow, int windowSeconds) {
        this.percent = percent;
        this.reserve = reservePerWindow;
        this.deposits = new SecondCounts(windowSeconds);
        this.withdrawals = new SecondCounts(windowSeconds);
    }

    /**
     * Deposits the calls begun since the last look into the current second.
     *
     * @param callsBegun the router's running count of calls begun (first attempts)
     */
    public void observe(long callsBegun, long nowNanos) {
        long previous = lastCalls.getAndAccumulate(callsBegun, Math::max);
        if (callsBegun > previous) {
            deposits.add(nowNanos, callsBegun - previous);
        }
    }

    /** Takes a token for a hedge if the budget allows one; returns whether it did. */
    public boolean tryWithdraw(long callsBegun, long nowNanos) {
        if (available(callsBegun, nowNanos) <= 0) {
            return false;
        }
        withdrawals.add(nowNanos, 1);
        return true;
    }

    /** Returns the hedges the budget would allow right now. */
    public long available(long callsBegun, long nowNanos) {
        observe(callsBegun, nowNanos);
        return Math.max(0, reserve + deposits.sum(nowNanos) * percent / 100 - withdrawals.sum(nowNanos));
    }
}
