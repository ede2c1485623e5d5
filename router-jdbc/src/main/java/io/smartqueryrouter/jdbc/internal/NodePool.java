package io.smartqueryrouter.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The HikariCP pool of one configured node, which fails at once when the database refuses the
 * data source's credentials or database (SQLState class 28, 3D000) instead of waiting out the
 * connection timeout, and whose every message is free of credentials.
 *
 * <p>HikariCP opens connections on its own thread, through {@link Connections} here: a refusal is
 * recorded there (and forgotten at the next connection opened). A caller that finds the pool empty
 * waits in short slices and, between them, looks for a refusal newer than its wait (or recent enough
 * that HikariCP, retrying with a backoff of at most 5 s, has not tried again since): it then throws the
 * driver's error, credentials hidden, at once. A pool that has connections is used as HikariCP
 * alone would: no slices, one volatile read more.
 */
final class NodePool implements DataSource, AutoCloseable {
    /** How long a caller waits for HikariCP before it looks for a refusal again. */
    private static final long SLICE_MILLIS = 50;
    /** How long a refusal is believed without a newer attempt: past HikariCP's longest backoff, 5 s. */
    private static final long BELIEVED_NANOS = TimeUnit.SECONDS.toNanos(6);

    private final String name;
    private final HikariDataSource hikari;
    /** The pool behind {@link #hikari}, for waits in slices; null if this HikariCP hides it. */
    private final HikariPool pool;
    private final Connections connections;
    private final long timeoutNanos;

    private NodePool(String name, HikariDataSource hikari, Connections connections, long timeoutNanos) {
        this.name = name;
        this.hikari = hikari;
        HikariPoolMXBean bean = hikari.getHikariPoolMXBean();
        this.pool = bean instanceof HikariPool p ? p : null;
        this.connections = connections;
        this.timeoutNanos = timeoutNanos;
    }

