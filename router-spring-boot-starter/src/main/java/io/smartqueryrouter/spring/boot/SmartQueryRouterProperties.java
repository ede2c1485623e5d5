package io.smartqueryrouter.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The routers of an application, under {@code smartqueryrouter.routers.<name>} in
 * {@code application.yml} or {@code application.properties}: the keys and defaults of
 * {@code router-yaml}'s format, read with Spring Boot's relaxed binding ({@code health-check},
 * {@code healthCheck} or {@code HEALTH_CHECK} in an environment variable) and Boot's durations
 * ({@code 500ms}, {@code 2s}, {@code PT2S}, {@code 1d}; a bare number is milliseconds). A value left
 * out takes core's default ({@code ConfigRules}). The auto-configuration reads and checks these
 * itself, strictly: an unknown key or a bad value fails startup with a message naming the property,
 * where it was set, the value (never a password) and what is allowed.
 *
 * <pre>
 * smartqueryrouter:
 *   routers:
 *     orders:
 *       nodes:
 *         - { id: a, url: "http://10.0.0.1:8080" }
 *         - { id: b, url: "http://10.0.0.2:8080" }
 *       health-check: { probe: http, path: /health, interval: 2s }
 * </pre>
 *
 * @param enabled false turns the auto-configuration off (default true)
 * @param routers the routers by name (letters, digits, '.', '_' or '-'); a router whose node URLs
 *     start with jdbc: is a database router, one with http:// or https:// URLs an HTTP router
 */
@ConfigurationProperties("smartqueryrouter")
public record SmartQueryRouterProperties(Boolean enabled, Map<String, RouterProperties> routers) {

    /**
     * One router.
     *
     * @param policy the registered name of the routing policy (default {@code pool-ewma})
     * @param nodes the nodes, at least one
     * @param healthCheck active health checking; left out: none (every node counts as healthy)
     * @param outlierEjection passive outlier ejection; left out: the defaults (5 failures in a row, 30s, 300s, 50%)
     * @param retry failover and retry; left out: 3 attempts for an HTTP router, every node once for a database
     * @param hedge hedged requests (HTTP routers only); left out: no hedging
     * @param concurrencyLimit the adaptive concurrency limit; left out, or given empty
     *     ({@code concurrency-limit=} in properties, {@code concurrency-limit:} in YAML): on, with the
     *     defaults for what it leaves out; {@code enabled=false} turns it off
     * @param pool each node's HikariCP pool (database routers only); left out: the defaults (10
     *     connections, 2 idle, 3s connection timeout, 10m idle timeout, 30m max lifetime, 1s validation timeout)
     */
    public record RouterProperties(String policy, List<NodeProperties> nodes, HealthCheckProperties healthCheck,
            OutlierEjectionProperties outlierEjection, RetryProperties retry, HedgeProperties hedge,
            ConcurrencyLimitProperties concurrencyLimit, PoolProperties pool) {
    }

    /**
     * One node.
     *
     * @param id unique in its router
     * @param url the node's address: an HTTP base URL or a JDBC URL
     * @param weight at least 1 (default 1)
     * @param zone the node's zone (default none)
     * @param labels free-form labels; a database node's {@code role} is {@code primary} or {@code replica}
     * @param user a database node's user name
     * @param password a database node's password; never shown in a message, a log or {@link #toString()}
     * @param pool a database node's own pool settings, over its router's: what it leaves out is the router's
     */
    public record NodeProperties(String id, String url, Integer weight, String zone, Map<String, String> labels,
            String user, String password, PoolProperties pool) {

        /** Shows no URL (it may hold credentials) and no password. */
        @Override
        public String toString() {
            return "NodeProperties[id=" + id + ", weight=" + weight + ", zone=" + zone
                    + ", labels=" + (labels == null ? "{}" : new TreeMap<>(labels)) + ", user=" + user
                    + ", password=" + (password == null ? "none" : "(not shown)") + ", pool=" + pool + "]";
        }
    }

    /**
     * Active health checking.
     *
     * @param probe the probe kind: {@code http} or {@code tcp} (HTTP routers), {@code postgres} or
     *     {@code jdbc} (database routers)
     * @param path the path an {@code http} probe requests, starting with '/'; only for {@code http}
     * @param interval time between two probes of a node (default 5s)
     * @param timeout time a probe may take, at most the interval (default 1s, or the interval when shorter)
     * @param fall failed probes in a row that take a node out (default 3)
     * @param rise passed probes in a row that bring it back (default 2)
     */
    public record HealthCheckProperties(String probe, String path, Duration interval, Duration timeout, Integer fall,
            Integer rise) {
    }

