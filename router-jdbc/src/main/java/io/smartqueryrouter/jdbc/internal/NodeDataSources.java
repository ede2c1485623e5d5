package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.config.NodeConfig;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens the data source of one configured database node: a HikariCP pool when HikariCP is on the
 * class path (found by reflection, so it stays an optional dependency), else a data source that
 * opens a connection through {@link DriverManager} on every use.
 */
public final class NodeDataSources {
    private static final String HIKARI_CONFIG = "com.zaxxer.hikari.HikariConfig";
    private static final String HIKARI_DATA_SOURCE = "com.zaxxer.hikari.HikariDataSource";

    private NodeDataSources() {
    }

    /** Returns whether nodes get HikariCP pools. */
    public static boolean hikariPresent() {
        return load(HIKARI_CONFIG) != null;
    }

    /**
     * Opens the node's data source; the pool name is {@code <router>-<node id>}.
     *
     * @throws IllegalArgumentException if HikariCP refuses the settings (no driver for the URL, say)
     */
    public static DataSource open(String router, NodeConfig node) {
        Class<?> config = load(HIKARI_CONFIG);
        return config == null ? new DriverManagerDataSource(router, node) : hikari(config, router, node);
    }

    private static Class<?> load(String name) {
        for (ClassLoader loader : new ClassLoader[] {NodeDataSources.class.getClassLoader(),
                Thread.currentThread().getContextClassLoader()}) {
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // not on this loader: try the next, then go without a pool
            }
        }
        return null;
    }

    private static DataSource hikari(Class<?> configClass, String router, NodeConfig node) {
        try {
            Object config = configClass.getConstructor().newInstance();
            set(configClass, config, "setPoolName", String.class, router + "-" + node.id());
            set(configClass, config, "setJdbcUrl", String.class, node.url());
            String user = node.properties().get("user");
            if (user != null) {
                set(configClass, config, "setUsername", String.class, user);
            }
            String password = node.properties().get("password");
            if (password != null) {
                set(configClass, config, "setPassword", String.class, password);
            }
            // no connection at start: a node that is down must not stop the application; the router's
            // health check and failover deal with it
            set(configClass, config, "setInitializationFailTimeout", long.class, -1L);
            Class<?> dataSource = Class.forName(HIKARI_DATA_SOURCE, true, configClass.getClassLoader());
            return (DataSource) dataSource.getConstructor(configClass).newInstance(config);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalArgumentException("data source '" + router + "': node '" + node.id()
                    + "': HikariCP refused its settings: " + cause.getMessage(), cause);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("data source '" + router + "': the HikariCP on the class path does not "
                    + "have the API of HikariCP 5 to 7: " + e, e);
        }
    }

    private static void set(Class<?> type, Object target, String setter, Class<?> parameter, Object value)
            throws ReflectiveOperationException {
        type.getMethod(setter, parameter).invoke(target, value);
    }

    /** A connection per use, through DriverManager; {@link #toString()} shows no URL nor credentials. */
    static final class DriverManagerDataSource implements DataSource {
        private final String name;
        private final String url;
        private final Properties info = new Properties();
        private volatile PrintWriter logWriter;
        private volatile int loginTimeoutSeconds;

        DriverManagerDataSource(String router, NodeConfig node) {
            this.name = router + "-" + node.id();
            this.url = node.url();
            node.properties().forEach(info::setProperty);
        }

        @Override
        public Connection getConnection() throws SQLException {
            return DriverManager.getConnection(url, (Properties) info.clone());
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            Properties p = (Properties) info.clone();
            p.setProperty("user", username);
            p.setProperty("password", password);
            return DriverManager.getConnection(url, p);
        }

        @Override
        public PrintWriter getLogWriter() {
            return logWriter;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            this.logWriter = out;
        }

        /** Stored only: DriverManager's login timeout is global to the JVM. */
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
            throw new SQLFeatureNotSupportedException("data source '" + name + "' does not log through java.util.logging");
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            if (iface.isInstance(this)) {
                return iface.cast(this);
            }
            throw new SQLException("data source '" + name + "' does not wrap a " + iface.getName());
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return iface.isInstance(this);
        }

        @Override
        public String toString() {
            return "DriverManagerDataSource[" + name + "]";
        }
    }
}
