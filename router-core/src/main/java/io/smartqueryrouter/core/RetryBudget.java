package io.smartqueryrouter.core;

import java.time.Duration;

/**
 * How many retries a router may send, relative to the calls it sends: the retry budget of Finagle
 * ({@code RetryBudget(ttl, minRetriesPerSec, percentCanRetry)}). Over the sliding {@link #window()},
 * retries may not exceed {@link #percent()} of the first attempts plus a reserve of
 * {@link #minRetriesPerSecond()} x window seconds, as Finagle's reserve is minRetriesPerSec x ttl: it
 * lets a router that just started or has little traffic fail over. A steadily failing backend sees
 * at most (1 + percent/100) times its normal load plus minRetriesPerSecond retries a second,
 * instead of maxAttempts times it. The reserve may be spent at once: with the defaults, a burst of
 * 1,000 calls in one second may get 200 + 100 = 300 retries, and a router that has made 60 calls
 * may retry 12 + 100 = 112 of them when a zone dies.
 *
 * <p>Defaults: 20% of first attempts over 10 s, plus a reserve of 10 retries per second of the
 * window (100).
 */
public final class RetryBudget {
    private static final RetryBudget DEFAULTS = new RetryBudget(20, 10, Duration.ofSeconds(10), false);
    private static final RetryBudget UNLIMITED = new RetryBudget(0, 0, Duration.ofSeconds(1), true);

    private final int percent;
    private final int minRetriesPerSecond;
    private final Duration window;
    private final boolean unlimited;

    private RetryBudget(int percent, int minRetriesPerSecond, Duration window, boolean unlimited) {
        this.percent = percent;
        this.minRetriesPerSecond = minRetriesPerSecond;
        this.window = window;
        this.unlimited = unlimited;
    }

    /** {@return the default budget: 20% over 10 s, plus 10 retries per second} */
    public static RetryBudget defaults() {
        return DEFAULTS;
    }

    /** {@return a budget that never refuses a retry (retries are still bounded by max attempts)} */
    public static RetryBudget unlimited() {
        return UNLIMITED;
    }

    /**
     * Returns a budget.
     *
     * @param percent retries allowed per 100 first attempts, in [0, 1000]
     * @param minRetriesPerSecond the reserve, in retries per second of the window, in [0, 1000000]
     * @param window the sliding window, whole seconds in [1 s, 600 s]
     * @return the budget
     * @throws IllegalArgumentException if a value is outside its range
     */
    public static RetryBudget of(int percent, int minRetriesPerSecond, Duration window) {
        Checks.between("retry.budget.percent", percent, 0, 1000);
        Checks.between("retry.budget.minRetriesPerSecond", minRetriesPerSecond, 0, 1_000_000);
        Checks.positive("retry.budget.window", window);
        if (window.toNanosPart() != 0 || window.getSeconds() > 600) {
            throw new IllegalArgumentException("retry.budget.window must be whole seconds in [1s, 600s], but was " + window);
        }
        return new RetryBudget(percent, minRetriesPerSecond, window, false);
    }

    /** {@return the retries allowed per 100 first attempts} */
    public int percent() {
        return percent;
    }

    /** {@return the reserve in retries per second of the window (the reserve is this x window seconds)} */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** {@return the sliding window} */
    public Duration window() {
        return window;
    }

    /** {@return whether this budget never refuses} */
    public boolean isUnlimited() {
        return unlimited;
    }

    @Override
    public String toString() {
        return unlimited ? "RetryBudget[unlimited]"
                : "RetryBudget[percent=" + percent + ", minRetriesPerSecond=" + minRetriesPerSecond + ", window=" + window + "]";
    }
}
