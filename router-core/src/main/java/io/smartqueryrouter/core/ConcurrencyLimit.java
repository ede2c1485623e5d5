package io.smartqueryrouter.core;

import io.smartqueryrouter.core.config.ConfigRules;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * An adaptive limit on the attempts a router has in flight, so that a client sheds its own load
 * when its servers are overloaded instead of queueing work they cannot finish in time. A call's
 * first attempt beyond the limit fails at once with {@link ConcurrencyLimitExceededException};
 * retries and hedges stop earlier, once the attempts in flight reach
 * {@link #extraAttemptsPercent()} of the limit, so they never take the place of first attempts.
 *
 * <p>The limit follows the latency the router measures, in the spirit of TCP Vegas and of Netflix
 * concurrency-limits' gradient limit, and it tolerates bursts: it starts high ({@link #initialLimit()},
 * 1000) and refuses nothing until there is evidence of a queue at every node. At most once per
 * {@link #window()}, and only on a window of 16 answers or more (fewer are noise; the window goes on),
 * it compares the window's median attempt latency with the no-load latency (the typical latency of
 * the calmest 3 s of the last 30 s, so it can rise again when the service really became slower).
 * Above {@link #tolerance()} x the no-load latency, or when half or more of the window's attempts
 * were {@link Outcome#OVERLOADED} or failed slowly (timeouts), it shrinks: from what the router had
 * in flight, in proportion to the latency's rise (keeping a queue of about the square root of the
 * limit), but from far above that by at most half per window, so a pause only brings it nearer and
 * a lasting queue brings it down within a few windows. A moderate queue (the median within twice
 * tolerance x the no-load latency, drops under half) is shed only once its windows have said so for a
 * second: one node's pause or flap among a few queues the others for about that long, and the calls
 * shed for it would all have been answered; meanwhile the limit holds. It does not shrink while some node the
 * router may use is fast (its Peak-EWMA within twice tolerance x the no-load latency and its last
 * attempt not failed, or no sample yet): the slow calls are then the policy's choice (a herd, a
 * slow node's share), which shedding would not cure. Nor, after a call's timeout ejected its node
 * ({@link OutlierEjection}) while the service was calm (the last window's median within twice
 * tolerance x the no-load latency, drops under half), for as long as that call waited plus a second:
 * the ejected outlier's share moves onto the nodes left at once, and the calls it held time out over
 * that wait and are retried there, a queue that passes; shedding it failed calls that ejection off
 * would not have (a node that refuses, a crash, gets no such grace: its capacity is gone). Otherwise
 * it grows by about its square root per window while the router uses it,
 * and doubles back to {@link #initialLimit()} while the router uses less than half of it; the
 * first call after a second with nothing in flight finds it back at {@link #initialLimit()}. A
 * median, not a mean: one slow node among healthy ones does not move it. A failure that comes fast
 * (connection refused) says nothing about load.
 *
 * <p>What counts: every attempt of {@link Router#begin()} and of {@link RoutedCall} (first
 * attempts, retries, hedges). Not limited: calls made {@link RoutedCall#untimed() untimed} (a JDBC
 * connection taken from a pool) and the work of a {@link BoundNode} (the statements of that
 * connection), whose latency says nothing about the service's load.
 *
 * <p>Defaults (a router's default is {@link #defaults()}, on): initial limit 1000 (or the max limit
 * if lower), between 1 and 1000, window 100 ms, tolerance 2.0, retries and hedges stop at 80%.
 * {@link #disabled()} costs nothing on the call path.
 */
public final class ConcurrencyLimit {
    private static final ConcurrencyLimit DEFAULTS = builder().build();
    private static final ConcurrencyLimit DISABLED = new ConcurrencyLimit(builder(), false);

    private final boolean enabled;
    private final int initialLimit;
    private final int minLimit;
    private final int maxLimit;
    private final Duration window;
    private final double tolerance;
    private final int extraAttemptsPercent;

    private ConcurrencyLimit(Builder b, boolean enabled) {
        this.enabled = enabled;
        this.initialLimit = b.initialLimit;
        this.minLimit = b.minLimit;
        this.maxLimit = b.maxLimit;
        this.window = b.window;
        this.tolerance = b.tolerance;
        this.extraAttemptsPercent = b.extraAttemptsPercent;
    }

    /** {@return an adaptive limit with the defaults (a router's default): initial 1000, between 1 and 1000, window 100 ms, tolerance 2.0, retries and hedges stop at 80%} */
    public static ConcurrencyLimit defaults() {
        return DEFAULTS;
    }

    /** {@return no limit: every attempt goes, and the call path pays nothing for the feature} */
    public static ConcurrencyLimit disabled() {
        return DISABLED;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether attempts are limited at all} */
    public boolean isEnabled() {
        return enabled;
    }

    /** {@return the limit a router starts with, and climbs back to when latency is fine (default 1000, or the max limit if lower)} */
    public int initialLimit() {
        return initialLimit;
    }

    /** {@return the lowest the limit goes (default 1)} */
    public int minLimit() {
        return minLimit;
    }

    /** {@return the highest the limit goes (default 1000)} */
    public int maxLimit() {
        return maxLimit;
    }

    /** {@return the least time between two changes of the limit, over which latencies are averaged (default 100 ms)} */
    public Duration window() {
        return window;
    }

    /** {@return the multiple of the no-load latency above which the limit shrinks (default 2.0)} */
    public double tolerance() {
        return tolerance;
    }

    /**
     * {@return the share of the limit, in percent, from which retries and hedges are refused
     * (default 80): a retry or hedge begins only while fewer attempts than this share of the limit
     * are in flight}
     */
    public int extraAttemptsPercent() {
        return extraAttemptsPercent;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConcurrencyLimit c && enabled == c.enabled && initialLimit == c.initialLimit
                && minLimit == c.minLimit && maxLimit == c.maxLimit && window.equals(c.window)
                && Double.compare(tolerance, c.tolerance) == 0 && extraAttemptsPercent == c.extraAttemptsPercent;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, initialLimit, minLimit, maxLimit, window, tolerance, extraAttemptsPercent);
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "ConcurrencyLimit[disabled]";
        }
        return "ConcurrencyLimit[initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
                + ", window=" + window + ", tolerance=" + String.format(Locale.ROOT, "%.2f", tolerance)
                + ", extraAttemptsPercent=" + extraAttemptsPercent + "]";
    }

    /** Builds an enabled {@link ConcurrencyLimit}; each setter validates at once, {@link #build()} checks {@code min <= initial <= max}. */
    public static final class Builder {
        private int initialLimit = ConfigRules.DEFAULT_INITIAL_CONCURRENCY_LIMIT;
        private boolean initialSet;
        private int minLimit = ConfigRules.DEFAULT_MIN_CONCURRENCY_LIMIT;
        private int maxLimit = ConfigRules.DEFAULT_MAX_CONCURRENCY_LIMIT;
        private Duration window = ConfigRules.DEFAULT_CONCURRENCY_WINDOW;
        private double tolerance = ConfigRules.DEFAULT_CONCURRENCY_TOLERANCE;
        private int extraAttemptsPercent = ConfigRules.DEFAULT_EXTRA_ATTEMPTS_PERCENT;

        private Builder() {
        }

        /**
         * Sets the limit a router starts with (default 1000, or the max limit if lower): high, so a
         * burst from idle goes; the limit comes down only on evidence of a queue at every node.
         *
         * @param limit attempts in flight allowed at first
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 1000000]
         */
        public Builder initialLimit(int limit) {
            this.initialLimit = limit("concurrencyLimit.initialLimit", limit);
            this.initialSet = true;
            return this;
        }

        /**
         * Sets the lowest the limit goes (default 1).
         *
         * @param limit the floor of the limit
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 1000000]
         */
        public Builder minLimit(int limit) {
            this.minLimit = limit("concurrencyLimit.minLimit", limit);
            return this;
        }

        /**
         * Sets the highest the limit goes (default 1000).
         *
         * @param limit the ceiling of the limit
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 1000000]
         */
        public Builder maxLimit(int limit) {
            this.maxLimit = limit("concurrencyLimit.maxLimit", limit);
            return this;
        }

        /**
         * Sets the least time between two changes of the limit (default 100 ms): a few round trips,
         * so each change rests on several latencies and the next one sees its effect.
         *
         * @param window the averaging and update window
         * @return this builder
         * @throws IllegalArgumentException if outside [1 ms, 60 s]
         * @throws NullPointerException if {@code window} is null
         */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "concurrencyLimit.window must not be null");
            if (window.compareTo(ConfigRules.MIN_CONCURRENCY_WINDOW) < 0
                    || window.compareTo(ConfigRules.MAX_CONCURRENCY_WINDOW) > 0) {
                throw new IllegalArgumentException("concurrencyLimit.window must be in ["
                        + ConfigRules.MIN_CONCURRENCY_WINDOW + ", " + ConfigRules.MAX_CONCURRENCY_WINDOW + "], but was "
                        + window);
            }
            this.window = window;
            return this;
        }

        /**
         * Sets how far above the no-load latency a window's median latency may go before the limit
         * shrinks (default 2.0: twice the no-load latency, about one request queued per worker).
         *
         * @param multiple the tolerated multiple of the no-load latency
         * @return this builder
         * @throws IllegalArgumentException if not a number in [1.0, 100.0]
         */
        public Builder tolerance(double multiple) {
            if (!(multiple >= ConfigRules.MIN_CONCURRENCY_TOLERANCE && multiple <= ConfigRules.MAX_CONCURRENCY_TOLERANCE)) {
                throw new IllegalArgumentException("concurrencyLimit.tolerance must be in ["
                        + ConfigRules.MIN_CONCURRENCY_TOLERANCE + ", " + ConfigRules.MAX_CONCURRENCY_TOLERANCE
                        + "], but was " + multiple);
            }
            this.tolerance = multiple;
            return this;
        }

        /**
         * Sets the share of the limit from which retries and hedges are refused (default 80).
         *
         * @param percent retries and hedges begin only while fewer attempts than this percentage
         *     of the limit are in flight
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 99]
         */
        public Builder extraAttemptsPercent(int percent) {
            this.extraAttemptsPercent = Checks.between("concurrencyLimit.extraAttemptsPercent", percent,
                    ConfigRules.MIN_EXTRA_ATTEMPTS_PERCENT, ConfigRules.MAX_EXTRA_ATTEMPTS_PERCENT);
            return this;
        }

        /**
         * {@return the enabled limit, with this builder's values}
         *
         * @throws IllegalArgumentException unless {@code minLimit <= initialLimit <= maxLimit}
         */
        public ConcurrencyLimit build() {
            if (minLimit > maxLimit) {
                throw new IllegalArgumentException("concurrencyLimit.maxLimit must be >= concurrencyLimit.minLimit ("
                        + minLimit + "), but was " + maxLimit);
            }
            if (!initialSet) {
                // the default starts as high as the bounds allow
                initialLimit = Math.max(minLimit, Math.min(maxLimit, ConfigRules.DEFAULT_INITIAL_CONCURRENCY_LIMIT));
            }
            if (initialLimit < minLimit || initialLimit > maxLimit) {
                throw new IllegalArgumentException("concurrencyLimit.initialLimit must be in [minLimit, maxLimit] = ["
                        + minLimit + ", " + maxLimit + "], but was " + initialLimit);
            }
            return new ConcurrencyLimit(this, true);
        }

        private static int limit(String field, int value) {
            return Checks.between(field, value, ConfigRules.MIN_CONCURRENCY_LIMIT, ConfigRules.MAX_CONCURRENCY_LIMIT);
        }
    }
}
