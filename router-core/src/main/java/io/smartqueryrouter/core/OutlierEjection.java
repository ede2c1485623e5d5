package io.smartqueryrouter.core;

import java.time.Duration;

/**
 * Passive outlier detection, as in Envoy: after {@link #consecutiveFailures()} attempts in a row
 * that blame a node, the node is ejected for {@link #baseEjection()} x the number of times it has
 * been ejected, capped at {@link #maxEjection()}; then it rejoins by itself. The multiplier drops
 * by one for every base period the node stays in. At most {@link #maxEjectionPercent()} percent of
 * the registered nodes (rounded down) are ejected at once.
 *
 * <p>Ejection is for outliers only, so it can never be what takes a cluster down:
 * <ul>
 *   <li>a node is not ejected while at least half of the other nodes (not ejected, not cooling down)
 *       are failing too: unhealthy, or with at least half of {@link #consecutiveFailures()} (rounded
 *       up) failures in a row (the fault is the cluster's: overload, a shared dependency, an outage);
 *       and when the nodes left fail like that, every running ejection ends: the capacity is needed;</li>
 *   <li>nor while at least half of those others have lately failed at least a quarter as often as the
 *       node (a failure ratio over about their last 16 attempts, as Envoy's success-rate detection
 *       compares a host with the cluster): a service slow everywhere gives timeouts that alternate with
 *       answers, not failures in a row, and ejecting a node then only idles its capacity;</li>
 *   <li>an ejected node gets one real call every {@link #trialInterval()} (half-open, as Finagle's
 *       failure accrual probes): its answer ends the ejection at once (an answer to a call sent
 *       before the ejection does not: it tells how the node was, not how it is); a passing active health
 *       check ends it too (Envoy's {@code successful_active_health_check_uneject_host}); the first
 *       trial of an ejection may wait the wait limit ({@link Attempt#waitLimitNanos()}), and once a
 *       trial timed out (failed after waiting longer than the slowest available node lately took: a
 *       black hole, not a refusal) the later ones wait only that long while every available node
 *       answers, then the call fails over; with a {@link #maxTrialInterval()} above the trial
 *       interval (off by default), each trial that times out doubles the wait before the next, up
 *       to it, so a node that stays black-holed costs a few trial calls per ejection;</li>
 *   <li>an ejection for timeouts from a calm service does not make the router's
 *       {@link ConcurrencyLimit} shed the share it moves: the limit does not shrink for a second after
 *       it (see there);</li>
 *   <li>panic, as Envoy's: while fewer than {@link #panicThreshold()} percent of the nodes are
 *       available (healthy, not ejected, not cooling down), calls go across all of them.</li>
 * </ul>
 *
 * <p>Defaults: 5 consecutive failures, 30 s base, 300 s cap, 50%, a trial every second, panic
 * below 50%.
 */
public final class OutlierEjection {
    private static final OutlierEjection DEFAULTS = builder().build();
    private static final OutlierEjection DISABLED = builder().maxEjectionPercent(0).build();

    private final int consecutiveFailures;
    private final Duration baseEjection;
    private final Duration maxEjection;
    private final int maxEjectionPercent;
    private final Duration trialInterval;
    private final Duration maxTrialInterval;
    private final int panicThreshold;

    private OutlierEjection(Builder b) {
        this.consecutiveFailures = b.consecutiveFailures;
        this.baseEjection = b.baseEjection;
        this.maxEjection = b.maxEjection;
        this.maxEjectionPercent = b.maxEjectionPercent;
        this.trialInterval = b.trialInterval;
        this.maxTrialInterval = b.maxTrialInterval == null ? b.trialInterval : b.maxTrialInterval;
        this.panicThreshold = b.panicThreshold;
    }

    /** {@return the defaults: 5 consecutive failures, 30 s base, 300 s cap, 50%, trials every 1 s, panic below 50%} */
    public static OutlierEjection defaults() {
        return DEFAULTS;
    }

