package io.smartqueryrouter.core.config;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The defaults and the rules every configuration front end applies the same way: {@code router-yaml}
 * today, a Spring Boot binding tomorrow. A front end checks a value against these rules itself, so its
 * error can point at the line or property that holds it; the core builders check the same rules again
 * and would refuse what slipped through.
 *
 * <p>Each range is inclusive. The values here are those of the core builders ({@code Router.builder},
 * {@code Node.builder}, {@code HealthCheck}, {@code OutlierEjection}, {@code RetryPolicy},
 * {@code RetryBudget}, {@code HedgePolicy}); a test in {@code router-yaml} holds them equal.
 */
public final class ConfigRules {

    /** The pattern a router name matches: 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    public static final String ROUTER_NAME_REGEX = "[A-Za-z0-9][A-Za-z0-9._-]{0,99}";

    /** The router-name rule in words, for messages: "a router name must be " + this. */
    public static final String ROUTER_NAME_RULE =
            "1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern ROUTER_NAME = Pattern.compile(ROUTER_NAME_REGEX);

    /** The routing policy of a router whose configuration names none. */
    public static final String DEFAULT_POLICY = "pool-ewma";

    /** A node's weight when none is given. */
    public static final int DEFAULT_WEIGHT = 1;
    /** The smallest weight a node may have; there is no upper bound but {@link Integer#MAX_VALUE}. */
    public static final int MIN_WEIGHT = 1;

    /** Time between two probes of a node when none is given. */
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
    /** The longest time a probe may take when none is given; see {@link #defaultHealthTimeout(Duration)}. */
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(1);
    /** Failed probes in a row that take a node out, when none is given (at least 1). */
    public static final int DEFAULT_HEALTH_FALL = 3;
    /** Passed probes in a row that bring a node back, when none is given (at least 1). */
    public static final int DEFAULT_HEALTH_RISE = 2;

    /** The smallest {@code outlierEjection.consecutiveFailures}. */
    public static final int MIN_CONSECUTIVE_FAILURES = 1;
    /** The largest {@code outlierEjection.consecutiveFailures}. */
    public static final int MAX_CONSECUTIVE_FAILURES = 10_000;
    /** The smallest {@code outlierEjection.maxEjectionPercent} (0 turns ejection off). */
    public static final int MIN_EJECTION_PERCENT = 0;
    /** The largest {@code outlierEjection.maxEjectionPercent}. */
    public static final int MAX_EJECTION_PERCENT = 100;

    /** The smallest {@code retry.maxAttempts} (1: no retry). */
    public static final int MIN_ATTEMPTS = 1;
    /** The largest {@code retry.maxAttempts}. */
    public static final int MAX_ATTEMPTS = 100;
    /** The smallest retry budget percent. */
    public static final int MIN_BUDGET_PERCENT = 0;
    /** The largest retry budget percent. */
    public static final int MAX_BUDGET_PERCENT = 1000;
    /** The smallest number of retries a budget always allows per second. */
    public static final int MIN_RETRIES_PER_SECOND = 0;
    /** The largest number of retries a budget always allows per second. */
    public static final int MAX_RETRIES_PER_SECOND = 1_000_000;
    /** The longest retry budget window; a window is whole seconds, at least one. */
    public static final Duration MAX_BUDGET_WINDOW = Duration.ofSeconds(600);

    /** The lowest percentile of recent latencies a hedge may wait for (p50). */
    public static final double MIN_HEDGE_PERCENTILE = 0.5;
    /** The highest percentile of recent latencies a hedge may wait for (p99.9). */
    public static final double MAX_HEDGE_PERCENTILE = 0.999;
    /** The smallest {@code hedge.maxExtraPercent}. */
    public static final int MIN_HEDGE_EXTRA_PERCENT = 1;
    /** The largest {@code hedge.maxExtraPercent}. */
    public static final int MAX_HEDGE_EXTRA_PERCENT = 100;
    /** The smallest {@code hedge.maxHedges} per call. */
    public static final int MIN_HEDGES = 1;
    /** The largest {@code hedge.maxHedges} per call. */
    public static final int MAX_HEDGES = 10;

    /**
     * The longest duration a configuration may give any setting: longer than any sensible value, short
     * enough that no duration arithmetic in the core overflows.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(365);

    private ConfigRules() {
    }

    /**
     * Tells whether a router may have this name ({@link #ROUTER_NAME_REGEX}).
     *
     * @param name the name to check
     * @return {@code true} if {@code Router.builder(name)} accepts it
     * @throws NullPointerException if {@code name} is null
     */
    public static boolean isValidRouterName(String name) {
        return ROUTER_NAME.matcher(name).matches();
    }

    /**
     * Returns the probe timeout when none is given: {@link #DEFAULT_HEALTH_TIMEOUT}, or the interval
     * when that is shorter, since a probe may not outlast the interval.
     *
     * @param interval the time between probes, positive
     * @return the default timeout for that interval
     * @throws NullPointerException if {@code interval} is null
     */
    public static Duration defaultHealthTimeout(Duration interval) {
        return interval.compareTo(DEFAULT_HEALTH_TIMEOUT) < 0 ? interval : DEFAULT_HEALTH_TIMEOUT;
    }

    /**
     * Tells whether a hedge may wait for this percentile of recent latencies, given as a fraction
     * ({@code 0.95} for p95).
     *
     * @param percentile the fraction to check
     * @return {@code true} if it lies in [{@link #MIN_HEDGE_PERCENTILE}, {@link #MAX_HEDGE_PERCENTILE}]
     */
    public static boolean isValidHedgePercentile(double percentile) {
        return percentile >= MIN_HEDGE_PERCENTILE && percentile <= MAX_HEDGE_PERCENTILE;
    }
}