    static NodePool open(String router, NodeConfig node, PoolConfig settings) {
        String name = router + "-" + node.id();
        String where = "data source '" + router + "': node '" + node.id() + "'";
        Driver driver;
        try {
            driver = DriverManager.getDriver(node.url());
        } catch (SQLException e) {
            throw new IllegalArgumentException(where + ": no JDBC driver on the class path accepts url '"
                    + SqlFailures.redact(node.url()) + "' (" + Connections.redact(e.getMessage(), node) + "): add the "
                    + "database's JDBC driver to the dependencies, or correct the url");
        }
        Connections connections = new Connections(driver, node);
        HikariConfig c = new HikariConfig();
        c.setPoolName(name);
        c.setDataSource(connections);
        c.setMaximumPoolSize(settings.maximumPoolSize());
        c.setMinimumIdle(settings.minimumIdle());
        c.setConnectionTimeout(settings.connectionTimeout().toMillis());
        c.setIdleTimeout(settings.idleTimeout().toMillis());
        c.setMaxLifetime(settings.maxLifetime().toMillis());
        c.setValidationTimeout(settings.validationTimeout().toMillis());
        // a replica's connections come read-only from the pool, so a read does not set and reset the flag on
        // every checkout: LogicalConnection sets it only where the pool's differs (a write on a promoted replica),
        // which it can tell only when it works behind HikariCP's proxy (HikariCP 6 and later)
        c.setReadOnly("replica".equals(node.labels().get(ConnectionRouter.ROLE_LABEL))
                && NodeDataSources.hikariStatementsUsable());
        // no connection at start: a node that is down must not stop the application; the router's health
        // check and failover deal with it, and a refusal reaches the first caller at once
        c.setInitializationFailTimeout(-1);
        try {
            return new NodePool(name, new HikariDataSource(c), connections, settings.connectionTimeout().toNanos());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": HikariCP refused its settings: "
                    + Connections.redact(String.valueOf(e.getMessage()), node));
        }
    }

    /** {@return the HikariCP data source of this node} */
    HikariDataSource hikari() {
        return hikari;
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (pool == null || connections.refusal == null && pool.getTotalConnections() > 0) {
            return hikari.getConnection();
        }
        return waitWatchingRefusals();
    }

    /** The pool is empty or the database refused lately: wait in slices, failing at once on a refusal. */
    private Connection waitWatchingRefusals() throws SQLException {
        long start = System.nanoTime();
        SQLTransientConnectionException timedOut = null;
        while (true) {
            Connections.Refusal r = connections.refusal;
            if (r != null && r.atNanos() - start > -BELIEVED_NANOS && pool.getIdleConnections() == 0) {
                SQLException e = new SQLException("node pool '" + name + "': the database refuses the connection: "
                        + r.failure().getMessage(), r.failure().getSQLState(), r.failure().getErrorCode(), r.failure());
                throw e;
            }
            long left = timeoutNanos - (System.nanoTime() - start);
            if (left <= 0 || hikari.isClosed()) {
                if (hikari.isClosed()) {
                    throw new SQLException("node pool '" + name + "' is closed", "08003");
                }
                throw new SQLTransientConnectionException("node pool '" + name + "': no connection within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (total " + pool.getTotalConnections()
                        + ", in use " + pool.getActiveConnections() + ")"
                        + (timedOut != null && timedOut.getCause() != null ? ": " + timedOut.getCause().getMessage() : ""),
                        timedOut == null ? "08001" : timedOut.getSQLState(), timedOut);
            }
            try {
                return pool.getConnection(Math.max(1, Math.min(SLICE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
            } catch (SQLTransientConnectionException e) {
                timedOut = e;
            }
        }
    }

    /**
     * Not supported: the node's credentials are its configuration's.
     *
     * @throws SQLFeatureNotSupportedException always
     */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("node pool '" + name + "': credentials come from the configuration");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return hikari.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        hikari.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        hikari.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return hikari.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return hikari.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return iface.isInstance(hikari) ? iface.cast(hikari) : hikari.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(hikari) || hikari.isWrapperFor(iface);
    }

    @Override
    public void close() {
        hikari.close();
    }

    @Override
    public String toString() {
        return "NodePool[" + name + "]";
    }

    /**
     * Where HikariCP takes new connections: the node's driver with its properties. Remembers the
     * latest refusal; every exception it lets out has the credentials hidden.
     */
    static final class Connections implements DataSource {
        /** A refusal and when it came ({@link System#nanoTime()}). */
        record Refusal(SQLException failure, long atNanos) {
        }

        private final Driver driver;
        private final String url;
        private final Properties properties = new Properties();
        private final NodeConfig node;
        volatile Refusal refusal;
        private volatile int loginTimeoutSeconds;

        Connections(Driver driver, NodeConfig node) {
            this.driver = driver;
            this.url = node.url();
            this.node = node;
            node.properties().forEach(properties::setProperty);
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c;
            try {
                c = driver.connect(url, properties);
            } catch (SQLException e) {
                SQLException shown = redacted(e, node);
                if (SqlFailures.isConfigurationFailure(shown)) {
                    refusal = new Refusal(shown, System.nanoTime());
                }
                throw shown;
            }
            if (c == null) {
                throw new SQLException("the JDBC driver " + driver.getClass().getName() + " does not accept url '"
                        + SqlFailures.redact(url) + "'", "08001");
            }
            refusal = null;
            return c;
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            throw new SQLFeatureNotSupportedException("credentials come from the configuration");
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // nothing to log: the pool logs
        }

        /** Stored only: a driver's login timeout is its own property ({@code loginTimeout} for PostgreSQL). */
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
            throw new SQLFeatureNotSupportedException("no java.util.logging here");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("wraps no " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public String toString() {
            return "NodeConnections[" + node.id() + "]";
        }

        /** A message without credentials: redacted, and the node's own password masked wherever it stands. */
        static String redact(String message, NodeConfig node) {
            return SqlFailures.redact(message, node.properties().get("password"));
        }

        /** {@code e} itself when no message of its chain carries a credential, else a redacted copy. */
        static SQLException redacted(SQLException e, NodeConfig node) {
            return SqlFailures.redacted(e, node.properties().get("password"));
        }
    }
}
