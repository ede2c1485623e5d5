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
     * @param policy the registered name of the routing policy (default {@code p2c-peak-ewma})
     * @param nodes the nodes, at least one
     * @param healthCheck active health checking; left out: none (every node counts as healthy)
     * @param outlierEjection passive outlier ejection; left out: the defaults (5 failures in a row, 30s, 300s, 50%)
     * @param retry failover and retry; left out: 3 attempts for an HTTP router, every node once for a database
     * @param hedge hedged requests (HTTP routers only); left out: no hedging
     */
    public record RouterProperties(String policy, List<NodeProperties> nodes, HealthCheckProperties healthCheck,
            OutlierEjectionProperties outlierEjection, RetryProperties retry, HedgeProperties hedge) {
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
     */
    public record NodeProperties(String id, String url, Integer weight, String zone, Map<String, String> labels,
            String user, String password) {

        /** Shows no URL (it may hold credentials) and no password. */
        @Override
        public String toString() {
            return "NodeProperties[id=" + id + ", weight=" + weight + ", zone=" + zone
                    + ", labels=" + (labels == null ? "{}" : new TreeMap<>(labels)) + ", user=" + user
                    + ", password=" + (password == null ? "none" : "(not shown)") + "]";
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
     */
    public record OutlierEjectionProperties(Integer consecutiveFailures, Duration baseEjection, Duration maxEjection,
            Integer maxEjectionPercent) {
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
}
