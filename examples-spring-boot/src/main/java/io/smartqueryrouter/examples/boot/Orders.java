package io.smartqueryrouter.examples.boot;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Orders in the routed database: writes go to the primary, {@code @Transactional(readOnly = true)}
 * reads to the replica. H2 does not replicate, so at start the table is made on both nodes and the
 * replica's rows are those it was made with; with PostgreSQL replicas, the rows come by replication.
 */
@Service
public class Orders {
    private final JdbcTemplate jdbc;
    private final DataSource dataSource;

    Orders(JdbcTemplate jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Makes the table on the primary and, through a read-only connection, on the replica.
     *
     * @throws SQLException if a database refuses
     */
    @EventListener(ApplicationReadyEvent.class)
    public void createTables() throws SQLException {
        for (boolean replica : new boolean[] {false, true}) {
            try (Connection c = dataSource.getConnection()) {
                c.setReadOnly(replica);
                try (Statement s = c.createStatement()) {
                    s.execute("create table if not exists orders (id identity primary key, node varchar(20))");
                    s.execute("insert into orders (node) values ('" + (replica ? "replica" : "primary") + "')");
                }
            }
        }
    }

    /** {@return how many orders the serving node has, and which node it is} */
    @Transactional(readOnly = true)
    public Map<String, Object> read() {
        return Map.of("orders", jdbc.queryForObject("select count(*) from orders", Long.class),
                "servedBy", jdbc.queryForObject("select min(node) from orders", String.class));
    }

    /** {@return the new order's id and the node that took it} */
    @Transactional
    public Map<String, Object> write() {
        jdbc.update("insert into orders (node) values ('primary')");
        return Map.of("id", jdbc.queryForObject("select max(id) from orders", Long.class),
                "servedBy", jdbc.queryForObject("select min(node) from orders", String.class));
    }
}
