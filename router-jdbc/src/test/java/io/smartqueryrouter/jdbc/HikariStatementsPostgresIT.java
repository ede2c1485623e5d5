package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.ProxyStatement;
import io.smartqueryrouter.jdbc.pg.PostgresCluster;
import io.smartqueryrouter.jdbc.pg.PostgresClusterExtension;
import io.smartqueryrouter.jdbc.pg.PostgresNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Statements made on the driver's connection behind HikariCP's proxy (one layer of wrappers, not two)
 * on a real PostgreSQL 15: what HikariCP's statement layer did must still happen when the routing
 * data source hands a connection back: statements left open closed, a transaction left open rolled
 * back, a connection whose backend died evicted from the pool.
 */
@ExtendWith(PostgresClusterExtension.class)
class HikariStatementsPostgresIT {
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    /**
     * A HikariCP pool of at most {@code size} connections to the primary, none kept idle. Every
     * prepared statement is prepared on the server at its first execution (prepareThreshold=1) and
     * the driver caches none (preparedStatementCacheQueries=0), so closing one deallocates it there.
     */
    private HikariDataSource pool(PostgresNode node, int size) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("hikari-statements-" + node.id());
        c.setJdbcUrl(node.jdbcUrl() + "?prepareThreshold=1&preparedStatementCacheQueries=0&socketTimeout=10");
        c.setUsername(node.user());
        c.setPassword(node.password());
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(0);
        c.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(c);
        closeAfter.add(ds);
        return ds;
    }

    private RoutingDataSource routed(DataSource primary) {
        return RoutingDataSourceHikariTest.onePrimary(primary, false, closeAfter);
    }

    private static long backend(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long preparedOnServer(Connection c, String marker) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select count(*) from pg_prepared_statements where statement like ? and statement not like '%pg_prepared%'")) {
            s.setString(1, "%" + marker + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aStatementLeftOpenIsClosedOnTheServerWhenTheConnectionIsClosed(PostgresCluster pg) throws SQLException {
        HikariDataSource pool = pool(pg.primary(), 1);
        RoutingDataSource ds = routed(pool);
        long pid;
        try (Connection c = ds.getConnection()) {
            PreparedStatement left = c.prepareStatement("select 42 as left_open_marker");
            // one layer: the driver's statement, not HikariCP's proxy statement, behind the routing wrapper
            assertThat(left.isWrapperFor(ProxyStatement.class)).isFalse();
            try (ResultSet rs = left.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
            pid = backend(c);
            assertThat(preparedOnServer(c, "left_open_marker")).as("prepared on the server").isEqualTo(1);
            // left open: neither the statement nor its result set is closed by the application
            left.executeQuery();
        }
        // the pool has one connection: the next borrower has the same backend
        try (Connection c = ds.getConnection()) {
            assertThat(backend(c)).isEqualTo(pid);
            assertThat(preparedOnServer(c, "left_open_marker")).as("deallocated when the connection was closed").isZero();
        }
    }

    @Test
    void aStatementLeftOpenIsClosedWhenAReadOnlySwitchHandsTheConnectionBack(PostgresCluster pg) throws SQLException {
        HikariDataSource pool = pool(pg.primary(), 1);
        // no replica: a read-only connection falls back to the primary, through the same one-connection pool
        RoutingDataSource ds = RoutingDataSourceHikariTest.onePrimary(pool, true, closeAfter);
        try (Connection c = ds.getConnection()) {
            PreparedStatement left = c.prepareStatement("select 7 as switch_marker");
            left.executeQuery();
            c.setReadOnly(true); // hands the physical connection back, then takes it again for the read
            assertThat(preparedOnServer(c, "switch_marker")).isZero();
            assertThatThrownBy(left::executeQuery).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
        }
    }

    @Test
    void aTransactionLeftOpenIsRolledBackWhenTheConnectionIsClosed(PostgresCluster pg) throws SQLException {
        try (Connection admin = pg.connect(pg.primary()); Statement s = admin.createStatement()) {
            s.execute("drop table if exists left_open; create table left_open(id int primary key)");
        }
        HikariDataSource pool = pool(pg.primary(), 1);
        RoutingDataSource ds = routed(pool);
        long pid;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("insert into left_open values (?)")) {
                p.setInt(1, 1);
                assertThat(p.executeUpdate()).isEqualTo(1);
            }
            pid = backend(c);
            // closed without commit or rollback
        }
        try (Connection c = ds.getConnection()) {
            assertThat(backend(c)).as("the same pooled connection").isEqualTo(pid);
            assertThat(c.getAutoCommit()).as("the pool's auto-commit back").isTrue();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select count(*) from left_open")) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the insert rolled back").isZero();
                }
                // a transaction still open from the last borrower would have a transaction id from its insert
                try (ResultSet rs = s.executeQuery("select pg_current_xact_id_if_assigned() is null")) {
                    rs.next();
                    assertThat(rs.getBoolean(1)).as("not inside the last borrower's transaction").isTrue();
                }
            }
        }
        try (Connection other = pg.connect(pg.primary()); Statement s = other.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from left_open")) {
            rs.next();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void aConnectionWhoseBackendWasTerminatedIsEvictedAndTheNextOneIsLive(PostgresCluster pg) throws SQLException {
        HikariDataSource pool = pool(pg.primary(), 2);
        RoutingDataSource ds = routed(pool);
        long dead;
        try (Connection c = ds.getConnection()) {
            dead = backend(c);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
            try (Connection admin = pg.connectAsSuperuser(pg.primary()); Statement s = admin.createStatement();
                    ResultSet rs = s.executeQuery("select pg_terminate_backend(" + dead + ", 60000)")) {
                // waits until the backend has exited (up to a generous 60 s on a busy machine), so the next query
                // cannot reach it before it handles the signal
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            try (PreparedStatement p = c.prepareStatement("select 1")) {
                assertThatThrownBy(p::executeQuery).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("57P01", "08006", "08003"));
            }
            // HikariCP was told at the failure, as its own proxies would have: the dead connection left the pool
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isZero();
            assertThatThrownBy(() -> c.createStatement().executeQuery("select 1")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("08003"));
        }
        // the next connection is a new, live one: never the dead one handed out again
        for (int i = 0; i < 3; i++) {
            try (Connection c = ds.getConnection()) {
                assertThat(backend(c)).isNotEqualTo(dead);
            }
        }
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
}
