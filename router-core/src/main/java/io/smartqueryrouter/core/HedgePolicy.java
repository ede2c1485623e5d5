package io.smartqueryrouter.core;

import io.smartqueryrouter.core.config.ConfigRules;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.Executor;

/**
 * Hedged requests, as in "The Tail at Scale" (Dean and Barroso, CACM 2013): when a call that is
 * safe to repeat has not been answered after a delay, a second attempt goes to another node; the
 * first answer wins and the other attempt is cancelled (completed as {@link Outcome#CANCELLED}).
 * A few extra calls cut the tail that one slow node (a GC pause, a noisy neighbour) would add.
 * A hedge goes only where it can win: when the running attempt's node has been silent at least
 * twice as long as the fastest untried node takes (its Peak-EWMA), and, with an adaptive delay,
 * for 3 times its own average latency; when every node is as slow, hedges would only add load
 * ({@link RoutedCall#noHedgeReason()} says why none went). With an adaptive delay, a router also
 * watches whether its hedges pay: when under a quarter of its recent hedged calls (about the last
 * 16) were answered by a hedge rather than by the attempt it hedged, the calls' own work is what
 * takes long (a heavy request's hedge is as heavy, and the original, begun first, answers first),
 * and it hedges only one call in 8 of those due a hedge, enough to see when hedges win again
 * ({@link RouterSnapshot#hedgesRefusedAsUnpaid()} counts the others).
 *
 * <pre>{@code
 * Router<URI> router = Router.<URI>builder("orders")
 *     .node(...)
 *     .hedge(HedgePolicy.afterPercentile(0.95))        // or HedgePolicy.afterDelay(Duration.ofMillis(20))
 *     .build();
 * String body = router.execute(node -> fetch(node.endpoint()));   // hedged when slow
 * }</pre>
 *
 * <p>The delay is either fixed ({@link #afterDelay}) or adaptive ({@link #afterPercentile}): the
 * given percentile of the latencies of the router's successful attempts over the last 5 to 10
 * seconds, at least {@link #minDelay()}. Until at least {@code max(20, 1/(1 - percentile))} such
 * latencies are known (20 for the p95, 1,000 for the p99.9), it is the slowest of them, so a thin
 * sample hedges later rather than sooner; with none yet, the router's latency prior
 * ({@link RouterBuilder#latencyPrior}, default 30 ms). The loser of a race is cancelled before it
 * answers, so its latency is never sampled: the estimate leans toward the fast answers, which can
 * only make hedges come sooner, and the budget bounds them.
 *
 * <p>The budget: hedges may not exceed {@link #maxExtraPercent()} percent of the calls the router
 * began in the last second, plus one hedge per second, so a quiet service may still hedge a
 * stalled call now and then. One second, not ten: when every node pauses at once, a longer window
 * lets the hedges saved up over quiet seconds go out in one burst, onto nodes that have no room for
 * them (the simulator's gc-pauses showed a 10 s window turn a 300 ms pause into a p99 of 175 ms).
 * With every node stalling, N calls in a second send at
 * most {@code 1 + N x maxExtraPercent / 100} hedges. It is separate from the retry budget.
 * {@link #maxHedges()} bounds the hedges of one call. Hedges do not use up the retry policy's
 * {@code maxAttempts}, which bounds the first attempt and its retries; a hedge that fails may be
 * retried like any attempt.
 *
 * <p>Defaults of {@link #builder()}: adaptive p95, {@code minDelay} 1 ms, {@code maxExtraPercent} 5,
 * {@code maxHedges} 1, the router's own executor. A router's default is {@link #disabled()}.
 * Immutable.
 */
public final class HedgePolicy {
    private static final HedgePolicy DISABLED = new HedgePolicy(false, null, Double.NaN, Duration.ofMillis(1), 5, 1,
            null);

    private final boolean enabled;
    private final Duration fixedDelay;
    private final double percentile;
    private final Duration minDelay;
    private final int maxExtraPercent;
    private final int maxHedges;
    private final Executor executor;

