package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.BoundNode;
import io.smartqueryrouter.core.Outcome;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * The connection an application gets from the routing data source. It takes a physical
 * connection at first use: from a replica when {@link #setReadOnly read-only} was asked first,
 * else from the primary. It then stays on that node; between transactions (auto-commit on, or no
 * statement since the last commit or rollback) a change of read-only hands the physical
 * connection back and the next use takes one from the right kind of node. Settings made before
 * first use are applied to the physical connection; auto-commit is left as the pool sets it
 * unless the application sets it.
 *
 * <p>Every statement execution is timed as an attempt on the node, feeding its latency
 * statistics; a connection-class failure marks the node and this connection broken. Nothing is
 * re-executed. Like any JDBC connection, it is for one thread at a time.
 *
 * <p>When the physical connection is HikariCP's (its pool a {@code HikariDataSource} or a pool this
 * module made, HikariCP 6 or later), statements are made on the driver's connection behind HikariCP's
 * proxy, so that a statement is one layer of wrappers (this module's), not two; this connection then
 * does what HikariCP's statement layer would have: it keeps the statements open on the physical
 * connection (a field and an array, no lock: one thread at a time) and closes them when it hands the connection
 * back, rolls back a transaction left open then, and has HikariCP evict the connection on a failure
 * HikariCP would evict it for ({@link HikariStatements#fatal}). Settings (read-only, auto-commit,
 * isolation, catalog, schema, network timeout), commit, rollback, metadata and the rest still go
 * through HikariCP's proxy, which resets them when the connection goes back. Any other pool's
 * connection is used as it is.
 */
public final class LogicalConnection implements Connection, ConnectionRouter.Taker {
    /** Whether HikariCP's connections may be used directly ({@link HikariStatements}): HikariCP 6 or later is present. */
    private static final boolean HIKARI = NodeDataSources.hikariStatementsUsable();

    private final ConnectionRouter router;
    /** The physical connection, or null before first use and after a switch. */
    private Connection physical;
    /**
     * Where statements are made: {@link #physical}, or the driver's connection behind it when that is
     * HikariCP's proxy ({@link #hikari}); null when {@link #physical} is.
     */
    private Connection statements;
    /** The HikariCP pool {@link #physical} came from when statements are made behind its proxy, else null. */
    private DataSource hikari;
    /**
     * The statements made behind HikariCP's proxy and not closed yet: one here (most connections have no
     * more than one open at a time, and then keep nothing else), the others in {@link #moreOpen}.
     */
    private RoutedStatement open;
    /** More open statements, the first {@link #moreOpenCount} of them; made when a second one is open at once. */
    private RoutedStatement[] moreOpen;
    private int moreOpenCount;
    /** HikariCP was told to evict {@link #physical} (with {@link #hikari} only). */
    private boolean evicted;
    /** The node {@link #physical} came from; statements are timed as its attempts. */
    private BoundNode<DataSource> bound;
    /** The nodes that gave no connection during the acquisition under way, or null. */
    private List<SQLException> acquireFailures;
    private boolean closed;
    private SQLException broken;
    /**
     * A statement ran on the physical connection since it was taken or since the last commit, rollback or
     * {@code setAutoCommit(true)}: with auto-commit off, a transaction is open ({@link #inTransaction()}).
     */
    private boolean statementSinceCommit;
    /**
     * The physical connection's auto-commit, or null until something needs it: read from the connection
     * then (not when it is taken: most connections never need it, and asking is a call into the pool and
     * the driver) and followed since.
     */
    private Boolean physicalAutoCommit;
    /**
     * Counts the physical connections let go (a read-only switch, close, abort): a statement made on
     * an earlier one carries an older number and fails clearly instead of running on it.
     */
    private int generation;
    /** Why the latest physical connection was let go, for a statement made before: see {@link #staleStatement}. */
    private String releasedBecause;

    // requested settings, applied when the physical connection is taken
    private boolean readOnly;
    /** What the application asked for, or {@code null}: then the pool's own setting stands. */
    private Boolean autoCommit;
    /** The rarer settings, made on first use: most connections never set them, so they cost nothing. */
    private Settings settings;

    /** Settings asked for before first use, each {@code null} when not asked for. */
    private static final class Settings {
        Integer isolation;
        Integer holdability;
        String catalog;
        String schema;
        Executor networkTimeoutExecutor;
        Integer networkTimeoutMillis;
    }

    public LogicalConnection(ConnectionRouter router) {
        this.router = router;
    }

    // ---- routing state ----

    private Connection physical() throws SQLException {
        ensureOpen();
        if (physical == null) {
            router.acquire(readOnly, this);
            Connection c = physical;
            try {
                // a pool hands connections out as configured, read-write unless it is a replica's pool of
                // fromConfig or set so (HikariCP resets what a borrower changed): only a connection whose use
                // differs needs telling, and asking would cost a round trip on some drivers
                if (readOnly != (hikari != null && HikariStatements.readOnly(hikari))) {
                    c.setReadOnly(readOnly);
                }
                if (autoCommit != null && c.getAutoCommit() != autoCommit) {
                    c.setAutoCommit(autoCommit);
                }
                // behind HikariCP's proxy the pool's setting is known without asking: HikariCP's own rollback on
                // close decides on it too
                physicalAutoCommit = autoCommit != null || hikari == null ? autoCommit
                        : Boolean.valueOf(HikariStatements.autoCommit(hikari));
                if (settings != null) {
                    apply(settings, c);
                }
            } catch (SQLException | RuntimeException e) {
                bound.close();
                bound = null;
                physical = null;
                statements = null;
                hikari = null;
                release(c, e);
                throw e;
            }
        }
        return physical;
    }

    private static void apply(Settings s, Connection c) throws SQLException {
        if (s.isolation != null) {
            c.setTransactionIsolation(s.isolation);
        }
        if (s.holdability != null) {
            c.setHoldability(s.holdability);
        }
        if (s.catalog != null) {
            c.setCatalog(s.catalog);
        }
        if (s.schema != null) {
            c.setSchema(s.schema);
        }
        if (s.networkTimeoutMillis != null) {
            c.setNetworkTimeout(s.networkTimeoutExecutor, s.networkTimeoutMillis);
        }
    }

    private Settings settings() {
        if (settings == null) {
            settings = new Settings();
        }
        return settings;
    }

    @Override
    public void took(Connection connection, BoundNode<DataSource> node) {
        this.physical = connection;
        this.bound = node;
        this.statementSinceCommit = false;
        this.evicted = false;
        Connection on = connection;
        DataSource pool = null;
        if (HIKARI) {
            pool = HikariStatements.directPool(connection, node.node().endpoint());
            Connection driver = pool == null ? null : HikariStatements.driverConnection(connection);
            if (driver != null) {
                on = driver;
            } else {
                pool = null;
            }
        }
        this.statements = on;
        this.hikari = pool;
    }

    /** The connection statements are made on ({@link #statements}), the physical connection taken first if need be. */
    private Connection statements() throws SQLException {
        physical();
        return statements;
    }

    /** Notes a statement made behind HikariCP's proxy, to close it when the physical connection goes back. */
    private <S extends RoutedStatement> S opened(S statement) {
        if (hikari != null) {
            if (open == null) {
                open = statement;
            } else {
                if (moreOpen == null) {
                    moreOpen = new RoutedStatement[4];
                } else if (moreOpenCount == moreOpen.length) {
                    moreOpen = Arrays.copyOf(moreOpen, moreOpenCount * 2);
                }
                moreOpen[moreOpenCount++] = statement;
            }
        }
        return statement;
    }

    /** Forgets a statement that was closed; nothing if it is not among the open ones. */
    void closed(RoutedStatement statement) {
        if (statement == open) {
            open = null;
            return;
        }
        // newest first: statements are mostly closed in the reverse order of their making
        for (int i = moreOpenCount - 1; i >= 0; i--) {
            if (moreOpen[i] == statement) {
                moreOpen[i] = moreOpen[--moreOpenCount];
                moreOpen[moreOpenCount] = null;
                return;
            }
        }
    }

    /**
     * Returns {@code failure}, a statement's or result set's, after telling HikariCP to evict the physical
     * connection if it would have for this failure had it come through its proxies (statements made behind
     * them only); the connection is then broken.
     *
     * @param madeIn the {@link #generation()} the failing statement was made in: a statement of a physical
     *     connection let go since says nothing of the present one
     */
    SQLException failed(int madeIn, SQLException failure) {
        if (hikari != null && madeIn == generation && !evicted && HikariStatements.fatal(hikari, failure)) {
            evicted = true;
            if (broken == null) {
                broken = failure;
            }
            HikariStatements.evict(hikari, physical);
        }
        return failure;
    }

    /** Notes a change made through a result set (a row updated, inserted or deleted): a transaction may be open. */
    void wrote() {
        statementSinceCommit = true;
    }

    /** The physical connection's auto-commit, asked of it the first time. */
    private boolean physicalAutoCommit() throws SQLException {
        Boolean a = physicalAutoCommit;
        if (a == null) {
            a = physical.getAutoCommit();
            physicalAutoCommit = a;
        }
        return a;
    }

    /** Whether a transaction is open: a statement ran since the last commit or rollback, with auto-commit off. */
    private boolean inTransaction() throws SQLException {
        return statementSinceCommit && physical != null && !physicalAutoCommit();
    }

    @Override
    public void failedOn(SQLException failure) {
        if (acquireFailures == null) {
            acquireFailures = new ArrayList<>();
        }
        acquireFailures.add(failure);
    }

    @Override
    public List<SQLException> failures() {
        List<SQLException> f = acquireFailures == null ? List.of() : acquireFailures;
        acquireFailures = null;
        return f;
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("connection of data source '" + router.name() + "' is closed", "08003");
        }
        if (broken != null) {
            throw new SQLException("connection of data source '" + router.name() + "' to node '" + nodeId()
                    + "' is broken: " + broken.getMessage(), "08003", broken);
        }
    }

    private static void release(Connection c, Exception cause) {
        try {
            c.close();
        } catch (SQLException e) {
            if (cause != null) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Returns the id of the node the physical connection came from, or {@code null} before first use. */
    public String nodeId() {
        return bound == null ? null : bound.node().id();
    }

    /** {@return the number of physical connections let go so far; statements remember it when made} */
    int generation() {
        return generation;
    }

    /**
     * Begins the timing of one statement execution on this connection's node: an attempt with no object
     * to carry it ({@link BoundNode#start()}), so a statement allocates nothing for it.
     *
     * @param madeIn the {@link #generation()} the statement was made in
     * @throws SQLException with SQLState 08003 if this connection is closed or broken; 55000 if the
     *     statement was made on a physical connection this one has let go since
     */
    long beginStatement(int madeIn) throws SQLException {
        if (madeIn != generation || physical == null) {
            throw staleStatement(madeIn);
        }
        if (broken != null) {
            ensureOpen();
        }
        statementSinceCommit = true;
        return bound.start();
    }

    /** Ends the timing of a statement begun with {@link #beginStatement}. */
    void statementEnded(long start, Outcome outcome) {
        bound.end(start, outcome);
    }

    private SQLException staleStatement(int madeIn) throws SQLException {
        ensureOpen();
        // open, so the statement's physical connection was let go by a read-only switch
        return new SQLException("data source '" + router.name() + "': this statement was made before " + releasedBecause
                + "; the connection no longer runs it: create or prepare it again on this connection", "55000");
    }

    /**
     * Returns the outcome of a statement whose execution threw: the node's fault or the caller's
     * ({@link SqlFailures#classifyStatementFailure}), cancelled if the thread was interrupted; a
     * connection-class failure marks this connection broken.
     */
    Outcome statementFailed(Throwable failure) {
        Outcome outcome = Outcome.FAILURE;
        if (failure instanceof SQLException e) {
            outcome = SqlFailures.classifyStatementFailure(e);
            if (SqlFailures.isConnectionFailure(e)) {
                broken = e;
            }
            failed(generation, e);
        }
        return Thread.currentThread().isInterrupted() ? Outcome.CANCELLED : outcome;
    }

    /**
     * Lets the physical connection go, back to its pool (or aborted with {@code abortWith}): statements
     * made on it no longer run.
     */
    private void letGo(String because, Executor abortWith) throws SQLException {
        SQLException failure = hikari == null ? null : handBack(abortWith != null);
        Connection c = physical;
        BoundNode<DataSource> b = bound;
        physical = null;
        bound = null;
        statements = null;
        hikari = null;
        generation++;
        releasedBecause = because;
        b.close();
        if (abortWith != null) {
            c.abort(abortWith);
        } else {
            c.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * What HikariCP's proxy does when it is closed, for the statements it did not see: closes the
     * statements left open (a failure to close one has the connection evicted) and rolls back a transaction
     * left open (a statement ran since the last commit or rollback, auto-commit off), through the proxy.
     * An abort does neither: the driver's abort ends them.
     *
     * @return the rollback's failure, to throw once the connection is handed back, as HikariCP's close does
     */
    private SQLException handBack(boolean aborting) {
        for (int i = moreOpenCount - 1; i >= -1; i--) {
            RoutedStatement s = i >= 0 ? moreOpen[i] : open;
            if (s != null && !aborting && !evicted) {
                try {
                    s.closeDelegate();
                } catch (SQLException e) {
                    evicted = true;
                    HikariStatements.evict(hikari, physical);
                }
            }
            if (i >= 0) {
                moreOpen[i] = null;
            }
        }
        open = null;
        moreOpenCount = 0;
        if (aborting || evicted) {
            return null;
        }
        try {
            if (inTransaction()) {
                physical.rollback();
            }
            return null;
        } catch (SQLException e) {
            return e;
        }
    }

    // ---- the transaction and read-only rules ----

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        ensureOpen();
        if (physical != null && readOnly != this.readOnly) {
            if (inTransaction()) {
                throw new SQLException("data source '" + router.name() + "': cannot change read-only to " + readOnly
                        + " inside a transaction; commit or roll back first", "25001");
            }
            // between transactions: hand the physical connection back, the next use takes the right kind
            letGo("setReadOnly(" + readOnly + ") moved this connection off node '" + nodeId() + "'", null);
        }
        this.readOnly = readOnly;
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        ensureOpen();
        return readOnly;
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        ensureOpen();
        if (!autoCommit || physical != null) {
            // turning auto-commit off starts a transaction: it takes its node now (read-only may still
            // change until a statement runs)
            Connection c = physical();
            if (physicalAutoCommit() != autoCommit) {
                c.setAutoCommit(autoCommit);
                physicalAutoCommit = autoCommit;
            }
        }
        this.autoCommit = autoCommit;
        if (autoCommit) {
            statementSinceCommit = false;
        }
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        ensureOpen();
        if (physical == null && autoCommit != null) {
            return autoCommit;
        }
        // unknown before first use: the pool decides, so ask a connection
        return physical().getAutoCommit();
    }

    @Override
    public void commit() throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.commit();
        }
        statementSinceCommit = false;
    }

    @Override
    public void rollback() throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.rollback();
        }
        statementSinceCommit = false;
    }

    @Override
    public void close() throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (physical != null) {
            letGo("close()", null);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closed;
    }

    @Override
    public boolean isValid(int timeout) throws SQLException {
        if (timeout < 0) {
            throw new SQLException("timeout must be >= 0, but was " + timeout, "22023");
        }
        if (closed || broken != null) {
            return false;
        }
        return physical == null || physical.isValid(timeout);
    }

    @Override
    public void abort(Executor executor) throws SQLException {
        if (closed) {
            return;
        }
        closed = true;
        if (physical != null) {
            letGo("abort()", Objects.requireNonNull(executor, "executor"));
        }
    }

    // ---- settings recorded before first use ----

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.setTransactionIsolation(level);
        }
        settings().isolation = level;
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return physical == null && settings != null && settings.isolation != null ? settings.isolation
                : physical().getTransactionIsolation();
    }

    @Override
    public void setHoldability(int holdability) throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.setHoldability(holdability);
        }
        settings().holdability = holdability;
    }

    @Override
    public int getHoldability() throws SQLException {
        return physical == null && settings != null && settings.holdability != null ? settings.holdability
                : physical().getHoldability();
    }

    @Override
    public void setCatalog(String catalog) throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.setCatalog(catalog);
        }
        settings().catalog = catalog;
    }

    @Override
    public String getCatalog() throws SQLException {
        return physical == null && settings != null && settings.catalog != null ? settings.catalog : physical().getCatalog();
    }

    @Override
    public void setSchema(String schema) throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.setSchema(schema);
        }
        settings().schema = schema;
    }

    @Override
    public String getSchema() throws SQLException {
        return physical == null && settings != null && settings.schema != null ? settings.schema : physical().getSchema();
    }

    @Override
    public void setNetworkTimeout(Executor executor, int milliseconds) throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.setNetworkTimeout(executor, milliseconds);
        }
        settings().networkTimeoutExecutor = executor;
        settings().networkTimeoutMillis = milliseconds;
    }

    @Override
    public int getNetworkTimeout() throws SQLException {
        return physical == null && settings != null && settings.networkTimeoutMillis != null ? settings.networkTimeoutMillis
                : physical().getNetworkTimeout();
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        ensureOpen();
        return physical == null ? null : physical.getWarnings();
    }

    @Override
    public void clearWarnings() throws SQLException {
        ensureOpen();
        if (physical != null) {
            physical.clearWarnings();
        }
    }

    // ---- statements: timed ----

    @Override
    public Statement createStatement() throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedStatement(this, c.createStatement()));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedStatement(this, c.createStatement(resultSetType, resultSetConcurrency)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedStatement(this, c.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedPreparedStatement(this, c.prepareStatement(sql)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedPreparedStatement(this, c.prepareStatement(sql, resultSetType, resultSetConcurrency)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedPreparedStatement(this, c.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedPreparedStatement(this, c.prepareStatement(sql, autoGeneratedKeys)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedPreparedStatement(this, c.prepareStatement(sql, columnIndexes)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedPreparedStatement(this, c.prepareStatement(sql, columnNames)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedCallableStatement(this, c.prepareCall(sql)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedCallableStatement(this, c.prepareCall(sql, resultSetType, resultSetConcurrency)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency,
            int resultSetHoldability) throws SQLException {
        Connection c = statements();
        try {
            return opened(new RoutedCallableStatement(this, c.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability)));
        } catch (SQLException e) {
            throw failed(generation, e);
        }
    }

    // ---- everything else: on the physical connection ----

    @Override
    public String nativeSQL(String sql) throws SQLException {
        return physical().nativeSQL(sql);
    }

    @Override
    public DatabaseMetaData getMetaData() throws SQLException {
        return new RoutedMetaData(this, physical().getMetaData());
    }

    @Override
    public Map<String, Class<?>> getTypeMap() throws SQLException {
        return physical().getTypeMap();
    }

    @Override
    public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
        physical().setTypeMap(map);
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        return physical().setSavepoint();
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        return physical().setSavepoint(name);
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        physical().rollback(savepoint);
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        physical().releaseSavepoint(savepoint);
    }

    @Override
    public Clob createClob() throws SQLException {
        return physical().createClob();
    }

    @Override
    public Blob createBlob() throws SQLException {
        return physical().createBlob();
    }

    @Override
    public NClob createNClob() throws SQLException {
        return physical().createNClob();
    }

    @Override
    public SQLXML createSQLXML() throws SQLException {
        return physical().createSQLXML();
    }

    @Override
    public Array createArrayOf(String typeName, Object[] elements) throws SQLException {
        return physical().createArrayOf(typeName, elements);
    }

    @Override
    public Struct createStruct(String typeName, Object[] attributes) throws SQLException {
        return physical().createStruct(typeName, attributes);
    }

    @Override
    public void setClientInfo(String name, String value) throws SQLClientInfoException {
        try {
            physical().setClientInfo(name, value);
        } catch (SQLClientInfoException e) {
            throw e;
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(), e);
        }
    }

    @Override
    public void setClientInfo(Properties properties) throws SQLClientInfoException {
        try {
            physical().setClientInfo(properties);
        } catch (SQLClientInfoException e) {
            throw e;
        } catch (SQLException e) {
            throw new SQLClientInfoException(e.getMessage(), e.getSQLState(), Map.of(), e);
        }
    }

    @Override
    public String getClientInfo(String name) throws SQLException {
        return physical().getClientInfo(name);
    }

    @Override
    public Properties getClientInfo() throws SQLException {
        return physical().getClientInfo();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        Connection c = physical();
        return iface.isInstance(c) ? iface.cast(c) : c.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return true;
        }
        Connection c = physical();
        return iface.isInstance(c) || c.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "RoutingConnection[" + router.name() + ", " + (physical == null ? "not connected" : "node=" + nodeId())
                + ", readOnly=" + readOnly + (closed ? ", closed" : "") + (broken != null ? ", broken" : "") + "]";
    }
}
