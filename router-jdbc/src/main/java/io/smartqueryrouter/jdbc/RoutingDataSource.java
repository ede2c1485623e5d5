package io.smartqueryrouter.jdbc;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import io.smartqueryrouter.core.config.ProbeKinds;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.jdbc.internal.ConnectionRouter;
import io.smartqueryrouter.jdbc.internal.LogicalConnection;
import io.smartqueryrouter.jdbc.internal.NodeDataSources;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One {@link DataSource} over several database nodes, each given as its own {@code DataSource}
 * (usually one connection pool per node): writes go to the primary, reads to the best replica by
 * measured latency, dead and lagging nodes are avoided, and nothing is retried where that could
 * lose or duplicate a write.
 *
 * <p>Like every adapter, it is handed a built {@link Router}: the router holds the nodes (their
 * roles in a label, see {@link JdbcNodes}), the policy, health check, outlier ejection and retry;
 * the data source adds only what is JDBC's.
 *
 * <pre>{@code
 * Router<DataSource> router = Router.<DataSource>builder("orders-db")
 *     .node(JdbcNodes.primary("pg-primary", primaryPool))
 *     .node(JdbcNodes.replica("pg-replica-1", replicaPool1))
 *     .node(JdbcNodes.replica("pg-replica-2", replicaPool2))
 *     .healthCheck(HealthCheck.of(JdbcProbes.postgres()).interval(Duration.ofSeconds(2)))
 *     .retry(RoutingDataSource.failoverRetry(3))
 *     .build();
 * RoutingDataSource ds = RoutingDataSource.builder(router)
 *     .maxReplicaLag(Duration.ofSeconds(5))
 *     .build();
 * try (Connection c = ds.getConnection()) {
 *     c.setReadOnly(true);                       // before first use: goes to the best replica
 *     ...
 * }
 * // at shutdown: ds.close(), then router.close() (the router is yours)
 * }</pre>
 *
 * <p>Routing rules:
 * <ul>
 *   <li>{@link #getConnection()} returns a logical connection; the physical one is taken at first
 *       use (a statement, metadata, {@code setAutoCommit(false)}...): from a replica when
 *       {@code setReadOnly(true)} came first, else from the primary. Reads fall back to the primary
 *       when no replica can take them, unless {@link Builder#readsFallBackToPrimary(boolean)} says no.
 *   <li>A connection stays on its node. Changing read-only inside a transaction is refused
 *       (SQLState 25001); between transactions the connection moves to the right kind of node.
 *   <li>Taking a physical connection fails over to the next node on a connection-class failure
 *       (SQLState class 08, 57P01-57P03, a transient connection exception such as a pool timeout),
 *       within the router's {@link RetryPolicy} ({@link #failoverRetry(int)} tries every node once).
 *       Authentication and configuration errors (class 28, 3D000) are thrown at once.
 *   <li>Statements are timed to feed each node's latency statistics; one that fails with a
 *       connection-class error marks the node and the connection broken and is thrown. Nothing
 *       is ever re-executed.
 *   <li>With a health check whose probe reports roles and lag ({@link JdbcProbes#postgres()}), a
 *       replica lagging more than {@link Builder#maxReplicaLag} gets no reads until it catches up,
 *       and a node whose real role differs from its configured one gets no writes (unless
 *       {@link Builder#followRoles(boolean)}).
 *   <li>When no node can give a connection: {@link SQLException} with SQLState 08001 naming the
 *       data source and every node tried, each cause suppressed.
 * </ul>
 * {@link #close()} does not close a router it was handed, nor the pools unless
 * {@link Builder#closeDataSourcesOnClose(boolean)}; a data source made by {@link #fromConfig} owns
 * both its router and its pools and closes them.
 */
public final class RoutingDataSource implements DataSource, AutoCloseable {
    /** The probe kinds a JDBC data source's configuration may name. */
    static final ProbeKinds<DataSource> PROBES = ProbeKinds.<DataSource>builder("a JDBC data source")
            .kind(ProbeKinds.POSTGRES, (owner, health) -> JdbcProbes.postgres())
            .kind(ProbeKinds.JDBC, (owner, health) -> JdbcProbes.isValid())
            .build();

    private final ConnectionRouter connections;
    private final boolean ownsRouter;
    private final boolean closeDataSources;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile PrintWriter logWriter;
    private volatile int loginTimeoutSeconds;

    private RoutingDataSource(ConnectionRouter connections, boolean ownsRouter, boolean closeDataSources) {
        this.connections = connections;
        this.ownsRouter = ownsRouter;
        this.closeDataSources = closeDataSources;
    }

    /**
     * Returns a builder for a data source over {@code router}, whose nodes' endpoints are the
     * nodes' data sources and whose {@value JdbcNodes#ROLE_LABEL} labels say their roles (see
     * {@link JdbcNodes}). The data source takes the router's name. The router stays the caller's:
     * the data source never closes it.
     *
     * @param router the built router over the nodes' data sources
     * @return the builder of the JDBC options
     * @throws NullPointerException if {@code router} is null
     */
    public static Builder builder(Router<DataSource> router) {
        return new Builder(Objects.requireNonNull(router, "RoutingDataSource: router must not be null"), false);
    }

    /**
     * The retry policy for a data source's router: taking a physical connection may be tried on
     * every node once ({@code nodeCount} attempts, at most 100), with no retry budget, since taking
     * a connection is always safe to repeat elsewhere and statements are never retried.
     * {@link #fromConfig} uses it when the configuration names no retry; a router built without one
     * follows {@link RetryPolicy#defaults()} (3 attempts, within the default budget).
     *
     * @param nodeCount how many nodes a connection may be sought on
     * @return the retry policy, for {@code RouterBuilder.retry}
     * @throws IllegalArgumentException if {@code nodeCount} is not positive
     */
    public static RetryPolicy failoverRetry(int nodeCount) {
        if (nodeCount < 1) {
            throw new IllegalArgumentException("RoutingDataSource: failoverRetry nodeCount must be > 0, but was " + nodeCount);
        }
        return RetryPolicy.builder().maxAttempts(Math.min(100, nodeCount)).budget(RetryBudget.unlimited()).build();
    }

    /**
     * Returns a data source built from configuration ({@code router-yaml}, or a {@link RouterConfig}
     * made by hand) over a router it builds ({@link RouterConfig#newRouterBuilder}) and owns, named
     * after the router:
     * <ul>
     *   <li>each node's {@code url} is a JDBC URL, its {@code user} and {@code password} properties the
     *       credentials, its {@code role} label {@code primary} or {@code replica}, its weight kept;
     *   <li>each node gets a HikariCP pool named {@code <router>-<node id>} with the node's
     *       {@link RouterConfig#poolOf pool settings} (its own, else the router's, else
     *       {@link PoolConfig#defaults()}: 10 connections, 2 idle, a 3 s connection timeout), which tries no
     *       connection at start so a node that is down does not stop the application. HikariCP
     *       ({@code com.zaxxer:HikariCP}) must be on the class path (on the module path, resolve module
     *       {@code com.zaxxer.hikari}): without it this method refuses, naming the artifact to add;
     *   <li>when a database refuses the credentials or the database name (SQLState class 28, 3D000),
     *       {@code getConnection()} and the first statement fail at once with the driver's message,
     *       credentials hidden, rather than after the connection timeout; the node is not marked down for
     *       the other callers (a warning is logged once); every message a pool or driver produces has any
     *       credential in a URL ({@code user:password@}, {@code password=}...) hidden;
     *   <li>the health check's probe kind is {@code postgres} ({@link JdbcProbes#postgres()}: roles and
     *       replica lag) or {@code jdbc} ({@link JdbcProbes#isValid()});
     *   <li>policy and outlier ejection as configured; retry as configured, or when the configuration
     *       has none {@link #failoverRetry(int)}: every node may be tried once, no budget;
     *   <li>no hedging: a configuration with a {@link RouterConfig#hedge() hedge} is refused, since a JDBC
     *       statement is in general not safe to run twice (hedging is for HTTP routers).
     * </ul>
     * {@link #close()} closes the router and the pools. If building fails, the pools already opened are
     * closed.
     *
     * <pre>{@code
     * RoutingDataSource ds = RoutingDataSource.fromConfig(RouterYaml.load(Path.of("routers.yaml")).router("orders-db"));
     * }</pre>
     *
     * @param config the router's configuration, with JDBC URLs
     * @return the data source, owning its router and pools
     * @throws IllegalArgumentException if the configuration hedges, a node has no role label or another
     *     role, the probe kind is neither postgres nor jdbc, the policy is not registered, no JDBC driver
     *     accepts a node's URL, or HikariCP refuses a node's settings; the message names the data source
     *     and the node, and shows no credential
     * @throws IllegalStateException if HikariCP is not on the class path
     * @throws NullPointerException if {@code config} is null
     */
    public static RoutingDataSource fromConfig(RouterConfig config) {
        Objects.requireNonNull(config, "config must not be null");
        String name = config.name();
        if (config.hedge() != null && config.hedge().isEnabled()) {
            // a hedge sends the same work to a second node: fine for an idempotent HTTP call, not for SQL
            throw new IllegalArgumentException("data source '" + name + "': hedging applies to HTTP routers only, "
                    + "but router '" + name + "' configures it (" + config.hedge() + "); a routing data source never "
                    + "hedges, since a JDBC statement is not safe to run twice in general: remove the hedge section");
        }
        // the probe kind and every role checked before any pool is opened
        HealthProbe<DataSource> probe = config.healthCheck() == null ? null
                : PROBES.probe("data source '" + name + "'", config.healthCheck());
        for (NodeConfig n : config.nodes()) {
            checkRole(name, n.id(), n.labels().get(ConnectionRouter.ROLE_LABEL));
        }
        NodeDataSources.requireHikari(name, RoutingDataSource.class.getClassLoader());
        List<DataSource> opened = new ArrayList<>();
        Router<DataSource> router = null;
        try {
            RouterBuilder<DataSource> rb = config.newRouterBuilder(n -> {
                DataSource ds = NodeDataSources.open(name, n, config.poolOf(n));
                opened.add(ds);
                return ds;
            }, healthCheck -> probe);
            if (config.retry() == null && !config.nodes().isEmpty()) {
                rb.retry(failoverRetry(config.nodes().size()));
            }
            router = rb.build();
            return new Builder(router, true).closeDataSourcesOnClose(true).build();
        } catch (RuntimeException | Error e) {
            if (router != null) {
                router.close();
            }
            for (DataSource ds : opened) {
                closeQuietly(ds, e);
            }
            throw e;
        }
    }

    private static void closeQuietly(DataSource ds, Throwable failure) {
        if (ds instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /** Refuses a role label that is neither primary nor replica, naming the node, the label and what is allowed. */
    static void checkRole(String dataSource, String nodeId, String label) {
        if (NodeRole.ofLabel(label) == null) {
            throw new IllegalArgumentException("data source '" + dataSource + "': node '" + nodeId + "': label "
                    + ConnectionRouter.ROLE_LABEL + " must be primary or replica, but was "
                    + (label == null ? "missing" : "'" + label + "'"));
        }
    }

    /**
     * Returns the data source's name: its router's.
     *
     * @return the name
     */
    public String name() {
        return connections.name();
    }

    /**
     * Returns the router underneath (the one handed to {@link #builder(Router)}, or the one
     * {@link #fromConfig} built), for snapshots, listeners and metrics.
     *
     * @return the router
     */
    public Router<DataSource> router() {
        return connections.router();
    }

    /**
     * Returns the state of every node, for people and dashboards.
     *
     * @return the router's snapshot
     */
    public RouterSnapshot snapshot() {
        return connections.router().snapshot();
    }

    /**
     * Returns a logical connection; no node is contacted until its first use.
     *
     * @throws SQLException with SQLState 08003 if this data source or its router is closed
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (connections.isClosed()) {
            throw new SQLException("data source '" + name() + "' is closed"
                    + (isClosed() ? "" : ": its router is closed"), "08003");
        }
        return new LogicalConnection(connections);
    }

    /**
     * Not supported: credentials belong to each node's own data source.
     *
     * @throws SQLFeatureNotSupportedException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("data source '" + name()
                + "': credentials are set on each node's data source; use getConnection()");
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    /** Stored for callers that read it back; each node's data source has its own login timeout. */
    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("data source '" + name() + "' logs through SLF4J");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("data source '" + name() + "' does not wrap a " + iface.getName()
                + "; its nodes' data sources are in router().nodes()");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    /**
     * Returns whether {@link #close()} was called.
     *
     * @return whether this data source is closed (its router may still be open)
     */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Takes no more connections; logical connections still open keep working until closed. Does not
     * close a router handed to {@link #builder(Router)} (its owner does); closes the router that
     * {@link #fromConfig} built. Closes the data sources of the router's nodes (those it has now) only if
     * {@link Builder#closeDataSourcesOnClose(boolean)}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        connections.close();
        List<Node<DataSource>> nodes = connections.router().nodes();
        if (ownsRouter) {
            connections.router().close();
        }
        if (!closeDataSources) {
            return;
        }
        for (Node<DataSource> n : nodes) {
            if (n.endpoint() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.getLogger(RoutingDataSource.class.getName()).log(System.Logger.Level.WARNING,
                            "data source '" + name() + "': closing the data source of node '" + n.id() + "' failed", e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "RoutingDataSource[" + name() + ", nodes=" + connections.router().nodes().stream().map(Node::id).toList() + "]";
    }

    /**
     * Builds a {@link RoutingDataSource} over a router; every setter validates at once, {@link #build()}
     * checks the router.
     */
    public static final class Builder {
        private final Router<DataSource> router;
        private final boolean ownsRouter;
        private final String name;
        private Duration maxReplicaLag;
        private boolean readsFallBackToPrimary = true;
        private boolean followRoles;
        private boolean closeDataSources;

        private Builder(Router<DataSource> router, boolean ownsRouter) {
            this.router = router;
            this.ownsRouter = ownsRouter;
            this.name = router.name();
        }

        /**
         * Gives no reads to replicas whose replay lag (as the health probe reports it) exceeds
         * {@code maxLag} (default: no limit).
         *
         * @param maxLag the most replay lag a replica may have and still take reads
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxReplicaLag(Duration maxLag) {
            Objects.requireNonNull(maxLag, () -> "data source '" + name + "': maxReplicaLag must not be null");
            if (maxLag.isNegative()) {
                throw new IllegalArgumentException("data source '" + name + "': maxReplicaLag must be >= 0, but was " + maxLag);
            }
            this.maxReplicaLag = maxLag;
            return this;
        }

        /**
         * Whether reads go to the primary when no replica can take them (default true).
         *
         * @param fallBack false to fail such reads (SQLState 08001) instead
         * @return this builder
         */
        public Builder readsFallBackToPrimary(boolean fallBack) {
            this.readsFallBackToPrimary = fallBack;
            return this;
        }

        /**
         * Whether to route by the role the health probe observes rather than the configured one,
         * so a promoted replica takes writes (default false: a node whose real role differs from
         * its configured one gets no writes).
         *
         * @param follow whether to follow the observed role
         * @return this builder
         */
        public Builder followRoles(boolean follow) {
            this.followRoles = follow;
            return this;
        }

        /**
         * Whether {@link RoutingDataSource#close()} closes the data sources of the router's nodes too
         * (default false). It never closes a router handed to {@link RoutingDataSource#builder(Router)}.
         *
         * @param close whether to close them
         * @return this builder
         */
        public Builder closeDataSourcesOnClose(boolean close) {
            this.closeDataSources = close;
            return this;
        }

        /**
         * Builds the data source over the router's nodes. Replicas only are accepted (a read-only data
         * source; writes find no node unless {@link #followRoles(boolean)} and a probe reports a
         * primary). A node added to the router later must have a role label too; one without gets no
         * connections (and a warning in the log).
         *
         * @return the data source
         * @throws IllegalStateException if the router has no node, or is closed
         * @throws IllegalArgumentException if a node's {@value JdbcNodes#ROLE_LABEL} label is missing or
         *     neither primary nor replica (the message names the node and the label), or the router
         *     hedges (a JDBC statement is not safe to run twice)
         */
        public RoutingDataSource build() {
            if (router.isClosed()) {
                throw new IllegalStateException("data source '" + name + "': router '" + name + "' is closed");
            }
            List<Node<DataSource>> nodes = router.nodes();
            if (nodes.isEmpty()) {
                throw new IllegalStateException("data source '" + name + "' needs at least one node: add "
                        + "JdbcNodes.primary(..) or JdbcNodes.replica(..) to router '" + name + "'");
            }
            for (Node<DataSource> n : nodes) {
                checkRole(name, n.id(), n.labels().get(ConnectionRouter.ROLE_LABEL));
            }
            if (router.hedgePolicy().isEnabled()) {
                throw new IllegalArgumentException("data source '" + name + "': router '" + name + "' hedges ("
                        + router.hedgePolicy() + "); a routing data source never hedges, since a JDBC statement is not "
                        + "safe to run twice in general: build the router without hedge(..)");
            }
            ConnectionRouter connections = new ConnectionRouter(name, router, maxReplicaLag, readsFallBackToPrimary,
                    followRoles);
            return new RoutingDataSource(connections, ownsRouter, closeDataSources);
        }
    }
}
