package io.smartqueryrouter.core;

import java.time.Duration;

/**
 * Passive outlier detection, as in Envoy: after {@link #consecutiveFailures()} attempts in a row
 * that blame a node, the node is ejected for {@link #baseEjection()} x the number of times it has
 * been ejected, capped at {@link #maxEjection()}; then it rejoins by itself. The multiplier drops
 * by one for every base period the node stays in. At most {@link #maxEjectionPercent()} percent of
 * the registered nodes (rounded down) are ejected at once.
 *
 * <p>Defaults: 5 consecutive failures, 30 s base, 300 s cap, 50%.
 */
public final class OutlierEjection {
    private static final OutlierEjection DEFAULTS = builder().build();
    private static final OutlierEjection DISABLED = builder().maxEjectionPercent(0).build();

    private final int consecutiveFailures;
    private final Duration baseEjection;
    private final Duration maxEjection;
    private final int maxEjectionPercent;

    private OutlierEjection(Builder b) {
        this.consecutiveFailures = b.consecutiveFailures;
        this.baseEjection = b.baseEjection;
        this.maxEjection = b.maxEjection;
        this.maxEjectionPercent = b.maxEjectionPercent;
    }

    /** Returns the defaults. */
    public static OutlierEjection defaults() {
        return DEFAULTS;
    }

    /** Returns settings that never eject. */
    public static OutlierEjection disabled() {
        return DISABLED;
    }

    /** Returns a builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the failures in a row that eject a node. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** Returns the first ejection's length. */
    public Duration baseEjection() {
        return baseEjection;
    }

    /** Returns the longest ejection. */
    public Duration maxEjection() {
        return maxEjection;
    }

    /** Returns the largest share of nodes ejected at once, in percent; 0 disables ejection. */
    public int maxEjectionPercent() {
        return maxEjectionPercent;
    }

    /** Returns whether ejection can happen at all. */
    public boolean isEnabled() {
        return maxEjectionPercent > 0;
    }

    @Override
    public String toString() {
        return "OutlierEjection[consecutiveFailures=" + consecutiveFailures + ", baseEjection=" + baseEjection
                + ", maxEjection=" + maxEjection + ", maxEjectionPercent=" + maxEjectionPercent + "]";
    }

    /** Builds {@link OutlierEjection}; each setter validates at once. */
    public static final class Builder {
        private int consecutiveFailures = 5;
        private Duration baseEjection = Duration.ofSeconds(30);
        private Duration maxEjection = Duration.ofSeconds(300);
        private int maxEjectionPercent = 50;

        private Builder() {
        }

        /**
         * Sets the failures in a row that eject a node (default 5).
         *
         * @throws IllegalArgumentException if outside [1, 10000]
         */
        public Builder consecutiveFailures(int n) {
            this.consecutiveFailures = Checks.between("outlierEjection.consecutiveFailures", n, 1, 10_000);
            return this;
        }

        /**
         * Sets the first ejection's length (default 30 s); {@link #build()} refuses one longer than the cap.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder baseEjection(Duration base) {
            this.baseEjection = Checks.positive("outlierEjection.baseEjection", base);
            return this;
        }

        /**
         * Sets the longest ejection (default 300 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxEjection(Duration max) {
            this.maxEjection = Checks.positive("outlierEjection.maxEjection", max);
            return this;
        }

        /**
         * Sets the largest share of nodes ejected at once (default 50; 0 disables ejection).
         *
         * @throws IllegalArgumentException if outside [0, 100]
         */
        public Builder maxEjectionPercent(int percent) {
            this.maxEjectionPercent = Checks.between("outlierEjection.maxEjectionPercent", percent, 0, 100);
            return this;
        }

        /**
         * Returns the settings.
         *
         * @throws IllegalArgumentException if the base ejection is longer than the longest
         */
        public OutlierEjection build() {
            if (baseEjection.compareTo(maxEjection) > 0) {
                throw new IllegalArgumentException("outlierEjection.maxEjection must be >= outlierEjection.baseEjection ("
                        + baseEjection + "), but was " + maxEjection);
            }
            return new OutlierEjection(this);
        }
    }
}
