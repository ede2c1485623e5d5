package io.smartqueryrouter.core.config;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.spi.HealthProbe;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * One router's settings as configuration files describe them, independent of any file format
 * and of any adapter: nodes carry their address as text ({@link NodeConfig#url()}), the policy is
 * a registered name, the health check names a probe kind. Adapters turn it into a router of their
 * endpoint type with {@link #newRouterBuilder}; {@code router-yaml} reads it from YAML.
 *
 * @param name the router's name
 * @param policy the registered name of the routing policy
 * @param nodes the nodes, in order; ids unique
 * @param healthCheck active health checking, or {@code null} for none
 * @param outlierEjection passive outlier ejection
 * @param retry failover and retry, or {@code null} for the adapter's own default (a routing
 *     {@code DataSource} may try every node once, an HTTP router follows {@link RetryPolicy#defaults()})
 * @param hedge hedged requests, or {@code null} for none (the default of every router, as is
 *     {@link HedgePolicy#disabled()}); only for calls that are safe to send twice: HTTP routers take
 *     it, a routing {@code DataSource} refuses it
 * @param concurrencyLimit the adaptive concurrency limit, or {@code null} for the router's default
 *     ({@link ConcurrencyLimit#disabled()}); a routing {@code DataSource} takes it, but its
 *     connection acquisition and statements are never limited
 * @param pool each node's connection pool (a node may have its own, {@link NodeConfig#pool()}), or
 *     {@code null} for {@link PoolConfig#defaults()}; for routers over database nodes only (a routing
 *     {@code DataSource} built from configuration): other adapters have no pool to give it to
 */
public record RouterConfig(String name, String policy, List<NodeConfig> nodes, HealthCheckConfig healthCheck,
        OutlierEjection outlierEjection, RetryPolicy retry, HedgePolicy hedge, ConcurrencyLimit concurrencyLimit,
        PoolConfig pool) {

    /** The policy of a configuration that names none: {@link ConfigRules#DEFAULT_POLICY}. */
    public static final String DEFAULT_POLICY = ConfigRules.DEFAULT_POLICY;

    /**
     * Validates and copies.
     *
     * @param name the router's name
     * @param policy the registered name of the routing policy
     * @param nodes the nodes, in order; ids unique
     * @param healthCheck active health checking, or {@code null} for none
     * @param outlierEjection passive outlier ejection
     * @param retry failover and retry, or {@code null} for the adapter's own default
     * @param hedge hedged requests, or {@code null} for none
     * @param concurrencyLimit the adaptive concurrency limit, or {@code null} for the router's default
     * @param pool each node's connection pool, or {@code null} for the defaults
     * @throws IllegalArgumentException if two nodes share an id
     */
    public RouterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(policy, () -> "router '" + name + "': policy");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(outlierEjection, () -> "router '" + name + "': outlierEjection");
        Set<String> ids = new HashSet<>();
        for (NodeConfig n : nodes) {
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("router '" + name + "': duplicate node id '" + n.id() + "'");
            }
        }
    }

    /**
     * A configuration with the router's default concurrency limit ({@code concurrencyLimit} null) and
     * without pool settings ({@code pool} null: the defaults, for a router over database nodes).
     *
     * @param name the router's name
     * @param policy the registered name of the routing policy
     * @param nodes the nodes, in order; ids unique
     * @param healthCheck active health checking, or {@code null} for none
     * @param outlierEjection passive outlier ejection
     * @param retry failover and retry, or {@code null} for the adapter's own default
     * @param hedge hedged requests, or {@code null} for none
     * @throws IllegalArgumentException if two nodes share an id
     */
    public RouterConfig(String name, String policy, List<NodeConfig> nodes, HealthCheckConfig healthCheck,
            OutlierEjection outlierEjection, RetryPolicy retry, HedgePolicy hedge) {
        this(name, policy, nodes, healthCheck, outlierEjection, retry, hedge, null, null);
    }

    /**
     * A configuration without hedging ({@code hedge} null), as before hedging existed.
     *
     * @param name the router's name
     * @param policy the registered name of the routing policy
     * @param nodes the nodes, in order; ids unique
     * @param healthCheck active health checking, or {@code null} for none
     * @param outlierEjection passive outlier ejection
     * @param retry failover and retry, or {@code null} for the adapter's own default
     * @throws IllegalArgumentException if two nodes share an id
     */
    public RouterConfig(String name, String policy, List<NodeConfig> nodes, HealthCheckConfig healthCheck,
            OutlierEjection outlierEjection, RetryPolicy retry) {
        this(name, policy, nodes, healthCheck, outlierEjection, retry, null, null, null);
    }

    /**
     * Returns the pool settings of a node: its own if it has them, else the router's, else the defaults.
     *
     * @param node one of this configuration's nodes
     * @return the node's pool settings
     */
    public PoolConfig poolOf(NodeConfig node) {
        return node.pool() != null ? node.pool() : pool != null ? pool : PoolConfig.defaults();
    }

    /**
     * Returns a router builder with this configuration's policy, nodes, outlier ejection, retry,
     * hedging and concurrency limit (each when configured) and health check.
     *
     * @param <E> the endpoint type of the adapter
     * @param endpoint turns a node's configuration into the adapter's endpoint (parses the URL,
     *     opens a pool...); may throw {@link IllegalArgumentException} with a message naming the node
     * @param probes gives the probe for the configured probe kind, or throws
     *     {@link IllegalArgumentException} naming the kinds this adapter supports
     * @return a builder holding this configuration; add listeners, a ticker... and build
     * @throws IllegalArgumentException if the policy is not registered, or a node or probe is refused
     */
    public <E> RouterBuilder<E> newRouterBuilder(Function<NodeConfig, E> endpoint,
            Function<HealthCheckConfig, HealthProbe<E>> probes) {
        RouterBuilder<E> b = Router.<E>builder(name).policy(policy).outlierEjection(outlierEjection);
        if (retry != null) {
            b.retry(retry);
        }
        if (hedge != null) {
            b.hedge(hedge);
        }
        if (concurrencyLimit != null) {
            b.concurrencyLimit(concurrencyLimit);
        }
        for (NodeConfig n : nodes) {
            Node.Builder<E> node = Node.builder(n.id(), endpoint.apply(n)).weight(n.weight()).zone(n.zone());
            n.labels().forEach(node::label);
            b.node(node.build());
        }
        if (healthCheck != null) {
            HealthCheck<E> hc = healthCheck.apply(probes.apply(healthCheck));
            b.healthCheck(hc);
        }
        return b;
    }
}
