package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.BoundNode;
import io.smartqueryrouter.core.NoAvailableNodeException;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeGroup;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RoutedCall;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Decides which node a physical connection comes from and takes it, failing over between nodes
 * when taking it fails for a connection-class reason. Also follows what health probes learn of
 * each node's real role and replication lag.
 */
public final class ConnectionRouter implements RouterListener {
    /** The node label holding a node's configured role. */
    public static final String ROLE_LABEL = "role";
    /** The probe attribute holding a node's observed role ("primary" or "replica"). */
    public static final String ROLE_ATTRIBUTE = "role";
    /** The probe attribute holding a replica's replay lag in milliseconds. */
    public static final String LAG_ATTRIBUTE = "lagMillis";

    private static final System.Logger LOG = System.getLogger(ConnectionRouter.class.getName());

    private final String name;
    private final Router<DataSource> router;
    private final long maxLagMillis;
    private final boolean readsFallBackToPrimary;
    private final boolean followRoles;
    private final Map<String, Observed> observed = new ConcurrentHashMap<>();
    /** The nodes writes may go to; its candidates are kept per view of the router, refreshed when a probe changes a role. */
    private final NodeGroup<DataSource> writes;
    /** The replicas reads may go to (not lagging too far); refreshed when a probe changes a role or a lag crosses the limit. */
    private final NodeGroup<DataSource> reads;
    /** Replicas that health checks or ejection took out: tried last, when nothing else gave a connection. */
    private final Predicate<Node<DataSource>> readableAndDown = n -> readable(n) && !up(n);
    /** Nodes that refused the data source's credentials or database lately (logged once each, until they accept). */
    private final Map<String, Boolean> refusing = new ConcurrentHashMap<>();
    private volatile boolean anyRefusing;
    private volatile boolean closed;
    /** Threads that take connections from nodes believed down, so no read waits longer than the limit; lazily made. */
    private ExecutorService connecting;

    /** What the latest passing probe said of a node. */
    private record Observed(String role, long lagMillis) {
    }

    /**
     * Where a taken connection goes (the logical connection, so that taking one allocates no holder),
     * and where the nodes that gave none are noted.
     */
    public interface Taker {
        /**
         * Receives the physical connection and the node it came from, to which later statements are bound.
         *
         * @param connection the physical connection
         * @param node the binding to its node; the taker closes it with the connection
         */
        void took(Connection connection, BoundNode<DataSource> node);

        /**
         * Notes a node that gave no connection, for the message if none does.
         *
         * @param failure the node's failure, naming it
         */
        void failedOn(SQLException failure);

        /**
         * Returns the failures noted since the last call, and forgets them.
         *
         * @return the failures, oldest first
         */
        List<SQLException> failures();
    }

    /**
     * @param maxReplicaLag replicas lagging more get no reads; {@code null} for no limit
     */
    public ConnectionRouter(String name, Router<DataSource> router, Duration maxReplicaLag,
            boolean readsFallBackToPrimary, boolean followRoles) {
        this.name = name;
        this.router = router;
        this.maxLagMillis = maxReplicaLag == null ? Long.MAX_VALUE : maxReplicaLag.toMillis();
        this.readsFallBackToPrimary = readsFallBackToPrimary;
        this.followRoles = followRoles;
        this.writes = router.group("nodes taking writes", this::writable);
        this.reads = router.group("replicas taking reads", this::readable);
        router.addListener(this);
    }

    public String name() {
        return name;
    }

    public Router<DataSource> router() {
        return router;
    }

    /** Whether {@link #close()} was called or the router was closed. */
    public boolean isClosed() {
        return closed || router.isClosed();
    }

    /**
     * Takes no more physical connections and stops following the router's events; the router
     * itself is left open (whoever owns it closes it).
     */
    public void close() {
        closed = true;
        router.removeListener(this);
        synchronized (this) {
            if (connecting != null) {
                connecting.shutdown();
            }
        }
    }

