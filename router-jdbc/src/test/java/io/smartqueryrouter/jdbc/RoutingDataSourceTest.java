package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeSnapshot;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.RoutingPolicies;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routing rules on real, fast databases: three in-memory H2 databases as primary and replicas. */
class RoutingDataSourceTest {
    private final Map<String, JdbcConnectionPool> pools = new HashMap<>();
    private final Map<String, SwitchableDataSource> nodes = new HashMap<>();
    /** The routers the tests built: the tests' own, closed after the data sources. */
    private final List<Router<DataSource>> routers = new ArrayList<>();
    private RoutingDataSource ds;

    @BeforeEach
    void startDatabases() throws SQLException {
        String run = UUID.randomUUID().toString();
        for (String id : new String[] {"primary", "replica-1", "replica-2"}) {
            JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + id + "-" + run + ";DB_CLOSE_DELAY=-1",
                    "sa", "");
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("create table whoami(name varchar(32))");
                s.execute("insert into whoami values ('" + id + "')");
                s.execute("create table items(id int primary key)");
            }
            pools.put(id, pool);
            nodes.put(id, new SwitchableDataSource(pool, "h2 " + id));
        }
        ds = builder().build();
    }

    /** A primary and two replicas; taking a connection may try each once. */
    private RouterBuilder<DataSource> routerBuilder() {
        return Router.<DataSource>builder("orders-db")
                .node(JdbcNodes.primary("primary", nodes.get("primary")))
                .node(JdbcNodes.replica("replica-1", nodes.get("replica-1")))
                .node(JdbcNodes.replica("replica-2", nodes.get("replica-2")))
                .retry(RoutingDataSource.failoverRetry(3));
    }

    private Router<DataSource> router(RouterBuilder<DataSource> b) {
        Router<DataSource> router = b.build();
        routers.add(router);
        return router;
    }

    private RoutingDataSource.Builder builder() {
        return RoutingDataSource.builder(router(routerBuilder()));
    }

    @AfterEach
    void stop() {
        ds.close();
        routers.forEach(Router::close);
        pools.values().forEach(JdbcConnectionPool::dispose);
    }

    private static String whoami(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select name from whoami")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void writesGoToThePrimaryAndReadOnlyConnectionsToReplicas() throws SQLException {
        Map<String, Integer> reads = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            try (Connection c = ds.getConnection()) {
                assertThat(whoami(c)).isEqualTo("primary");
            }
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                reads.merge(whoami(c), 1, Integer::sum);
            }
        }
        // every read on a replica, and both replicas tried (a node without samples is tried at once); how
        // concurrent reads share equal replicas is measured on PostgreSQL in RoutingDataSourcePostgresIT
        assertThat(reads).containsOnlyKeys("replica-1", "replica-2");
        assertThat(reads.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(200);
        assertThat(pools.values()).allSatisfy(p -> assertThat(p.getActiveConnections()).isZero());
    }

    @Test
    void noNodeIsContactedBeforeFirstUse() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
            assertThat(c.isReadOnly()).isTrue();
            assertThat(c.getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
            assertThat((Object) c.getWarnings()).isNull();
            assertThat(c.isValid(1)).isTrue();
            assertThat(nodes.values()).allSatisfy(n -> assertThat(n.getConnectionCalls).hasValue(0));
            assertThat(c.toString()).isEqualTo("RoutingConnection[orders-db, not connected, readOnly=true]");
            // first use: the settings made before are applied to the physical connection; auto-commit is the
            // pool's own (asking for it before first use would take a connection)
            assertThat(whoami(c)).startsWith("replica");
            assertThat(c.getAutoCommit()).isTrue();
            assertThat(c.unwrap(Connection.class).getTransactionIsolation()).isEqualTo(Connection.TRANSACTION_SERIALIZABLE);
        }
    }

    @Test
    void springReadOnlyTransactionOrderRunsOnOneReplica() throws SQLException {
        // DataSourceTransactionManager: getConnection, setReadOnly(true), getAutoCommit, setAutoCommit(false), work, commit
        for (int i = 0; i < 20; i++) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                if (c.getAutoCommit()) {
                    c.setAutoCommit(false);
                }
                String first = whoami(c);
                assertThat(first).startsWith("replica");
                for (int j = 0; j < 5; j++) {
                    assertThat(whoami(c)).isEqualTo(first);
                }
                assertThatThrownBy(() -> c.setReadOnly(false)).isInstanceOf(SQLException.class)
                        .hasMessage("data source 'orders-db': cannot change read-only to false inside a transaction; "
                                + "commit or roll back first")
                        .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("25001");
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    @Test
    void betweenTransactionsAConnectionMovesToTheRightKindOfNode() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThat(whoami(c)).isEqualTo("primary");
            c.setReadOnly(true);
            assertThat(whoami(c)).startsWith("replica");
            c.setReadOnly(false);
            assertThat(whoami(c)).isEqualTo("primary");
            // the connections given back went back to their pools
            assertThat(pools.get("replica-1").getActiveConnections() + pools.get("replica-2").getActiveConnections())
                    .isZero();
            assertThat(pools.get("primary").getActiveConnections()).isEqualTo(1);
        }
        assertThat(pools.get("primary").getActiveConnections()).isZero();
    }

    @Test
    void multiStatementTransactionsStayOnTheirNode() throws SQLException {
        for (int i = 0; i < 100; i++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                try (PreparedStatement p = c.prepareStatement("insert into items values (?)")) {
                    p.setInt(1, i);
                    p.executeUpdate();
                }
                assertThat(whoami(c)).isEqualTo("primary");
                c.commit();
            }
        }
        try (Connection c = pools.get("primary").getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from items")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(100);
        }
    }

    @Test
    void readsFallBackToThePrimaryWhenNoReplicaCanTakeThemUnlessToldNotTo() throws SQLException {
        nodes.get("replica-1").fail(new SQLException("connection refused", "08001"));
        nodes.get("replica-2").fail(new SQLException("connection refused", "08001"));
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            assertThat(whoami(c)).isEqualTo("primary");
        }
        try (RoutingDataSource strict = builder().readsFallBackToPrimary(false).build();
                Connection c = strict.getConnection()) {
            c.setReadOnly(true);
            assertThatThrownBy(() -> whoami(c)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08001");
                assertThat(e.getMessage()).startsWith("data source 'orders-db': no node could give a connection for reads; tried ")
                        .contains("node 'replica-1': connection refused", "node 'replica-2': connection refused");
                assertThat(e.getSuppressed()).hasSize(2);
            });
        }
    }

    @Test
    void takingAConnectionFailsOverOnConnectionClassFailures() throws SQLException {
        nodes.get("replica-1").fail(new SQLException("the database system is shutting down", "57P03"));
        for (int i = 0; i < 20; i++) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThat(whoami(c)).isEqualTo("replica-2");
            }
        }
        NodeSnapshot r1 = ds.snapshot().node("replica-1");
        assertThat(r1.failures()).isBetween(1L, 5L);
        assertThat(r1.ejected()).as("5 failures in a row eject it").isEqualTo(r1.failures() == 5);
        RouterSnapshot all = ds.snapshot();
        assertThat(all.retries()).as("each failure on replica-1 failed over once, to replica-2").isEqualTo(r1.failures());
        assertThat(all.node("replica-2").successes()).as("20 connections, 20 statements").isEqualTo(40);
        assertThat(all.nodes()).allSatisfy(n -> assertThat(n.inFlight()).as(n.id()).isZero());
        assertThat(all.attemptsCompleted()).as("20 acquisitions, their failovers, and 20 statements")
                .isEqualTo(40 + r1.failures());
    }

    @Test
    void aRefusalOnTheNodeFailedOverToIsThrownAtOnceAndCountedAsTheCallersError() throws SQLException {
        nodes.get("replica-1").fail(new SQLException("Connection refused", "08001"));
        nodes.get("replica-2").fail(new SQLException("database \"orders\" does not exist", "3D000"));
        for (int i = 0; i < 4; i++) {
            try (Connection c = ds.getConnection()) {
                c.setReadOnly(true);
                assertThatThrownBy(() -> whoami(c)).isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("3D000"));
            }
        }
        RouterSnapshot all = ds.snapshot();
        assertThat(all.node("replica-2").clientErrors()).as("every read reached replica-2, first or failed over").isEqualTo(4);
        assertThat(all.node("replica-2").failures()).isZero();
        assertThat(all.node("primary").requests()).as("a refusal does not fall back to the primary").isZero();
        assertThat(all.nodes()).allSatisfy(n -> assertThat(n.inFlight()).as(n.id()).isZero());
    }

    @Test
    void authenticationErrorsAreThrownAtOnceNotFailedOver() throws SQLException {
        nodes.get("primary").fail(new SQLException("password authentication failed for user \"app\"", "28P01"));
        try (Connection c = ds.getConnection()) {
            assertThatThrownBy(() -> whoami(c)).isInstanceOf(SQLException.class)
                    .hasMessage("password authentication failed for user \"app\"");
        }
        assertThat(nodes.get("primary").getConnectionCalls).hasValue(1);
        assertThat(nodes.get("replica-1").getConnectionCalls.get() + nodes.get("replica-2").getConnectionCalls.get()).isZero();
        NodeSnapshot p = ds.snapshot().node("primary");
        assertThat(p.clientErrors()).isEqualTo(1);
        assertThat(p.failures()).isZero();
    }

    @Test
    void aPoolsMessageQuotingItsUrlWithCredentialsReachesTheCallerWithoutThem() throws SQLException {
        nodes.get("primary").fail(new SQLException("cannot connect to jdbc:nosuchdb://app:Zq7secret@db1:5432/orders",
                "08001"));
        nodes.get("replica-1").fail(new SQLException("refused: jdbc:x://db2/orders;user=app;password=Wx8secret", "08006"));
        nodes.get("replica-2").fail(new SQLException("login to jdbc:x://app:Yv9secret@db3/orders refused", "28P01"));
        try (Connection c = ds.getConnection()) {
            SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, () -> whoami(c));
            assertThat(e.getSQLState()).isEqualTo("08001");
            assertThat(e.getMessage()).isEqualTo("data source 'orders-db': no node could give a connection for writes; "
                    + "tried node 'primary': cannot connect to jdbc:nosuchdb://db1:5432/orders");
            assertThat(stackTrace(e)).doesNotContain("Zq7secret");
        }
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            // replica-1 fails over (a connection failure), replica-2 refuses: thrown at once, redacted
            SQLException e = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, () -> whoami(c));
            String all = stackTrace(e);
            assertThat(all).doesNotContain("Zq7secret", "Wx8secret", "Yv9secret");
        }
    }

    private static String stackTrace(Throwable e) {
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }

    @Test
    void whenEveryNodeIsDownTheErrorNamesTheDataSourceAndEachNode() {
        nodes.values().forEach(n -> n.fail(new SQLException("Connection refused", "08001")));
        try (RoutingDataSource noEjection = RoutingDataSource.builder(
                router(routerBuilder().outlierEjection(OutlierEjection.disabled()))).build()) {
            assertThatThrownBy(() -> {
                try (Connection c = noEjection.getConnection()) {
                    c.setReadOnly(true);
                    whoami(c);
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08001");
                assertThat(e.getMessage()).startsWith("data source 'orders-db': no node could give a connection for reads; tried ")
                        .contains("node 'replica-1'", "node 'replica-2'", "node 'primary'");
                assertThat(e.getSuppressed()).hasSize(3)
                        .allSatisfy(s -> assertThat(((SQLException) s).getSQLState()).isEqualTo("08001"));
            });
        }
    }

    @Test
    void statementsFeedTheNodesLatencyAndAreNeverReExecuted() throws SQLException {
        try (Connection c = ds.getConnection()) {
            for (int i = 0; i < 10; i++) {
                whoami(c);
            }
            try (Statement s = c.createStatement()) {
                assertThatThrownBy(() -> s.executeQuery("select * from no_such_table")).isInstanceOf(SQLException.class);
                assertThat(s.getConnection()).isSameAs(c);
            }
        }
        NodeSnapshot p = ds.snapshot().node("primary");
        // 1 connection taken + 10 queries + 1 bad query, the bad one the caller's fault
        assertThat(p.requests()).isEqualTo(12);
        assertThat(p.successes()).isEqualTo(11);
        assertThat(p.clientErrors()).isEqualTo(1);
        assertThat(p.failures()).isZero();
        assertThat(p.inFlight()).isZero();
    }

    @Test
    void aConnectionFailureDuringAStatementBreaksTheConnectionAndBlamesTheNode() throws SQLException {
        try (Connection c = ds.getConnection()) {
            assertThat(whoami(c)).isEqualTo("primary");
            // the server goes away under the logical connection
            nodes.get("primary").failStatements(new SQLException("An I/O error occurred while sending to the backend", "08006"));
            assertThatThrownBy(() -> whoami(c)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("08006"));
            nodes.get("primary").heal();
            assertThatThrownBy(() -> whoami(c)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08003");
                assertThat(e.getMessage()).startsWith("connection of data source 'orders-db' to node 'primary' is broken");
            });
            assertThat(c.isValid(1)).isFalse();
        }
        assertThat(ds.snapshot().node("primary").failures()).isEqualTo(1);
    }

    @Test
    void closedLogicalConnectionsAndDataSourcesRefuseWork() throws SQLException {
        Connection c = ds.getConnection();
        whoami(c);
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(c::createStatement).isInstanceOfSatisfying(SQLException.class,
                e -> assertThat(e.getSQLState()).isEqualTo("08003"));
        assertThat(pools.get("primary").getActiveConnections()).isZero();
        ds.close();
        assertThatThrownBy(ds::getConnection).hasMessage("data source 'orders-db' is closed");
        // the pools were not ours to close
        try (Connection direct = pools.get("primary").getConnection()) {
            assertThat(direct.isValid(1)).isTrue();
        }
    }

    @Test
    void unwrapReachesTheRoutingTypesAndThePhysicalConnection() throws SQLException {
        assertThat(ds.unwrap(RoutingDataSource.class)).isSameAs(ds);
        assertThat(ds.isWrapperFor(javax.sql.DataSource.class)).isTrue();
        assertThatThrownBy(() -> ds.unwrap(org.h2.jdbcx.JdbcDataSource.class)).isInstanceOf(SQLException.class);
        try (Connection c = ds.getConnection()) {
            assertThat(c.unwrap(Connection.class)).isSameAs(c);
            assertThat(c.isWrapperFor(org.h2.jdbc.JdbcConnection.class)).isTrue();
            assertThat(c.unwrap(org.h2.jdbc.JdbcConnection.class)).isInstanceOf(org.h2.jdbc.JdbcConnection.class);
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo("H2");
        }
    }

    @Test
    void passwordsNeverShowInSnapshotsNamesOrMessages() throws SQLException {
        SwitchableDataSource secret = new SwitchableDataSource(pools.get("primary"),
                "PGSimpleDataSource jdbc:postgresql://app:s3cret@db:5432/orders?password=s3cret&user=app");
        secret.fail(new SQLException("Connection refused", "08001"));
        try (Router<DataSource> router = Router.<DataSource>builder("secrets").node(JdbcNodes.primary("p", secret))
                .policy(RoutingPolicies.roundRobin()).build();
                RoutingDataSource r = RoutingDataSource.builder(router).build()) {
            String text = r.toString() + r.snapshot() + r.snapshot().nodes() + r.router().nodes();
            try (Connection c = r.getConnection()) {
                c.createStatement();
            } catch (SQLException e) {
                text += e.getMessage() + java.util.Arrays.toString(e.getSuppressed());
            }
            assertThat(text).doesNotContain("s3cret").contains("db:5432");
        }
    }

    @Test
    void aStatementPreparedBeforeAReadOnlySwitchFailsClearlyInsteadOfRunningOnTheOldNode() throws SQLException {
        try (Connection c = ds.getConnection()) {
            PreparedStatement onPrimary = c.prepareStatement("select name from whoami");
            Statement plain = c.createStatement();
            assertThat(whoami(c)).isEqualTo("primary");
            c.setReadOnly(true);
            for (Statement stale : new Statement[] {onPrimary, plain}) {
                assertThatThrownBy(() -> {
                    if (stale instanceof PreparedStatement ps) {
                        ps.executeQuery();
                    } else {
                        stale.executeQuery("select name from whoami");
                    }
                })
                        .isInstanceOf(SQLException.class)
                        .hasMessage("data source 'orders-db': this statement was made before setReadOnly(true) moved "
                                + "this connection off node 'primary'; the connection no longer runs it: create or "
                                + "prepare it again on this connection")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("55000"));
            }
            // prepared again: it runs where the connection now is
            try (PreparedStatement again = c.prepareStatement("select name from whoami");
                    ResultSet rs = again.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("replica-");
            }
        }
        assertThat(ds.snapshot().nodes()).as("the stale statements ran nowhere, so no node counted them")
                .filteredOn(n -> n.id().equals("primary")).singleElement()
                .satisfies(n -> assertThat(n.clientErrors() + n.failures()).isZero());
    }

    @Test
    void theWrappersAnswerTheLogicalConnectionAndTheirOwnStatement() throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("select name from whoami");
                ResultSet rs = ps.executeQuery()) {
            assertThat(ps.getConnection()).isSameAs(c);
            assertThat(rs.getStatement()).isSameAs(ps);
            assertThat(c.getMetaData().getConnection()).isSameAs(c);
            assertThat(ps.isWrapperFor(org.h2.jdbc.JdbcPreparedStatement.class)).isTrue();
            assertThat(ps.unwrap(org.h2.jdbc.JdbcPreparedStatement.class)).isNotNull();
            try (Statement s = c.createStatement()) {
                assertThat(s.execute("select 1")).isTrue();
                assertThat(s.getResultSet().getStatement()).isSameAs(s);
            }
            try (var call = c.prepareCall("select name from whoami"); ResultSet crs = call.executeQuery()) {
                assertThat(crs.getStatement()).isSameAs(call);
                assertThat(call.getConnection()).isSameAs(c);
            }
        }
    }

    @Test
    void builderRefusesBadValues() {
        Router<DataSource> empty = router(Router.builder("db"));
        assertThatThrownBy(() -> RoutingDataSource.builder(empty).build())
                .hasMessage("data source 'db' needs at least one node: add JdbcNodes.primary(..) or JdbcNodes.replica(..) "
                        + "to router 'db'");
        assertThatThrownBy(() -> Router.<DataSource>builder("db").node(JdbcNodes.primary("a", nodes.get("primary")))
                .node(JdbcNodes.replica("a", nodes.get("replica-1"))))
                .hasMessage("router 'db': duplicate node id 'a'");
        assertThatThrownBy(() -> RoutingDataSource.builder(empty).maxReplicaLag(java.time.Duration.ofSeconds(-1)))
                .hasMessage("data source 'db': maxReplicaLag must be >= 0, but was PT-1S");
        assertThatThrownBy(() -> RoutingDataSource.builder(router(routerBuilder()
                .hedge(HedgePolicy.afterDelay(Duration.ofMillis(50))))).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("data source 'orders-db': router 'orders-db' hedges (HedgePolicy[delay=PT0.05S, "
                        + "maxExtraPercent=5, maxHedges=1]); a routing data source never hedges, since a JDBC statement "
                        + "is not safe to run twice in general: build the router without hedge(..)");
        Router<DataSource> closed = router(routerBuilder());
        closed.close();
        assertThatThrownBy(() -> RoutingDataSource.builder(closed).build()).isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("data source 'orders-db': router 'orders-db' is closed");
        assertThatThrownBy(() -> ds.getConnection("app", "pw")).isInstanceOf(java.sql.SQLFeatureNotSupportedException.class);
    }

    @Test
    void readOnlyMayStillChangeAfterAutoCommitIsTurnedOffUntilAStatementRuns() throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setReadOnly(true);
            assertThat(whoami(c)).startsWith("replica");
            assertThat(c.getAutoCommit()).isFalse();
            assertThatThrownBy(() -> c.setReadOnly(false)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            c.commit();
            c.setReadOnly(false);
            assertThat(whoami(c)).isEqualTo("primary");
            c.rollback();
        }
    }

    @Test
    void thePoolsAutoCommitSettingIsLeftAloneUnlessTheApplicationSetsIt() throws SQLException {
        JdbcConnectionPool manual = JdbcConnectionPool.create("jdbc:h2:mem:manual-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;AUTOCOMMIT=OFF", "sa", "");
        try (Router<DataSource> router = Router.<DataSource>builder("manual").node(JdbcNodes.primary("p", manual)).build();
                RoutingDataSource r = RoutingDataSource.builder(router).build();
                Connection c = r.getConnection()) {
            assertThat(c.getAutoCommit()).isFalse();
            c.createStatement().execute("create table t(id int)");
            c.createStatement().execute("insert into t values (1)");
            c.rollback();
            try (ResultSet rs = c.createStatement().executeQuery("select count(*) from t")) {
                rs.next();
                assertThat(rs.getInt(1)).as("the insert was rolled back, not auto-committed").isZero();
            }
            // the pool's auto-commit is asked only now (not when the connection was taken): a transaction is open
            assertThatThrownBy(() -> c.setReadOnly(true)).isInstanceOfSatisfying(SQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("25001"));
            c.commit();
            c.setReadOnly(true);
            assertThat(c.isReadOnly()).isTrue();
        } finally {
            manual.dispose();
        }
    }

    @Test
    void readsSkipReplicasThatAreEjectedBeforeFallingBackToThePrimary() throws SQLException {
        nodes.get("replica-1").fail(new SQLException("Connection refused", "08001"));
        nodes.get("replica-2").fail(new SQLException("Connection refused", "08001"));
        try (RoutingDataSource r = RoutingDataSource.builder(router(routerBuilder()
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).maxEjectionPercent(100).build()))).build()) {
            try (Connection c = r.getConnection()) {
                c.setReadOnly(true);
                assertThat(whoami(c)).isEqualTo("primary");
            }
            int triedBefore = nodes.get("replica-1").getConnectionCalls.get() + nodes.get("replica-2").getConnectionCalls.get();
            assertThat(triedBefore).isEqualTo(2);
            for (int i = 0; i < 10; i++) {
                try (Connection c = r.getConnection()) {
                    c.setReadOnly(true);
                    assertThat(whoami(c)).isEqualTo("primary");
                }
            }
            // ejected replicas are not asked again while the primary can serve: no waiting on dead pools
            assertThat(nodes.get("replica-1").getConnectionCalls.get() + nodes.get("replica-2").getConnectionCalls.get())
                    .isEqualTo(triedBefore);
            assertThat(r.snapshot().noAvailableNode()).as("reads the primary served are no missing node").isZero();
        }
    }

    @Test
    void statementsOnAnOpenConnectionStillRunAfterTheDataSourceIsClosed() throws SQLException {
        Connection c = ds.getConnection();
        Connection unused = ds.getConnection();
        assertThat(whoami(c)).isEqualTo("primary");
        ds.close();
        assertThat(whoami(c)).isEqualTo("primary");
        c.close();
        assertThatThrownBy(() -> whoami(unused)).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("08003");
            assertThat(e.getMessage()).isEqualTo("data source 'orders-db' is closed");
        });
    }

    @Test
    void aNodeWithoutAPrimaryOrReplicaRoleLabelIsRefusedNamingTheNodeAndTheLabel() {
        Router<DataSource> unlabelled = router(Router.<DataSource>builder("db")
                .node(JdbcNodes.primary("a", nodes.get("primary")))
                .node(Node.of("b", nodes.get("replica-1"))));
        assertThatThrownBy(() -> RoutingDataSource.builder(unlabelled).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("data source 'db': node 'b': label role must be primary or replica, but was missing");
        Router<DataSource> leader = router(Router.<DataSource>builder("db")
                .node(Node.<DataSource>builder("a", nodes.get("primary")).label(JdbcNodes.ROLE_LABEL, "leader").build()));
        assertThatThrownBy(() -> RoutingDataSource.builder(leader).build())
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("data source 'db': node 'a': label role must be primary or replica, but was 'leader'");
        assertThat(JdbcNodes.replica("r", nodes.get("replica-1"), 3))
                .satisfies(n -> assertThat(n.labels()).containsExactly(Map.entry("role", "replica")))
                .extracting(Node::weight).isEqualTo(3);
    }

    @Test
    void closingADataSourceLeavesTheCallersRouterOpenForItsOtherUsers() throws SQLException {
        Router<DataSource> router = router(routerBuilder());
        RoutingDataSource first = RoutingDataSource.builder(router).build();
        try (Connection c = first.getConnection()) {
            assertThat(whoami(c)).isEqualTo("primary");
        }
        first.close();
        assertThat(first.isClosed()).isTrue();
        assertThat(router.isClosed()).isFalse();
        assertThatThrownBy(first::getConnection).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).isEqualTo("08003");
            assertThat(e.getMessage()).isEqualTo("data source 'orders-db' is closed");
        });
        // the router still routes: for a second data source, and for the caller
        try (RoutingDataSource second = RoutingDataSource.builder(router).build(); Connection c = second.getConnection()) {
            c.setReadOnly(true);
            assertThat(whoami(c)).startsWith("replica");
        }
        assertThat(router.snapshot().node("primary").requests()).isEqualTo(2);
        // once the caller closes its router, a data source over it takes no connections
        try (RoutingDataSource third = RoutingDataSource.builder(router).build(); Connection open = third.getConnection()) {
            router.close();
            assertThatThrownBy(() -> whoami(open)).isInstanceOfSatisfying(SQLException.class, e -> {
                assertThat(e.getSQLState()).isEqualTo("08003");
                assertThat(e.getMessage()).isEqualTo("data source 'orders-db' is closed: its router is closed");
            });
            assertThatThrownBy(third::getConnection)
                    .hasMessage("data source 'orders-db' is closed: its router is closed");
        }
        // the pools were not closed either
        try (Connection direct = pools.get("primary").getConnection()) {
            assertThat(direct.isValid(1)).isTrue();
        }
    }
}
