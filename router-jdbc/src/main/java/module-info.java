/**
 * SmartQueryRouter for JDBC: a routing {@link javax.sql.DataSource} over one pool per database
 * node, writes to the primary and reads to the best replica.
 */
module io.smartqueryrouter.jdbc {
    requires transitive io.smartqueryrouter.core;
    requires transitive java.sql;

    exports io.smartqueryrouter.jdbc;
}