    private synchronized ExecutorService connecting() {
        if (connecting == null) {
            connecting = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "smartqueryrouter-connect-" + name);
                t.setDaemon(true);
                return t;
            });
        }
        return connecting;
    }

    /**
     * Takes a connection from {@code node}. On a node the router believes down (unhealthy or ejected:
     * the read went there failing open or as a trial) it waits at most {@code limitNanos}, the wait
     * limit of the attempt ({@link Attempt#waitLimitNanos()}, {@link BoundNode#waitLimitNanos()}: the
     * health check's timeout), rather than the pool's whole connection timeout; a connection that
     * arrives later goes back to its pool.
     */
    private Connection connect(DataSource node, long limitNanos) throws SQLException {
        if (limitNanos == Long.MAX_VALUE) {
            return node.getConnection();
        }
        return connectWithin(node, limitNanos);
    }

    private Connection connectWithin(DataSource node, long limit) throws SQLException {
        CompletableFuture<Connection> taking = new CompletableFuture<>();
        try {
            connecting().execute(() -> {
                try {
                    taking.complete(node.getConnection());
                } catch (Throwable t) {
                    taking.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException closing) {
            throw new SQLException("data source '" + name + "' is closed", "08003", closing);
        }
        try {
            return taking.get(limit, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            taking.thenAccept(ConnectionRouter::giveBack);
            throw new SQLTransientConnectionException("no connection within " + TimeUnit.NANOSECONDS.toMillis(limit)
                    + " ms, the wait limit on a node the router believes down (its health check's timeout)", "08001");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            taking.thenAccept(ConnectionRouter::giveBack);
            throw new SQLException("interrupted while taking a connection", "HY008", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                throw sql;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw (Error) cause;
        }
    }

    private static void giveBack(Connection late) {
        try {
            late.close();
        } catch (SQLException e) {
            LOG.log(Level.DEBUG, () -> "a connection that came after its wait limit could not be closed: " + e);
        }
    }

    private String role(Node<DataSource> node) {
        Observed o = observed.get(node.id());
        return followRoles && o != null && o.role != null ? o.role : node.labels().get(ROLE_LABEL);
    }

    /** Reads go to replicas that are not lagging more than allowed. */
    boolean readable(Node<DataSource> node) {
        if (!"replica".equals(role(node))) {
            return false;
        }
        Observed o = observed.get(node.id());
        return o == null || o.lagMillis <= maxLagMillis;
    }

    /** Writes go to primaries that no probe has seen in recovery. */
    boolean writable(Node<DataSource> node) {
        if (!"primary".equals(role(node))) {
            return false;
        }
        Observed o = observed.get(node.id());
        return o == null || o.role == null || o.role.equals("primary");
    }

    /**
     * Takes a physical connection and hands it to {@code into}: from the best readable replica when
     * {@code readOnly} (from a primary when none is, if so configured), else from the best primary.
     *
     * @param readOnly whether the connection is for reads
     * @param into receives the connection and its node, and notes the nodes that gave none
     * @throws SQLException with SQLState 08001 naming every node tried when no node gave one; the
     *     node's own exception for authentication and configuration errors (a copy with its messages
     *     redacted if they carry credentials)
     */
    public void acquire(boolean readOnly, Taker into) throws SQLException {
        if (closed) {
            throw new SQLException("data source '" + name + "' is closed", "08003");
        }
        into.failures(); // what an earlier acquisition that threw may have left
        try {
            if (!readOnly) {
                if (!acquireFrom(writes, "writes", into)) {
                    throw noNode("writes", into.failures());
                }
                into.failures();
                return;
            }
            // replicas that are up first; then the primary, if reads may go there; only then, failing open,
            // replicas that health checks or ejection took out (they would likely make the caller wait)
            // one look at the replicas' kept candidates: none available, no binding, nothing counted
            BoundNode<DataSource> replica = router.bindFirstAvailable(reads);
            boolean took = replica != null && acquireFrom(replica, reads, into);
            if (!took && readsFallBackToPrimary) {
                LOG.log(Level.DEBUG, () -> "data source '" + name + "': no replica can take reads, falling back to the primary");
                took = acquireFrom(writes, "reads", into);
            }
            if (!took && reads.registered() > 0 && anyNode(readableAndDown)) {
                took = acquireFrom(readableAndDown, "reads", into);
            }
            if (!took) {
                throw noNode("reads", into.failures());
            }
            into.failures();
        } catch (IllegalStateException routerClosed) {
            // this data source closed meanwhile, or the router's owner closed the router under it
            throw new SQLException("data source '" + name + "' is closed" + (closed ? "" : ": its router is closed"),
                    "08003", routerClosed);
        }
    }

    private boolean anyNode(Predicate<Node<DataSource>> eligible) {
        for (Node<DataSource> n : router.nodes()) {
            if (eligible.test(n)) {
                return true;
            }
        }
        return false;
    }

    private boolean up(Node<DataSource> node) {
        NodeStats s = router.stats(node.id()).orElse(null);
        return s != null && s.healthy() && !s.ejected();
    }

    private SQLException noNode(String purpose, List<SQLException> failures) {
        String tried = failures.stream().map(SQLException::getMessage).collect(Collectors.joining("; "));
        SQLException e = new SQLException("data source '" + name + "': no node could give a connection for "
                + purpose + (failures.isEmpty() ? "" : "; tried " + tried), "08001");
        failures.forEach(e::addSuppressed);
        return e;
    }

    /**
     * Takes a connection from the best node {@code eligible} accepts. The first node is tried without a
     * {@link RoutedCall} ({@link Router#bindFirst}: most acquisitions succeed there, and then cost no call
     * object, no lock and no clock read beyond the pick); only when it gives no connection for a
     * connection-class reason does a call adopt that attempt and fail over as the call decides. The
     * I/O and the backoff's wait are all that happen here.
     */
    private boolean acquireFrom(Predicate<Node<DataSource>> eligible, String purpose, Taker into) throws SQLException {
        // taking a connection from a local pool says nothing of how fast the node answers queries, and opening
        // a new one is far slower than a query: only statements feed the latency (bindFirst's attempt is untimed)
        BoundNode<DataSource> first;
        try {
            first = router.bindFirst(eligible);
        } catch (NoAvailableNodeException e) {
            into.failedOn(new SQLException("no node for " + purpose + " (" + e.registered() + " registered, "
                    + e.healthy() + " healthy, " + e.ejected() + " ejected)", "08001"));
            return false;
        }
        return acquireFrom(first, eligible, into);
    }

    /** Takes a connection from the node of {@code first}, a binding of {@code eligible} whose first attempt runs. */
    private boolean acquireFrom(BoundNode<DataSource> first, Predicate<Node<DataSource>> eligible, Taker into)
            throws SQLException {
        Node<DataSource> node = first.node();
        SQLException e;
        try {
            Connection c = connect(node.endpoint(), first.waitLimitNanos());
            first.endFirst(Outcome.SUCCESS);
            if (anyRefusing) {
                accepted(node.id());
            }
            into.took(c, first);
            return true;
        } catch (SQLException thrown) {
            // a pool of the application's may quote its URL, credentials and all
            e = SqlFailures.redacted(thrown, null);
        } catch (RuntimeException | Error thrown) {
            first.endFirst(Outcome.FAILURE);
            first.close();
            throw thrown;
        }
        if (!SqlFailures.isConnectionFailure(e) || SqlFailures.isConfigurationFailure(e)) {
            first.endFirst(notFailedOver(node.id(), e));
            first.close();
            throw e;
        }
        // the first node gave none for a connection-class reason: a call takes its attempt over and fails over
        RoutedCall<DataSource> call = router.newCall(eligible, null);
        Attempt<DataSource> attempt = call.adopt(first);
        while (true) {
            String id = attempt.node().id();
            attempt.complete(Outcome.FAILURE);
            SQLException named = new SQLException("node '" + id + "': " + e.getMessage(), e.getSQLState(), e);
            into.failedOn(named);
            String state = named.getSQLState();
            LOG.log(Level.DEBUG, () -> "data source '" + name + "': node '" + id + "' gave no connection (" + state
                    + "), failing over");
            RoutedCall.Decision decision = call.failed(attempt, named, null);
            if (decision.action() != RoutedCall.Action.RETRY) {
                return false;
            }
            if (!decision.sleep()) {
                // interrupted while waiting to fail over: stop here, trying no other node
                call.cancel("interrupted");
                SQLException interrupted = new SQLException("data source '" + name + "': interrupted while failing over "
                        + "from node '" + id + "'", "HY008", new InterruptedException());
                into.failures().forEach(interrupted::addSuppressed);
                throw interrupted;
            }
            attempt = call.retry();
            if (attempt == null) {
                return false;
            }
            try {
                Connection c = connect(attempt.node().endpoint(), attempt.waitLimitNanos());
                attempt.complete(Outcome.SUCCESS);
                call.succeeded(attempt);
                if (anyRefusing) {
                    accepted(attempt.node().id());
                }
                into.took(c, router.bind(attempt));
                return true;
            } catch (SQLException thrown) {
                e = SqlFailures.redacted(thrown, null);
            } catch (RuntimeException | Error thrown) {
                attempt.complete(Outcome.FAILURE);
                throw thrown;
            }
            if (!SqlFailures.isConnectionFailure(e) || SqlFailures.isConfigurationFailure(e)) {
                attempt.complete(notFailedOver(attempt.node().id(), e));
                throw e;
            }
        }
    }

    /**
     * The outcome of an attempt whose failure ends the acquisition at once: a refusal of the credentials or
     * the database ({@code CLIENT_ERROR}, noted and logged once per node: every node would say the same),
     * or a failure that is not the connection's ({@code FAILURE}).
     */
    private Outcome notFailedOver(String id, SQLException e) {
        if (SqlFailures.isConfigurationFailure(e)) {
            refused(id, e);
            return Outcome.CLIENT_ERROR;
        }
        return Outcome.FAILURE;
    }

    /**
     * A node refused the credentials or the database: the caller gets the driver's error at once and the
     * node is not blamed (every node would say the same); said once in the log, not per call.
     */
    private void refused(String id, SQLException e) {
        if (refusing.putIfAbsent(id, Boolean.TRUE) == null) {
            anyRefusing = true;
            LOG.log(Level.WARNING, "data source '" + name + "': node '" + id + "' refuses its connections (SQLState "
                    + e.getSQLState() + ": " + SqlFailures.redact(e.getMessage()) + "); each call fails at once with "
                    + "this error and the node is not marked down, since every node would answer the same: fix the "
                    + "user, password or database name");
        }
    }

    private void accepted(String id) {
        if (refusing.remove(id) != null) {
            anyRefusing = !refusing.isEmpty();
            LOG.log(Level.INFO, "data source '" + name + "': node '" + id + "' accepts its connections again");
        }
    }

    @Override
    public void onHealthChecked(String routerName, Node<?> node, ProbeResult result, long durationNanos) {
        if (!result.healthy()) {
            return;
        }
        String role = result.attributes().get(ROLE_ATTRIBUTE);
        String lag = result.attributes().get(LAG_ATTRIBUTE);
        Observed now = new Observed(role, lag == null ? 0 : Long.parseLong(lag));
        @SuppressWarnings("unchecked")
        Node<DataSource> n = (Node<DataSource>) node;
        boolean wasReadable = readable(n);
        boolean wasWritable = writable(n);
        Observed before = observed.put(node.id(), now);
        if (readable(n) != wasReadable || writable(n) != wasWritable) {
            // what the groups' predicates answer for this node changed: their kept candidates are stale
            reads.refresh();
            writes.refresh();
        }
        String configured = node.labels().get(ROLE_LABEL);
        if (role != null && !role.equals(configured) && (before == null || !role.equals(before.role))) {
            LOG.log(Level.WARNING, "data source '" + name + "': node '" + node.id() + "' is configured as " + configured
                    + " but reports " + role + (followRoles ? "; following its real role" : "; it gets no writes"));
        }
        boolean lagging = now.lagMillis > maxLagMillis;
        boolean wasLagging = before != null && before.lagMillis > maxLagMillis;
        if (lagging != wasLagging) {
            LOG.log(Level.INFO, "data source '" + name + "': replica '" + node.id() + "' "
                    + (lagging ? "lags too far behind: no reads until it catches up" : "caught up: takes reads again")
                    + " (replay lag " + (now.lagMillis == Long.MAX_VALUE ? "unknown: it receives no WAL" : now.lagMillis + " ms")
                    + ", allowed " + maxLagMillis + " ms)");
        }
    }

    @Override
    public void onNodeAdded(String routerName, Node<?> node) {
        // the builder refused such nodes; one added to the router later is only warned about
        String role = node.labels().get(ROLE_LABEL);
        if (!"primary".equals(role) && !"replica".equals(role)) {
            LOG.log(Level.WARNING, () -> "data source '" + name + "': node '" + node.id() + "' has label " + ROLE_LABEL
                    + " " + (role == null ? "missing" : "'" + role + "'") + ", not primary or replica: it gets no "
                    + "connections" + (followRoles ? " until a health probe reports its role" : ""));
        }
    }

    @Override
    public void onNodeRemoved(String routerName, Node<?> node) {
        observed.remove(node.id());
        refusing.remove(node.id());
    }
}
