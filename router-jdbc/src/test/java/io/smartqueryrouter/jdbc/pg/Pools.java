package io.smartqueryrouter.jdbc.pg;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** The HikariCP pool the PostgreSQL ITs put in front of a node. */
public final class Pools {
    private Pools() {
    }

    /**
     * A pool of at most 4 connections, none kept idle, to the node's database through {@code port}
     * (the node's own, or a proxy's): the driver's socket timeout bounds a query on a frozen server
     * (3 s), its login timeout a connect to one (1 s); the pool starts even when the node is down.
     *
     * @param node the node whose database, user and password to use
     * @param port where to connect
     * @param connectionTimeout how long a caller waits for a connection
     * @return the pool; the caller closes it
     */
    public static HikariDataSource hikari(PostgresNode node, int port, Duration connectionTimeout) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(node.id());
        c.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + node.database()
                + "?connectTimeout=1&loginTimeout=1&socketTimeout=3");
        c.setUsername(node.user());
        c.setPassword(node.password());
        c.setMaximumPoolSize(4);
        c.setMinimumIdle(0);
        c.setConnectionTimeout(connectionTimeout.toMillis());
        c.setValidationTimeout(500);
        c.setInitializationFailTimeout(-1);
        return new HikariDataSource(c);
    }
}
