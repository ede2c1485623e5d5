/**
 * SmartQueryRouter for JDBC: a routing {@link javax.sql.DataSource} over one pool per database
 * node, writes to the primary and reads to the best replica.
 */
module io.smartqueryrouter.jdbc {
    requires transitive io.smartqueryrouter.core;
    requires transitive java.sql;
    // optional: RoutingDataSource.fromConfig pools each node with HikariCP, and refuses to run without it
    requires static com.zaxxer.hikari;

    exports io.smartqueryrouter.jdbc;
}
