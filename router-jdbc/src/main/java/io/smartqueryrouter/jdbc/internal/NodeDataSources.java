package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.PoolConfig;
import javax.sql.DataSource;

/**
 * Opens the pool of one configured database node: a HikariCP pool ({@link NodePool}). HikariCP is
 * an optional dependency of this module; without it, configuration cannot make pools, and says so.
 */
public final class NodeDataSources {
    /** The artifact to add, as a build file names it. */
    public static final String HIKARI_ARTIFACT = "com.zaxxer:HikariCP";
    private static final String HIKARI_CLASS = "com.zaxxer.hikari.HikariDataSource";

    private NodeDataSources() {
    }

    /**
     * Refuses to go on without HikariCP, naming the artifact to add.
     *
     * @param dataSource the data source's name, for the message
     * @param loader where HikariCP should be found: this module's class loader
     * @throws IllegalStateException if HikariCP cannot be loaded
     */
    public static void requireHikari(String dataSource, ClassLoader loader) {
        try {
            Class.forName(HIKARI_CLASS, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("data source '" + dataSource + "': RoutingDataSource.fromConfig pools each "
                    + "node with HikariCP, which is not on the class path: add the dependency " + HIKARI_ARTIFACT
                    + " (5.x to 7.x; on the module path also resolve module com.zaxxer.hikari), or build the nodes' "
                    + "data sources yourself and use RoutingDataSource.builder(router)", e);
        }
    }

    /**
     * Returns whether HikariCP 6 or later is on the class path, whose statement layer
     * {@link LogicalConnection} can stand in for ({@link HikariStatements}): asked once, without loading
     * any HikariCP class that the answer "no" would have to do without.
     */
    static boolean hikariStatementsUsable() {
        ClassLoader loader = NodeDataSources.class.getClassLoader();
        try {
            Class.forName("com.zaxxer.hikari.HikariConfig", false, loader).getMethod("getExceptionOverride");
            Class.forName("com.zaxxer.hikari.pool.ProxyConnection", false, loader);
            return true;
        } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
            return false;
        }
    }

    /**
     * Opens the node's pool, named {@code <router>-<node id>}; it takes no connection until asked.
     *
     * @throws IllegalArgumentException if no JDBC driver accepts the node's URL, or HikariCP refuses the
     *     settings; the message names the node and shows the URL without credentials
     */
    public static DataSource open(String router, NodeConfig node, PoolConfig pool) {
        return NodePool.open(router, node, pool);
    }
}