    /**
     * Passive outlier ejection.
     *
     * @param consecutiveFailures failures in a row that eject a node, 1 to 10000 (default 5)
     * @param baseEjection the first ejection's length, at most {@code max-ejection} (default 30s)
     * @param maxEjection the longest ejection (default 300s)
     * @param maxEjectionPercent the most nodes ejected at once, 0 to 100; 0 turns ejection off (default 50)
     * @param trialInterval how often an ejected node gets one real call, a trial (default 1s)
     * @param panicThreshold while fewer than this percent of the nodes are available, every node is
     *     available again (panic), 0 to 100; 0 never panics (default 50)
     */
    public record OutlierEjectionProperties(Integer consecutiveFailures, Duration baseEjection, Duration maxEjection,
            Integer maxEjectionPercent, Duration trialInterval, Integer panicThreshold) {
    }

    /**
     * Failover and retry.
     *
     * @param maxAttempts attempts per call, the first included, 1 to 100 (default 3)
     * @param budgetPercent retries per 100 first attempts, 0 to 1000 (default 20)
     * @param minRetriesPerSecond retries always allowed per second, 0 to 1000000 (default 10)
     * @param budgetWindow the budget's window, whole seconds from 1s to 600s (default 10s)
     * @param backoffBase the pause before the first retry; with {@code backoff-max} (default: no backoff)
     * @param backoffMax the longest pause between attempts, at least {@code backoff-base}
     */
    public record RetryProperties(Integer maxAttempts, Integer budgetPercent, Integer minRetriesPerSecond,
            Duration budgetWindow, Duration backoffBase, Duration backoffMax) {
    }

    /**
     * Hedged requests: a call still unanswered after the delay is also sent to another node.
     *
     * @param delay required: a duration ({@code 50ms}) or a percentile of recent latencies from
     *     {@code p50} to {@code p99.9} ({@code p95})
     * @param minDelay the shortest adaptive delay, only with a percentile delay (default 1ms)
     * @param maxExtraPercent hedges per 100 calls over the last second, 1 to 100 (default 5)
     * @param maxHedges hedges one call may send, 1 to 10 (default 1)
     */
    public record HedgeProperties(String delay, Duration minDelay, Integer maxExtraPercent, Integer maxHedges) {
    }

    /**
     * The adaptive concurrency limit on a router's attempts in flight: a call beyond it fails at once,
     * retries and hedges stop earlier.
     *
     * @param enabled {@code false} turns the limit off (then no other key may be given); default on
     * @param initialLimit the limit at start, within [{@code min-limit}, {@code max-limit}] (default 1000, or
     *     {@code max-limit} if lower)
     * @param minLimit the lowest limit, 1 to 1000000 (default 1)
     * @param maxLimit the highest limit, 1 to 1000000, at least {@code min-limit} (default 1000)
     * @param window the least time between two changes of the limit, 1ms to 60s (default 100ms)
     * @param tolerance the multiple of the no-load latency above which the limit shrinks, 1.0 to 100.0 (default 2.0)
     * @param extraAttemptsPercent retries and hedges begin only while fewer attempts than this share of
     *     the limit run, 1 to 99 (default 80)
     */
    public record ConcurrencyLimitProperties(Boolean enabled, Integer initialLimit, Integer minLimit, Integer maxLimit,
            Duration window, Double tolerance, Integer extraAttemptsPercent) {
    }

    /**
     * A database node's HikariCP pool, given per router and per node (a node's starts from its router's).
     *
     * @param maximumPoolSize the most connections, idle and in use, 1 to 10000 (default 10)
     * @param minimumIdle the idle connections kept ready, 0 to {@code maximum-pool-size} (default 2)
     * @param connectionTimeout how long a caller waits for a connection, at least 250ms (default 3s)
     * @param idleTimeout how long a connection beyond {@code minimum-idle} may stay idle, at least 10s (default 10m)
     * @param maxLifetime how long a connection lives at most, at least 30s and longer than {@code idle-timeout}
     *     (default 30m)
     * @param validationTimeout how long checking a connection may take, at least 250ms and at most
     *     {@code connection-timeout} (default 1s)
     */
    public record PoolProperties(Integer maximumPoolSize, Integer minimumIdle, Duration connectionTimeout,
            Duration idleTimeout, Duration maxLifetime, Duration validationTimeout) {
    }
}
