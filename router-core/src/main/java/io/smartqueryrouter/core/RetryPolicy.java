package io.smartqueryrouter.core;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Failover settings: how many attempts a call may make in all, which failures are worth another
 * node, how long to wait between attempts, and the {@link RetryBudget} that caps retries across
 * calls. Every retry goes to a node not yet tried in the same call.
 *
 * <p>Defaults: 3 attempts, {@link RetryBudget#defaults()}, no backoff, every failure that blames
 * the node is retried.
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = builder().build();
    private static final RetryPolicy NONE = builder().maxAttempts(1).build();

    private final int maxAttempts;
    private final RetryBudget budget;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Predicate<? super Throwable> retryOn;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.budget = b.budget;
        this.backoffBase = b.backoffBase;
        this.backoffMax = b.backoffMax;
        this.retryOn = b.retryOn;
    }

    /**
     * {@return the defaults: 3 attempts, the default budget, no backoff, every failure that blames
     * the node retried}
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** {@return a policy that never retries: one attempt per call} */
    public static RetryPolicy none() {
        return NONE;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the number of attempts a call may make, the first included (default 3)} */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** {@return the retry budget that caps retries across calls (default {@link RetryBudget#defaults()})} */
    public RetryBudget budget() {
        return budget;
    }

    /** {@return the base of the exponential backoff, {@link Duration#ZERO} for none (the default)} */
    public Duration backoffBase() {
        return backoffBase;
    }

    /** {@return the cap of the exponential backoff, {@link Duration#ZERO} without backoff} */
    public Duration backoffMax() {
        return backoffMax;
    }

    /**
     * {@return whether a failure thrown by a call is worth another attempt (adapters decide for themselves)}
     *
     * @param failure what the call threw
     */
    public boolean retryOn(Throwable failure) {
        return retryOn.test(failure);
    }

    /**
     * Returns the pause before attempt {@code failedAttempts + 1}: "full jitter" exponential
     * backoff (AWS Architecture Blog, "Exponential Backoff and Jitter"), uniform in
     * {@code [0, min(max, base x 2^(failedAttempts-1))]}; zero without backoff.
     *
     * @param failedAttempts attempts made so far, at least 1
     * @param random the randomness to draw from
     * @return the pause in nanoseconds, in {@code [0, backoffMax]}; 0 without backoff
     */
    public long backoffNanos(int failedAttempts, RandomGenerator random) {
        if (backoffBase.isZero()) {
            return 0;
        }
        long base = backoffBase.toNanos();
        long max = backoffMax.toNanos();
        int shift = Math.min(Math.max(0, failedAttempts - 1), 62);
        long ceiling = base > (max >> shift) ? max : Math.min(max, base << shift);
        return random.nextLong(ceiling + 1);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", budget=" + budget
                + (backoffBase.isZero() ? "" : ", backoff=" + backoffBase + ".." + backoffMax) + "]";
    }

    /** Builds a {@link RetryPolicy}; each setter validates at once. */
    public static final class Builder {
        private int maxAttempts = 3;
        private RetryBudget budget = RetryBudget.defaults();
        private Duration backoffBase = Duration.ZERO;
        private Duration backoffMax = Duration.ZERO;
        private Predicate<? super Throwable> retryOn = failure -> true;

        private Builder() {
        }

        /**
         * Sets the attempts a call may make in all, the first included (default 3; 1 disables retries).
         *
         * @param maxAttempts the most attempts one call makes, the first included
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 100]
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Checks.between("retry.maxAttempts", maxAttempts, 1, 100);
            return this;
        }

        /**
         * Sets the retry budget (default {@link RetryBudget#defaults()}).
         *
         * @param budget caps retries across calls; {@link RetryBudget#unlimited()} for no cap
         * @return this builder
         * @throws NullPointerException if {@code budget} is null
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "retry.budget must not be null");
            return this;
        }

        /**
         * Waits before each retry, exponentially growing from {@code base} up to {@code max}, with
         * full jitter (default: no wait).
         *
         * @param base the cap of the pause before the first retry
         * @param max the cap of any pause, however many attempts failed
         * @return this builder
         * @throws IllegalArgumentException if {@code base} is not positive or {@code max < base}
         * @throws NullPointerException if {@code max} is null
         */
        public Builder backoff(Duration base, Duration max) {
            Checks.positive("retry.backoff.base", base);
            Objects.requireNonNull(max, "retry.backoff.max must not be null");
            if (max.compareTo(base) < 0) {
                throw new IllegalArgumentException("retry.backoff.max must be >= retry.backoff.base (" + base
                        + "), but was " + max);
            }
            this.backoffBase = base;
            this.backoffMax = max;
            return this;
        }

        /**
         * Retries only failures the predicate accepts (default: all failures that blame the node).
         * Used by {@link Router#execute}; adapters apply their own rules of what is safe to repeat.
         *
         * @param retryOn tests what a failed attempt threw; {@code true} lets another node be tried
         * @return this builder
         * @throws NullPointerException if {@code retryOn} is null
         */
        public Builder retryOn(Predicate<? super Throwable> retryOn) {
            this.retryOn = Objects.requireNonNull(retryOn, "retry.retryOn must not be null");
            return this;
        }

        /** {@return the policy, with this builder's settings} */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
