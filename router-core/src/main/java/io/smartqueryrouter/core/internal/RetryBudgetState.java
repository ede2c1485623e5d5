package io.smartqueryrouter.core.internal;


/**
 * The running state of a retry budget (Finagle's {@code RetryBudget}): first attempts deposit,
 * retries withdraw, over a window of one-second buckets ({@link SecondCounts}: lock-free and
 * allocation-free). Allowed: reserve + percent x deposits - withdrawals, all over the window, the
 * reserve being minRetriesPerSecond x window seconds as in Finagle's token bucket (its reserve is
 * minRetriesPerSec x ttl), so a burst may spend all of it in one second. Under contention two
 * retries may both pass the check for the last token; the overshoot is bounded by the number of threads.
 */
public final class RetryBudgetState {
    private final int percent;
    private final long reserve;
    private final boolean unlimited;
    private final SecondCounts deposits;
    private final SecondCounts withdrawals;

    /**
     * @param percent retries allowed per 100 deposits
     * @param minRetriesPerSecond retries always allowed per second of the window
     * @param windowSeconds the window in seconds
     * @param unlimited whether to allow every retry
     */
    public RetryBudgetState(int percent, int minRetriesPerSecond, int windowSeconds, boolean unlimited) {
        this.percent = percent;
        this.reserve = (long) minRetriesPerSecond * windowSeconds;
        this.unlimited = unlimited;
        this.deposits = new SecondCounts(windowSeconds);
        this.withdrawals = new SecondCounts(windowSeconds);
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
        if (available(nowNanos) <= 0) {
            return false;
        }
        withdrawals.add(nowNanos, 1);
        return true;
    }

    /** Returns the retries the budget would allow right now. */
    public long available(long nowNanos) {
        if (unlimited) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, reserve + deposits.sum(nowNanos) * percent / 100 - withdrawals.sum(nowNanos));
    }
}