    private HedgePolicy(boolean enabled, Duration fixedDelay, double percentile, Duration minDelay,
            int maxExtraPercent, int maxHedges, Executor executor) {
        this.enabled = enabled;
        this.fixedDelay = fixedDelay;
        this.percentile = percentile;
        this.minDelay = minDelay;
        this.maxExtraPercent = maxExtraPercent;
        this.maxHedges = maxHedges;
        this.executor = executor;
    }

    /** {@return the policy that never hedges: the default of every router} */
    public static HedgePolicy disabled() {
        return DISABLED;
    }

    /**
     * Returns a policy that hedges a call still unanswered after a fixed {@code delay}, with the
     * other defaults of {@link #builder()}.
     *
     * @param delay how long a call waits for its first answer before a hedge goes out
     * @return an enabled policy with a fixed delay
     * @throws IllegalArgumentException if {@code delay} is not positive
     */
    public static HedgePolicy afterDelay(Duration delay) {
        return builder().afterDelay(delay).build();
    }

    /**
     * Returns a policy that hedges a call still unanswered after the given percentile of the
     * router's recent latencies (0.95 for the p95), with the other defaults of {@link #builder()}.
     *
     * @param percentile the percentile of recent successful latencies to wait, as a fraction (0.95 for the p95)
     * @return an enabled policy with an adaptive delay
     * @throws IllegalArgumentException if {@code percentile} is outside [0.5, 0.999]
     */
    public static HedgePolicy afterPercentile(double percentile) {
        return builder().afterPercentile(percentile).build();
    }

    /** {@return a builder starting from the defaults: adaptive p95, min delay 1 ms, 5% extra, 1 hedge per call} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return whether this policy hedges at all} */
    public boolean isEnabled() {
        return enabled;
    }

    /** {@return whether the delay follows the router's recent latencies ({@link #afterPercentile})} */
    public boolean isAdaptive() {
        return enabled && fixedDelay == null;
    }

    /** {@return the fixed delay, or empty if the delay is adaptive or the policy is disabled} */
    public Optional<Duration> fixedDelay() {
        return Optional.ofNullable(fixedDelay);
    }

    /**
     * {@return the percentile of recent latencies the delay follows, as a fraction, or empty if the
     * delay is fixed or the policy is disabled}
     */
    public OptionalDouble percentile() {
        return isAdaptive() ? OptionalDouble.of(percentile) : OptionalDouble.empty();
    }

    /** {@return the shortest adaptive delay (default 1 ms)} */
    public Duration minDelay() {
        return minDelay;
    }

    /** {@return the hedges allowed per 100 calls, over the last second (default 5)} */
    public int maxExtraPercent() {
        return maxExtraPercent;
    }

    /** {@return the hedges one call may send (default 1)} */
    public int maxHedges() {
        return maxHedges;
    }