    /** {@return settings that never eject (a {@code maxEjectionPercent} of 0)} */
    public static OutlierEjection disabled() {
        return DISABLED;
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the failures in a row that eject a node (default 5)} */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** {@return the first ejection's length, the unit later ones are multiples of (default 30 s)} */
    public Duration baseEjection() {
        return baseEjection;
    }

    /** {@return the longest ejection (default 300 s)} */
    public Duration maxEjection() {
        return maxEjection;
    }

    /** {@return the largest share of nodes ejected at once, in percent (default 50); 0 disables ejection} */
    public int maxEjectionPercent() {
        return maxEjectionPercent;
    }

    /**
     * {@return how often an ejected node gets one real call to show it is back (default 1 s): an
     * answer ends its ejection, a failure keeps it out until the next trial}
     */
    public Duration trialInterval() {
        return trialInterval;
    }

    /**
     * {@return the longest wait between two trials of one ejected node (default: the trial interval,
     * so no backoff): above the interval, each trial that times out doubles the wait before the next,
     * up to this}
     */
    public Duration maxTrialInterval() {
        return maxTrialInterval;
    }

    /**
     * {@return the share of available nodes, in percent, below which calls go across all nodes
     * (default 50; 0 never panics)}
     */
    public int panicThreshold() {
        return panicThreshold;
    }

    /** {@return whether ejection can happen at all} */
    public boolean isEnabled() {
        return maxEjectionPercent > 0;
    }

    @Override
    public String toString() {
        return "OutlierEjection[consecutiveFailures=" + consecutiveFailures + ", baseEjection=" + baseEjection
                + ", maxEjection=" + maxEjection + ", maxEjectionPercent=" + maxEjectionPercent + ", trialInterval="
                + trialInterval + ", maxTrialInterval=" + maxTrialInterval + ", panicThreshold=" + panicThreshold + "]";
    }

    /** Builds {@link OutlierEjection}; each setter validates at once. */
    public static final class Builder {
        private int consecutiveFailures = 5;
        private Duration baseEjection = Duration.ofSeconds(30);
        private Duration maxEjection = Duration.ofSeconds(300);
        private int maxEjectionPercent = 50;
        private Duration trialInterval = Duration.ofSeconds(1);
        private Duration maxTrialInterval;
        private int panicThreshold = 50;

        private Builder() {
        }

        /**
         * Sets the failures in a row that eject a node (default 5).
         *
         * @param n attempts in a row that blame a node before it is ejected
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 10000]
         */
        public Builder consecutiveFailures(int n) {
            this.consecutiveFailures = Checks.between("outlierEjection.consecutiveFailures", n, 1, 10_000);
            return this;
        }

        /**
         * Sets the first ejection's length (default 30 s); {@link #build()} refuses one longer than the cap.
         *
         * @param base how long a node's first ejection lasts
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder baseEjection(Duration base) {
            this.baseEjection = Checks.positive("outlierEjection.baseEjection", base);
            return this;
        }

        /**
         * Sets the longest ejection (default 300 s).
         *
         * @param max the cap on any ejection, however often the node was ejected
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxEjection(Duration max) {
            this.maxEjection = Checks.positive("outlierEjection.maxEjection", max);
            return this;
        }

        /**
         * Sets the largest share of nodes ejected at once (default 50; 0 disables ejection).
         *
         * @param percent the most nodes ejected at once, in percent of the registered nodes (rounded down)
         * @return this builder
         * @throws IllegalArgumentException if outside [0, 100]
         */
        public Builder maxEjectionPercent(int percent) {
            this.maxEjectionPercent = Checks.between("outlierEjection.maxEjectionPercent", percent, 0, 100);
            return this;
        }

        /**
         * Sets how often an ejected node gets one real call to show it is back (default 1 s): its
         * answer (a success, or an error that is the caller's) ends the ejection at once; a failure
         * keeps the node out until the next trial or the ejection's end.
         *
         * @param interval the time between two trial calls of one ejected node
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder trialInterval(Duration interval) {
            this.trialInterval = Checks.positive("outlierEjection.trialInterval", interval);
            return this;
        }

        /**
         * Sets the longest wait between two trials of one ejected node (default: the trial interval,
         * no backoff). Above the trial interval, a trial that times out (fails after waiting longer
         * than the slowest available node lately took, as a black-holed node's does) doubles the
         * wait before the next, up to this; a refused
         * trial keeps the wait, and an answer ends the ejection. Measured in the simulator, it is off by
         * default: an overloaded node's trial times out like a black hole's, and keeping such a node
         * out longer piles its load onto the rest (benchmarks/SIMULATION.md).
         *
         * @param max the longest wait between two trials; {@link #build()} refuses one below the trial interval
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxTrialInterval(Duration max) {
            this.maxTrialInterval = Checks.positive("outlierEjection.maxTrialInterval", max);
            return this;
        }

        /**
         * Sets the panic threshold (default 50): while fewer than this percent of the registered
         * nodes are available (healthy, not ejected, not cooling down), calls go across all of them,
         * as Envoy's healthy panic threshold does, rather than piling onto the few left. 0 never
         * panics (calls still go to any node when none at all is available).
         *
         * @param percent the share of available nodes below which calls go across all nodes
         * @return this builder
         * @throws IllegalArgumentException if outside [0, 100]
         */
        public Builder panicThreshold(int percent) {
            this.panicThreshold = Checks.between("outlierEjection.panicThreshold", percent, 0, 100);
            return this;
        }

        /**
         * {@return the settings, with this builder's values}
         *
         * @throws IllegalArgumentException if the base ejection is longer than the longest
         */
        public OutlierEjection build() {
            if (baseEjection.compareTo(maxEjection) > 0) {
                throw new IllegalArgumentException("outlierEjection.maxEjection must be >= outlierEjection.baseEjection ("
                        + baseEjection + "), but was " + maxEjection);
            }
            if (maxTrialInterval != null && maxTrialInterval.compareTo(trialInterval) < 0) {
                throw new IllegalArgumentException("outlierEjection.maxTrialInterval must be >= outlierEjection.trialInterval ("
                        + trialInterval + "), but was " + maxTrialInterval);
            }
            return new OutlierEjection(this);
        }
    }
}
