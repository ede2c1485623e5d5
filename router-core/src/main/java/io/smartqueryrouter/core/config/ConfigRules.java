package io.smartqueryrouter.core.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The defaults and the rules every configuration front end applies the same way: {@code router-yaml}
 * today, a Spring Boot binding tomorrow. A front end checks a value against these rules itself, so its
 * error can point at the line or property that holds it; the core builders check the same rules again
 * and would refuse what slipped through.
 *
 * <p>Each range is inclusive. The values here are those of the core builders ({@code Router.builder},
 * {@code Node.builder}, {@code HealthCheck}, {@code OutlierEjection}, {@code RetryPolicy},
 * {@code RetryBudget}, {@code HedgePolicy}, {@code ConcurrencyLimit}); a test in {@code router-yaml} holds them equal.
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
    /** The smallest {@code outlierEjection.panicThreshold} (0 never panics). */
    public static final int MIN_PANIC_THRESHOLD = 0;
    /** The largest {@code outlierEjection.panicThreshold}. */
    public static final int MAX_PANIC_THRESHOLD = 100;

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

    /** The most connections a node's pool holds when none is given ({@link PoolConfig}). */
    public static final int DEFAULT_POOL_SIZE = 10;
    /**
     * The idle connections a node's pool keeps ready when none is given: a few, so a failover or a
     * shift of reads does not start cold, without a full pool held open on every replica.
     */
    public static final int DEFAULT_POOL_MINIMUM_IDLE = 2;
    /**
     * How long a caller waits for a pooled connection when none is given: seconds, so that the router
     * fails over or reports the node while the caller still cares (HikariCP's own default is 30 s).
     */
    public static final Duration DEFAULT_POOL_CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    /** How long a connection beyond the minimum idle may stay idle when none is given. */
    public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** How long a pooled connection lives at most when none is given. */
    public static final Duration DEFAULT_POOL_MAX_LIFETIME = Duration.ofMinutes(30);
    /** How long checking a pooled connection may take when none is given. */
    public static final Duration DEFAULT_POOL_VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    /** The smallest pool size. */
    public static final int MIN_POOL_SIZE = 1;
    /** The largest pool size. */
    public static final int MAX_POOL_SIZE = 10_000;
    /** The shortest connection or validation timeout (HikariCP's floor). */
    public static final Duration MIN_POOL_TIMEOUT = Duration.ofMillis(250);
    /** The shortest idle timeout (HikariCP's floor). */
    public static final Duration MIN_POOL_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** The shortest max lifetime (HikariCP's floor). */
    public static final Duration MIN_POOL_MAX_LIFETIME = Duration.ofSeconds(30);
    /** The smallest value of any {@code concurrencyLimit} limit (initial, min, max). */
    public static final int MIN_CONCURRENCY_LIMIT = 1;
    /** The largest value of any {@code concurrencyLimit} limit (initial, min, max). */
    public static final int MAX_CONCURRENCY_LIMIT = 1_000_000;
    /** {@code concurrencyLimit.initialLimit} when none is given. */
    public static final int DEFAULT_INITIAL_CONCURRENCY_LIMIT = 1000;
    /** {@code concurrencyLimit.minLimit} when none is given. */
    public static final int DEFAULT_MIN_CONCURRENCY_LIMIT = 1;
    /** {@code concurrencyLimit.maxLimit} when none is given. */
    public static final int DEFAULT_MAX_CONCURRENCY_LIMIT = 1000;
    /** {@code concurrencyLimit.window} when none is given: how often the limit may change. */
    public static final Duration DEFAULT_CONCURRENCY_WINDOW = Duration.ofMillis(100);
    /** The shortest {@code concurrencyLimit.window}. */
    public static final Duration MIN_CONCURRENCY_WINDOW = Duration.ofMillis(1);
    /** The longest {@code concurrencyLimit.window}. */
    public static final Duration MAX_CONCURRENCY_WINDOW = Duration.ofSeconds(60);
    /** {@code concurrencyLimit.tolerance} when none is given: latency up to this multiple of the no-load latency is fine. */
    public static final double DEFAULT_CONCURRENCY_TOLERANCE = 2.0;
    /** The smallest {@code concurrencyLimit.tolerance}. */
    public static final double MIN_CONCURRENCY_TOLERANCE = 1.0;
    /** The largest {@code concurrencyLimit.tolerance}. */
    public static final double MAX_CONCURRENCY_TOLERANCE = 100.0;
    /** {@code concurrencyLimit.extraAttemptsPercent} when none is given: retries and hedges stop at this share of the limit. */
    public static final int DEFAULT_EXTRA_ATTEMPTS_PERCENT = 80;
    /** The smallest {@code concurrencyLimit.extraAttemptsPercent}. */
    public static final int MIN_EXTRA_ATTEMPTS_PERCENT = 1;
    /** The largest {@code concurrencyLimit.extraAttemptsPercent} (below 100: retries and hedges always stop before first attempts). */
    public static final int MAX_EXTRA_ATTEMPTS_PERCENT = 99;

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
     * Refuses a whole number outside {@code [min, max]}, naming the setting and the value.
     *
     * @param setting the setting's name, for the message
     * @param value the value given
     * @param min the smallest allowed
     * @param max the largest allowed
     * @throws IllegalArgumentException if the value is out of range
     */
    public static void checkRange(String setting, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(setting + " must be in [" + min + ", " + max + "], but was " + value);
        }
    }

    /**
     * Refuses a duration shorter than {@code min} or longer than {@link #MAX_DURATION}, naming the
     * setting and the value.
     *
     * @param setting the setting's name, for the message
     * @param value the value given
     * @param min the shortest allowed
     * @throws IllegalArgumentException if the value is out of range
     * @throws NullPointerException if {@code value} is null
     */
    public static void checkAtLeast(String setting, Duration value, Duration min) {
        Objects.requireNonNull(value, () -> setting + " must not be null");
        if (value.compareTo(min) < 0 || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(setting + " must be in [" + min + ", " + MAX_DURATION + "], but was " + value);
        }
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

    /**
     * Returns the option closest to what was given, if near enough: the same but for case, '-' and
     * '_' ({@code healthCheck}, {@code health_check}); at most 2 edits away and fewer than half the
     * characters ({@code polcy}); the only option that contains what was given, of at least 4
     * characters ({@code health}, {@code attempts}); or the one option sharing the longest start with
     * it, at least half of it ({@code max-ejection-pct}). Every front end suggests the same way: a
     * misspelt key or name gets "did you mean" in {@code router-yaml} and in the Spring Boot starter.
     *
     * @param given what was written
     * @param options what is allowed there
     * @return the option to suggest, or {@code null} when none is near enough
     */
    public static String suggest(String given, Collection<String> options) {
        String g = normalize(given);
        for (String o : options) {
            if (normalize(o).equals(g)) {
                return o;
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String o : options) {
            int d = editDistance(given.toLowerCase(Locale.ROOT), o);
            if (d < bestDistance) {
                best = o;
                bestDistance = d;
            }
        }
        if (best != null && bestDistance <= 2 && bestDistance * 2 < Math.max(given.length(), 2)) {
            return best;
        }
        if (g.length() >= 4) {
            // one part of a longer key (attempts: max-attempts, health: health-check)
            String container = null;
            int containers = 0;
            for (String o : options) {
                if (normalize(o).contains(g)) {
                    container = o;
                    containers++;
                }
            }
            if (containers == 1) {
                return container;
            }
            // the same start, then a different ending (max-ejection-pct: max-ejection-percent)
            String longest = null;
            int longestPrefix = 0;
            boolean tie = false;
            for (String o : options) {
                int prefix = commonPrefix(normalize(o), g);
                if (prefix > longestPrefix) {
                    longest = o;
                    longestPrefix = prefix;
                    tie = false;
                } else if (prefix == longestPrefix) {
                    tie = true;
                }
            }
            if (!tie && longestPrefix >= Math.max(4, (g.length() + 1) / 2)) {
                return longest;
            }
        }
        return null;
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(" ", "");
    }

    /** Levenshtein distance (insertions, deletions, substitutions). */
    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitution, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