    /** {@return the executor {@link Router#execute} runs a hedged call's attempts on, or empty for the router's own} */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    /**
     * Returns how many recent latencies the adaptive delay needs before it trusts its percentile:
     * at least 20, and enough that the percentile is not the single slowest one.
     *
     * @return the minimum number of samples
     */
    public int minSamples() {
        return (int) Math.max(20, Math.ceil(1 / (1 - percentile) - 1e-9));
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "HedgePolicy[disabled]";
        }
        return "HedgePolicy[" + (fixedDelay != null ? "delay=" + fixedDelay : "percentile=" + percentile
                + ", minDelay=" + minDelay) + ", maxExtraPercent=" + maxExtraPercent + ", maxHedges=" + maxHedges
                + (executor != null ? ", executor=" + executor : "") + "]";
    }

    /**
     * Builds a {@link HedgePolicy}; each setter validates at once, and the builder refuses settings
     * that contradict each other (a fixed and an adaptive delay; a {@code minDelay} with a fixed delay).
     */
    public static final class Builder {
        private Duration fixedDelay;
        private double percentile = 0.95;
        private String delaySetBy;
        private Duration minDelay = Duration.ofMillis(1);
        private boolean minDelaySet;
        private int maxExtraPercent = 5;
        private int maxHedges = 1;
        private Executor executor;

        private Builder() {
        }

        /**
         * Hedges after a fixed delay.
         *
         * @param delay how long a call waits for its first answer before a hedge goes out
         * @return this builder
         * @throws IllegalArgumentException if not positive, or if {@link #afterPercentile} was set
         */
        public Builder afterDelay(Duration delay) {
            Checks.positive("hedge.delay", delay);
            mode("afterDelay(" + delay + ")", true);
            this.fixedDelay = delay;
            return this;
        }

        /**
         * Hedges after the given percentile of the router's recent latencies (default 0.95).
         *
         * @param percentile the percentile of recent successful latencies to wait, as a fraction (0.95 for the p95)
         * @return this builder
         * @throws IllegalArgumentException if outside [0.5, 0.999], or if {@link #afterDelay} was set
         */
        public Builder afterPercentile(double percentile) {
            if (!ConfigRules.isValidHedgePercentile(percentile)) {
                throw new IllegalArgumentException("hedge.percentile must be in [0.5, 0.999], but was " + percentile);
            }
            mode("afterPercentile(" + percentile + ")", false);
            this.percentile = percentile;
            this.fixedDelay = null;
            return this;
        }

        private void mode(String setting, boolean fixed) {
            if (delaySetBy != null && (fixedDelay != null) != fixed) {
                throw new IllegalArgumentException("hedge: " + setting + " conflicts with " + delaySetBy
                        + " set before; a delay is either fixed or adaptive");
            }
            delaySetBy = setting;
        }

        /**
         * Sets the shortest adaptive delay (default 1 ms): hedging sooner than that is mostly noise.
         *
         * @param minDelay the floor of the adaptive delay
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder minDelay(Duration minDelay) {
            this.minDelay = Checks.positive("hedge.minDelay", minDelay);
            this.minDelaySet = true;
            return this;
        }

        /**
         * Sets the hedges allowed per 100 calls over the last second (default 5), on top of one hedge per second.
         *
         * @param percent hedges allowed per 100 calls the router began in the last second
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 100]
         */
        public Builder maxExtraPercent(int percent) {
            this.maxExtraPercent = Checks.between("hedge.maxExtraPercent", percent, 1, 100);
            return this;
        }

        /**
         * Sets the hedges one call may send (default 1); each waits one more delay.
         *
         * @param maxHedges the most hedges a single call sends, besides its first attempt
         * @return this builder
         * @throws IllegalArgumentException if outside [1, 10]
         */
        public Builder maxHedges(int maxHedges) {
            this.maxHedges = Checks.between("hedge.maxHedges", maxHedges, 1, 10);
            return this;
        }

        /**
         * Runs the attempts of a hedged {@link Router#execute} call on this executor (default: a cached
         * pool of daemon threads owned by the router, named after it and shut down by its
         * {@code close()}). It must run each task on a thread of its own at once (a pool that queues
         * would delay a hedge behind the stalled attempt it should overtake), and interrupting that
         * thread must cancel the work.
         *
         * @param executor runs each attempt of a hedged call on a thread of its own; the router does not shut it down
         * @return this builder
         * @throws NullPointerException if {@code executor} is null
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "hedge.executor must not be null");
            return this;
        }

        /**
         * {@return the policy, enabled, with this builder's settings}
         *
         * @throws IllegalArgumentException if {@code minDelay} was set along with a fixed delay
         */
        public HedgePolicy build() {
            if (fixedDelay != null && minDelaySet) {
                throw new IllegalArgumentException("hedge.minDelay (" + minDelay + ") applies to an adaptive delay "
                        + "(afterPercentile), not to the fixed delay " + fixedDelay);
            }
            return new HedgePolicy(true, fixedDelay, fixedDelay != null ? Double.NaN : percentile, minDelay,
                    maxExtraPercent, maxHedges, executor);
        }
    }
}
