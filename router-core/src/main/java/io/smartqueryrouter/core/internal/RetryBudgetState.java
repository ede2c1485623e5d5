package io.smartqueryrouter.core.internal;


/**
 * The running state of a retry budget: first attempts deposit, retries withdraw. A retry is allowed
 * when the retries already paid from deposits over the window are fewer than {@code percent} of the
 * deposits over the window (one-second buckets, {@link SecondCounts}: lock-free and allocation-free);
 * once those are spent, when fewer than {@code minRetriesPerSecond} retries came from the reserve in
 * this second of the ticker. So retries &lt;= percent x calls over the window + minRetriesPerSecond
 * in any one second.
 *
 * <p>Finagle's {@code RetryBudget} keeps the reserve as minRetriesPerSec x ttl tokens in its leaky
 * bucket, all spendable at once: with 10/s over 10 s, a burst of 1,000 calls in one second may send
 * 200 + 100 = 300 retries. Here the reserve does not accumulate, so that burst sends 210, and a
 * steady failure the same 30% + 10/s as Finagle's. Under contention two retries may both pass the
 * check for the last token; the overshoot is bounded by the number of threads.
 */
public final class RetryBudgetState {
    private final int percent;
    private final long reservePerSecond;
    private final boolean unlimited;
    private final SecondCounts deposits;
    /** Retries paid from the deposits, over the window. */
    private final SecondCounts earnedWithdrawals;
    /** Retries paid from the reserve, in the current second only. */
    private final SecondCounts reserveWithdrawals;

    /**
     * @param percent retries allowed per 100 deposits over the window
     * @param minRetriesPerSecond retries always allowed in each second, whatever the deposits
     * @param windowSeconds the window in seconds
     * @param unlimited whether to allow every retry
     */
    public RetryBudgetState(int percent, int minRetriesPerSecond, int windowSeconds, boolean unlimited) {
        this.percent = percent;
        this.reservePerSecond = minRetriesPerSecond;
        this.unlimited = unlimited;
        this.deposits = new SecondCounts(windowSeconds);
        this.earnedWithdrawals = new SecondCounts(windowSeconds);
        this.reserveWithdrawals = new SecondCounts(1);
    }

    /** Counts a first attempt. */
    public void deposit(long nowNanos) {
        if (!unlimited) {
            deposits.add(nowNanos, 1);
        }
    }

    /** Takes a token for a retry if the budget allows one; returns whether it did. */
    public boolean tryWithdraw(long nowNanos) {
        if (unlimited) {
            return true;
        }
        // the earned tokens first, so the reserve is kept for when they are spent
        if (earned(nowNanos) > 0) {
            earnedWithdrawals.add(nowNanos, 1);
            return true;
        }
        if (reserve(nowNanos) > 0) {
            reserveWithdrawals.add(nowNanos, 1);
            return true;
        }
        return false;
    }

    /** Returns the retries the budget would allow right now. */
    public long available(long nowNanos) {
        if (unlimited) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, earned(nowNanos)) + Math.max(0, reserve(nowNanos));
    }

    private long earned(long nowNanos) {
        return deposits.sum(nowNanos) * percent / 100 - earnedWithdrawals.sum(nowNanos);
    }

    private long reserve(long nowNanos) {
        return reservePerSecond - reserveWithdrawals.sum(nowNanos);
    }
}
