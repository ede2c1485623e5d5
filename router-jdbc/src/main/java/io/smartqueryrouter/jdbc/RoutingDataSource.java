package io.smartqueryrouter.jdbc;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.ProbeKinds;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.jdbc.internal.ConnectionRouter;
import io.smartqueryrouter.jdbc.internal.LogicalConnection;
import io.smartqueryrouter.jdbc.internal.NodeDataSources;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * One {@link DataSource} over several database nodes, each given as its own {@code DataSource}
 * (usually one connection pool per node): writes go to the primary, reads to the best replica by
 * measured latency, dead and lagging nodes are avoided, and nothing is retried where that could
 * lose or duplicate a write.
 *
 * <pre>{@code
 * RoutingDataSource ds = RoutingDataSource.builder("orders-db")
 *     .primary("pg-primary", primaryPool)
 *     .replica("pg-replica-1", replicaPool1)
 *     .replica("pg-replica-2", replicaPool2)
 *     .policy(RoutingPolicies.p2cPeakEwma())
 *     .healthCheck(HealthCheck.of(JdbcProbes.postgres()).interval(Duration.ofSeconds(2)))
 *     .maxReplicaLag(Duration.ofSeconds(5))
 *     .build();
 * try (Connection c = ds.getConnection()) {
 *     c.setReadOnly(true);                       // before first use: goes to the best replica
 *     ...
 * }
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
 *       (SQLState class 08, 57P01-57P03, a transient connection exception such as a pool timeout).
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
 * The pools given are not closed by {@link #close()} unless {@link Builder#closeDataSourcesOnClose(boolean)}.
 */
public final class RoutingDataSource implements DataSource, AutoCloseable {
    /** The probe kinds a JDBC data source's configuration may name. */
    static final ProbeKinds<DataSource> PROBES = ProbeKinds.<DataSource>builder("a JDBC data source")
            .kind(ProbeKinds.POSTGRES, (owner, health) -> JdbcProbes.postgres())
            .kind(ProbeKinds.JDBC, (owner, health) -> JdbcProbes.isValid())
            .build();

    private final ConnectionRouter connections;
    private final List<DataSource> owned;
    private volatile PrintWriter logWriter;
    private volatile int loginTimeoutSeconds;

    private RoutingDataSource(ConnectionRouter connections, List<DataSource> owned) {
        this.connections = connections;
        this.owned = owned;
    }

    /**
     * Returns a builder for a data source with the given name (used in messages, logs and as the
     * router's name).
     *
     * @param name the data source's name, which must be a valid router name
     * @return a builder with no node, reads falling back to the primary, configured roles and no lag limit
     * @throws IllegalArgumentException if the name is not a valid router name
     * @throws NullPointerException if {@code name} is null
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * Returns a data source built from configuration ({@code router-yaml}, or a {@link RouterConfig}
     * made by hand), named after the router:
     * <ul>
     *   <li>each node's {@code url} is a JDBC URL, its {@code user} and {@code password} properties the
     *       credentials, its {@code role} label {@code primary} or {@code replica}, its weight kept;
     *   <li>each node gets a HikariCP pool named {@code <router>-<node id>} when HikariCP is on the
     *       class path (found by reflection; on the module path, resolve module
     *       {@code com.zaxxer.hikari}), which tries no connection at start so a node that is down does
     *       not stop the application; otherwise a data source that opens a connection through
     *       {@link java.sql.DriverManager} on every use (no pooling);
     *   <li>the health check's probe kind is {@code postgres} ({@link JdbcProbes#postgres()}: roles and
     *       replica lag) or {@code jdbc} ({@link JdbcProbes#isValid()});
     *   <li>policy and outlier ejection as configured; retry as configured, or when the configuration
     *       has none the data source's own default: every node may be tried once, no budget;
     *   <li>no hedging: a configuration with a {@link RouterConfig#hedge() hedge} is refused, since a JDBC
     *       statement is in general not safe to run twice (hedging is for HTTP routers).
     * </ul>
     * {@link #close()} closes the pools. If building fails, the pools already opened are closed.
     *
     * <pre>{@code
     * RoutingDataSource ds = RoutingDataSource.fromConfig(RouterYaml.load(Path.of("routers.yaml")).router("orders-db"));
     * }</pre>
     *
     * @param config the router's configuration; its name becomes the data source's
     * @return the data source, health checking started if configured; close it when done
     * @throws IllegalArgumentException if the configuration hedges, a node has no role label or another
     *     role, the probe kind is neither postgres nor jdbc, the policy is not registered, or HikariCP
     *     refuses a node's settings; the message names the data source and the node
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
        Builder b = builder(name).policy(config.policy()).outlierEjection(config.outlierEjection())
                .closeDataSourcesOnClose(true);
        if (config.retry() != null) {
            b.retry(config.retry());
        }
        if (config.healthCheck() != null) {
            b.healthCheck(config.healthCheck().apply(PROBES.probe("data source '" + name + "'", config.healthCheck())));
        }
        // every role checked before any pool is opened
        List<NodeRole> roles = new ArrayList<>();
        for (NodeConfig n : config.nodes()) {
            String label = n.labels().get(ConnectionRouter.ROLE_LABEL);
            NodeRole role = NodeRole.ofLabel(label);
            if (role == null) {
                throw new IllegalArgumentException("data source '" + name + "': node '" + n.id()
                        + "': label role must be primary or replica, but was " + (label == null ? "missing" : "'" + label + "'"));
            }
            roles.add(role);
        }
        List<DataSource> opened = new ArrayList<>();
        try {
            for (int i = 0; i < config.nodes().size(); i++) {
                NodeConfig n = config.nodes().get(i);
                DataSource ds = NodeDataSources.open(name, n);
                opened.add(ds);
                b.node(n.id(), ds, roles.get(i), n.weight());
            }
            return b.build();
        } catch (RuntimeException | Error e) {
            for (DataSource ds : opened) {
                if (ds instanceof AutoCloseable c) {
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
    }

    /** {@return the data source's name, also its router's name} */
    public String name() {
        return connections.name();
    }

    /** {@return the router underneath, for snapshots, listeners and metrics} */
    public Router<DataSource> router() {
        return connections.router();
    }

    /** {@return the state of every node, for people and dashboards} */
    public RouterSnapshot snapshot() {
        return connections.router().snapshot();
    }

    /**
     * Returns a logical connection; no node is contacted until its first use.
     *
     * @throws SQLException with SQLState 08003 if this data source is closed
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (connections.router().isClosed()) {
            throw new SQLException("data source '" + name() + "' is closed", "08003");
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
     * Stops health checking; logical connections still open keep working until closed. Closes the
     * nodes' data sources only if the builder was told to. Idempotent.
     */
    @Override
    public void close() {
        connections.router().close();
        for (DataSource ds : owned) {
            if (ds instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.getLogger(RoutingDataSource.class.getName()).log(System.Logger.Level.WARNING,
                            "data source '" + name() + "': closing a node's data source failed", e);
                }
            }
        }
        owned.clear();
    }

    @Override
    public String toString() {
        return "RoutingDataSource[" + name() + ", nodes=" + connections.router().nodes().stream().map(Node::id).toList() + "]";
    }

    /** Builds a {@link RoutingDataSource}; every setter validates at once. */
    public static final class Builder {
        private final RouterBuilder<DataSource> router;
        private final String name;
        private final Map<String, Node<DataSource>> nodes = new LinkedHashMap<>();
        private Duration maxReplicaLag;
        private boolean readsFallBackToPrimary = true;
        private boolean followRoles;
        private boolean closeDataSources;
        private RetryPolicy retry;

        private Builder(String name) {
            this.router = Router.builder(name);
            this.name = name;
        }

        /**
         * Adds a primary: writes go here. Its weight is 1.
         *
         * @param id the node's id, unique within this data source
         * @param dataSource gives the node's physical connections
         * @return this builder
         * @throws IllegalArgumentException if the id is blank or taken
         * @throws NullPointerException if {@code id} or {@code dataSource} is null
         */
        public Builder primary(String id, DataSource dataSource) {
            return node(id, dataSource, NodeRole.PRIMARY, 1);
        }

        /**
         * Adds a replica: reads go here. Its weight is 1.
         *
         * @param id the node's id, unique within this data source
         * @param dataSource gives the node's physical connections
         * @return this builder
         * @throws IllegalArgumentException if the id is blank or taken
         * @throws NullPointerException if {@code id} or {@code dataSource} is null
         */
        public Builder replica(String id, DataSource dataSource) {
            return node(id, dataSource, NodeRole.REPLICA, 1);
        }

        /**
         * Adds a node with a role and a weight.
         *
         * @param id the node's id, unique within this data source
         * @param dataSource gives the node's physical connections
         * @param role the configured role: {@link NodeRole#PRIMARY} takes writes, {@link NodeRole#REPLICA} reads
         * @param weight the node's share of traffic among nodes of its role, at least 1
         * @return this builder
         * @throws IllegalArgumentException if the id is blank or taken, or the weight is not positive
         * @throws NullPointerException if {@code id}, {@code dataSource} or {@code role} is null
         */
        public Builder node(String id, DataSource dataSource, NodeRole role, int weight) {
            Objects.requireNonNull(role, () -> "data source '" + name + "': role of node '" + id + "' must not be null");
            Node<DataSource> node = Node.builder(id, dataSource).weight(weight)
                    .label(ConnectionRouter.ROLE_LABEL, role.label()).build();
            router.node(node);
            nodes.put(id, node);
            return this;
        }

        /**
         * Sets the routing policy among eligible nodes (default {@code p2c-peak-ewma}).
         *
         * @param policy picks a node among those the statement's role allows
         * @return this builder
         * @throws NullPointerException if {@code policy} is null
         */
        public Builder policy(RoutingPolicy policy) {
            router.policy(policy);
            return this;
        }

        /**
         * Sets the routing policy by registered name (see {@link io.smartqueryrouter.core.RoutingPolicies#byName}).
         *
         * @param policyName the name a routing policy provider registered, such as {@code "least-in-flight"}
         * @return this builder
         * @throws IllegalArgumentException if no policy is registered under that name
         * @throws NullPointerException if {@code policyName} is null
         */
        public Builder policy(String policyName) {
            router.policy(policyName);
            return this;
        }

        /**
         * Turns on active health checking, e.g. {@code HealthCheck.of(JdbcProbes.postgres())}.
         * Default off: every node counts as healthy, in its configured role, with no lag.
         *
         * @param healthCheck the probe and its schedule
         * @return this builder
         * @throws IllegalArgumentException if its timeout is longer than its interval
         * @throws NullPointerException if {@code healthCheck} is null
         */
        public Builder healthCheck(HealthCheck<DataSource> healthCheck) {
            router.healthCheck(healthCheck);
            return this;
        }

        /**
         * Gives no reads to replicas whose replay lag (as the health probe reports it) exceeds
         * {@code maxLag} (default: no limit).
         *
         * @param maxLag the most replay lag a replica may report and still take reads; zero allows none
         * @return this builder
         * @throws IllegalArgumentException if negative
         * @throws NullPointerException if {@code maxLag} is null
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
         * @param fallBack {@code true} to send such reads to the primary; {@code false} keeps reads on
         *     replicas, trying those that health checks or ejection took out before failing
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
         * @param follow {@code true} to route by the observed role, {@code false} by the configured one
         * @return this builder
         */
        public Builder followRoles(boolean follow) {
            this.followRoles = follow;
            return this;
        }

        /**
         * Sets how taking a physical connection fails over (default: every node may be tried once,
         * no retry budget: taking a connection is always safe to repeat elsewhere).
         *
         * @param retry the attempts taking a connection may make, and the budget that caps them
         * @return this builder
         * @throws NullPointerException if {@code retry} is null
         */
        public Builder retry(RetryPolicy retry) {
            this.retry = Objects.requireNonNull(retry, () -> "data source '" + name + "': retry must not be null");
            return this;
        }

        /**
         * Sets passive outlier ejection (default {@link OutlierEjection#defaults()}).
         *
         * @param ejection when to eject a failing node and for how long
         * @return this builder
         * @throws NullPointerException if {@code ejection} is null
         */
        public Builder outlierEjection(OutlierEjection ejection) {
            router.outlierEjection(ejection);
            return this;
        }

        /**
         * Sets the router's clock (tests); default {@link Ticker#system()}.
         *
         * @param ticker the source of nanosecond time
         * @return this builder
         * @throws NullPointerException if {@code ticker} is null
         */
        public Builder ticker(Ticker ticker) {
            router.ticker(ticker);
            return this;
        }

        /**
         * Adds a listener for the router's events.
         *
         * @param listener receives the router's events
         * @return this builder
         * @throws NullPointerException if {@code listener} is null
         */
        public Builder listener(RouterListener listener) {
            router.listener(listener);
            return this;
        }

        /**
         * Whether {@link RoutingDataSource#close()} closes the nodes' data sources too (default false).
         *
         * @param close {@code true} to close each node's data source that is {@link AutoCloseable}
         * @return this builder
         */
        public Builder closeDataSourcesOnClose(boolean close) {
            this.closeDataSources = close;
            return this;
        }

        /**
         * Builds the data source and starts health checking, if configured.
         *
         * @return the data source; close it when done
         * @throws IllegalStateException if no primary and no replica was added
         */
        public RoutingDataSource build() {
            if (nodes.isEmpty()) {
                throw new IllegalStateException("data source '" + name + "' needs at least one node: add primary(..) or replica(..)");
            }
            router.retry(retry != null ? retry
                    : RetryPolicy.builder().maxAttempts(Math.min(100, nodes.size())).budget(RetryBudget.unlimited()).build());
            ConnectionRouter connections = new ConnectionRouter(name, router.build(), maxReplicaLag,
                    readsFallBackToPrimary, followRoles);
            List<DataSource> owned = new ArrayList<>();
            if (closeDataSources) {
                nodes.values().forEach(n -> owned.add(n.endpoint()));
            }
            return new RoutingDataSource(connections, owned);
        }
    }
}
