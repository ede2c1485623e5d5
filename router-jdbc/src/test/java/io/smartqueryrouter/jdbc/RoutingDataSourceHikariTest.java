package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.pool.ProxyStatement;
import io.smartqueryrouter.core.Router;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The routing data source over HikariCP pools of an in-memory H2 database: statements are made on the
 * driver's connection behind HikariCP's proxy, and what HikariCP's statement layer did still happens
 * (statements left open closed, a transaction left open rolled back, a broken connection evicted);
 * over any other data source, statements go through its connections as they are.
 */
class RoutingDataSourceHikariTest {
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private JdbcDataSource h2;

    @BeforeEach
    void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:hikari-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("create table items(id int primary key)");
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    /** A HikariCP pool of one connection over {@code target}. */
    private HikariDataSource pool(DataSource target, Consumer<HikariConfig> settings) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("h2-" + closeAfter.size());
        c.setDataSource(target);
        c.setMaximumPoolSize(1);
        c.setMinimumIdle(0);
        settings.accept(c);
        HikariDataSource pool = new HikariDataSource(c);
        closeAfter.add(pool);
        return pool;
    }

    private RoutingDataSource routed(DataSource primary) {
        return onePrimary(primary, false, closeAfter);
    }

    /**
     * A routing data source over one primary, no replica, built for a test.
     *
     * @param readsFallBack whether read-only connections go to the primary
     * @param closeAfter where the router and the data source are added, for the test to close
     */
    static RoutingDataSource onePrimary(DataSource primary, boolean readsFallBack, List<AutoCloseable> closeAfter) {
        Router<DataSource> router = Router.<DataSource>builder("orders-db")
                .node(JdbcNodes.primary("primary", primary))
                .retry(RoutingDataSource.failoverRetry(1))
                .build();
        closeAfter.add(router);
        RoutingDataSource ds = RoutingDataSource.builder(router).readsFallBackToPrimary(readsFallBack).build();
        closeAfter.add(ds);
        return ds;
    }

    private static long count(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from items")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void statementsOfAHikariPoolAreTheDriversBehindOneWrapper() throws SQLException {
        RoutingDataSource ds = routed(pool(h2, c -> { }));
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement("select 1");
                Statement s = c.createStatement(); CallableStatement call = c.prepareCall("select 2")) {
            assertThat(p.isWrapperFor(ProxyStatement.class)).isFalse();
            assertThat(s.isWrapperFor(ProxyStatement.class)).isFalse();
            assertThat(call.isWrapperFor(ProxyStatement.class)).isFalse();
            assertThat(p.unwrap(org.h2.jdbc.JdbcPreparedStatement.class)).isNotNull();
            // the application sees the routing wrappers only
            assertThat(p.getConnection()).isSameAs(c);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.getStatement()).isSameAs(p);
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }

    /** {@code target}, with every {@code setReadOnly} on its connections noted in {@code calls}. */
    private static DataSource notingReadOnly(DataSource target, List<Boolean> calls) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (ds, m, args) -> {
                    Object r = SwitchableDataSource.invoke(target, m, args);
                    if (!(r instanceof Connection driver)) {
                        return r;
                    }
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                            (c, cm, cargs) -> {
                                if (cm.getName().equals("setReadOnly")) {
                                    calls.add((Boolean) cargs[0]);
                                }
                                return SwitchableDataSource.invoke(driver, cm, cargs);
                            });
                });
    }

    @Test
    void aReadOnlyPoolIsNotToldAgainOnEachReadAndAWriteOnItIsToldOnce() throws SQLException {
        List<Boolean> calls = new ArrayList<>();
        HikariDataSource readOnlyPool = pool(notingReadOnly(h2, calls), c -> c.setReadOnly(true));
        HikariDataSource readWritePool = pool(notingReadOnly(h2, calls), c -> { });
        Router<DataSource> router = Router.<DataSource>builder("orders-db")
                .node(JdbcNodes.primary("primary", readWritePool))
                .node(JdbcNodes.replica("replica", readOnlyPool))
                .retry(RoutingDataSource.failoverRetry(2))
                .build();
        closeAfter.add(router);
        RoutingDataSource ds = RoutingDataSource.builder(router).build();
        closeAfter.add(ds);
        // the pools set up their connections first (a read-only pool tells its connection so)
        for (boolean readOnly : new boolean[] {true, false}) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(readOnly);
                count(c);
            }
        }
        int setUp = calls.size();
        for (int i = 0; i < 10; i++) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThat(count(c)).isZero();
            }
        }
        assertThat(calls).as("ten reads on the replica's read-only pool: nothing set, nothing reset").hasSize(setUp);

        // the same read-only pool as a primary (a replica the router was told was promoted): a write is told
        // read-write, and HikariCP sets the pool's read-only back when the connection returns
        RoutingDataSource writes = onePrimary(readOnlyPool, false, closeAfter);
        try (Connection c = writes.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into items values (1)");
            assertThat(calls.subList(setUp, calls.size())).containsExactly(false);
        }
        assertThat(calls.subList(setUp, calls.size())).containsExactly(false, true);
    }

    @Test
    void aDataSourceThatIsNotAHikariPoolKeepsItsOwnStatements() throws SQLException {
        // the application's own data source over a HikariCP pool: its connections are not HikariCP's proxies
        HikariDataSource hikari = pool(h2, c -> { });
        RoutingDataSource ds = routed(new SwitchableDataSource(hikari, "the application's data source"));
        PreparedStatement left;
        try (Connection c = ds.getConnection()) {
            left = c.prepareStatement("select 1");
            left.executeQuery();
        }
        // HikariCP's proxy closed it when the connection went back
        assertThat(left.isClosed()).isTrue();
    }

    @Test
    void statementsAndResultSetsLeftOpenAreClosedWhenTheConnectionIsClosed() throws SQLException {
        RoutingDataSource ds = routed(pool(h2, c -> { }));
        List<Statement> left = new ArrayList<>();
        ResultSet leftRows;
        Statement closedEarly;
        try (Connection c = ds.getConnection()) {
            left.add(c.createStatement());
            closedEarly = c.prepareStatement("select 1");
            left.add(c.prepareStatement("select 2"));
            PreparedStatement last = c.prepareStatement("select 3");
            left.add(c.prepareCall("select 4"));
            left.add(last);
            leftRows = last.executeQuery();
            // closed by the application in the middle of the others: forgotten, the others still kept
            closedEarly.close();
            for (Statement s : left) {
                assertThat(s.isClosed()).isFalse();
            }
        }
        for (Statement s : left) {
            assertThat(s.isClosed()).as("%s", s).isTrue();
        }
        assertThat(leftRows.isClosed()).isTrue();
        assertThat(closedEarly.isClosed()).isTrue();
    }

    @Test
    void aTransactionLeftOpenIsRolledBackAndTheNextBorrowerStartsClean() throws SQLException {
        HikariDataSource pool = pool(h2, c -> { });
        RoutingDataSource ds = routed(pool);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("insert into items values (?)")) {
                p.setInt(1, 1);
                p.executeUpdate();
            }
        }
        try (Connection c = ds.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(count(c)).isZero();
        }
        // a committed transaction stays; what ran after the commit is rolled back
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("insert into items values (2)");
                c.commit();
                s.executeUpdate("insert into items values (3)");
            }
        }
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id from items")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aRowChangedThroughAResultSetIsATransactionToo() throws SQLException {
        RoutingDataSource ds = routed(pool(h2, c -> { }));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into items values (5)");
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.commit();
            Statement s = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
            ResultSet rs = s.executeQuery("select id from items");
            c.commit(); // the query's own transaction ends; the update below opens another
            rs.next();
            rs.updateInt(1, 6);
            rs.updateRow();
            assertThatThrownBy(() -> c.setReadOnly(true)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25001"));
        }
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id from items")) {
            rs.next();
            assertThat(rs.getInt(1)).as("the update rolled back").isEqualTo(5);
        }
    }

    @Test
    void aFailureHikariCpEvictsForHasTheConnectionEvictedAtOnce() throws SQLException {
        SwitchableDataSource node = new SwitchableDataSource(h2, "h2");
        HikariDataSource pool = pool(node, c -> { });
        RoutingDataSource ds = routed(pool);
        try (Connection c = ds.getConnection()) {
            assertThat(count(c)).isZero();
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
            node.failStatements(new SQLException("An I/O error occurred while sending to the backend", "08006"));
            assertThatThrownBy(() -> count(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("08006"));
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).as("evicted").isZero();
            node.heal();
            assertThatThrownBy(() -> count(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("08003"));
        }
        int opened = node.getConnectionCalls.get();
        try (Connection c = ds.getConnection()) {
            assertThat(count(c)).isZero();
        }
        assertThat(node.getConnectionCalls.get()).as("a new connection opened").isEqualTo(opened + 1);
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }

    @Test
    void anExceptionOverrideOfThePoolDecidesAsItWouldInHikariCp() throws SQLException {
        SwitchableDataSource node = new SwitchableDataSource(h2, "h2");
        HikariDataSource pool = pool(node, c -> c.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public Override adjudicate(SQLException e) {
                return "08006".equals(e.getSQLState()) ? Override.DO_NOT_EVICT
                        : "42XYZ".equals(e.getSQLState()) ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
            }
        }));
        RoutingDataSource ds = routed(pool);
        try (Connection c = ds.getConnection()) {
            node.failStatements(new SQLException("not evicted, says the override", "08006"));
            assertThatThrownBy(() -> count(c)).isInstanceOf(SQLException.class);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
        }
        try (Connection c = ds.getConnection()) {
            node.failStatements(new SQLException("evicted, says the override", "42XYZ"));
            assertThatThrownBy(() -> count(c)).isInstanceOf(SQLException.class);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isZero();
        }
    }

    @Test
    void aStatementFailureThatIsTheCallersLeavesTheConnectionInThePool() throws SQLException {
        HikariDataSource pool = pool(h2, c -> { });
        RoutingDataSource ds = routed(pool);
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("select nope from items")).isInstanceOf(SQLException.class);
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
            assertThat(count(c)).isZero();
        }
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(1);
    }
}
