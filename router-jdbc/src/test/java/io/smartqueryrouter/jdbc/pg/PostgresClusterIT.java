package io.smartqueryrouter.jdbc.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The PostgreSQL test cluster itself: roles, replication, and each fault it offers. */
@ExtendWith(PostgresClusterExtension.class)
class PostgresClusterIT {

    /** How long replication may take here: generous, for a machine busy with other builds; PostgreSQL's speed, not ours. */
    private static final Duration REPLICATION_DEADLINE = Duration.ofSeconds(30);

    @Test
    void onePrimaryAndTwoStreamingReplicasEachAnsweringOnItsOwnPort(PostgresCluster pg) throws SQLException {
        assertThat(pg.nodes()).extracting(PostgresNode::id).containsExactly("pg-primary", "pg-replica-1", "pg-replica-2");
        assertThat(pg.nodes()).extracting(PostgresNode::port).doesNotHaveDuplicates();

        for (PostgresNode node : pg.nodes()) {
            assertThat(node.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + node.port() + "/app");
            assertThat(node.user()).isEqualTo("app");
            assertThat(node.password()).isEqualTo("app-secret");
            assertThat(node.toString()).doesNotContain("app-secret");
            try (Connection connection = pg.connect(node); Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT pg_is_in_recovery(), inet_server_port(), current_user,"
                            + " current_database(), pg_backend_pid(), current_setting('cluster_name')")) {
                rs.next();
                assertThat(rs.getBoolean(1)).as("%s in recovery", node.id()).isEqualTo(!node.isPrimary());
                assertThat(rs.getInt(2)).as("%s inet_server_port()", node.id()).isEqualTo(node.port());
                assertThat(rs.getString(3)).isEqualTo("app");
                assertThat(rs.getString(4)).isEqualTo("app");
                // our backend is a child of the postmaster whose PID the node reports
                long backendParent = ProcessHandle.of(rs.getLong(5)).flatMap(ProcessHandle::parent).orElseThrow().pid();
                assertThat(backendParent).as("%s postmaster PID", node.id()).isEqualTo(node.pid());
                assertThat(rs.getString(6)).isEqualTo(node.id());
            }
        }

        // the application user may read replication state (pg_monitor), as the adapter's lag probe will
        try (Connection connection = pg.connect(pg.primary()); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT application_name, state FROM pg_stat_replication ORDER BY application_name")) {
            List<String> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(rs.getString(1) + "=" + rs.getString(2));
            }
            assertThat(rows).containsExactly("pg-replica-1=streaming", "pg-replica-2=streaming");
        }
    }

    @Test
    void theApplicationUserNeedsItsPassword(PostgresCluster pg) {
        Properties wrong = pg.primary().jdbcProperties();
        wrong.setProperty("password", "not-the-password");

        assertThatThrownBy(() -> DriverManager.getConnection(pg.primary().jdbcUrl(), wrong).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
    }

    @Test
    void aRowWrittenOnThePrimaryShowsUpOnBothReplicas(PostgresCluster pg) throws SQLException {
        String table = createTable(pg, "visible");

        insert(pg, table, 1);

        for (PostgresNode replica : pg.replicas()) {
            Duration took = Await.until("row 1 on " + replica.id(), REPLICATION_DEADLINE, () -> count(pg, replica, table, 1) == 1);
            assertThat(took).isLessThan(REPLICATION_DEADLINE);
        }
        assertThat(pg.replayLagBytes(pg.replica(1))).isGreaterThanOrEqualTo(0);
    }

    @Test
    void stopImmediateThenStartBringsAReplicaBackStreaming(PostgresCluster pg) throws SQLException {
        PostgresNode replica = pg.replica(1);
        long pidBefore = replica.pid();

        pg.stopImmediate(replica);

        assertThat(replica.isRunning()).isFalse();
        assertThat(OsProcesses.alive(pidBefore)).isFalse();
        assertThatThrownBy(() -> pg.connect(replica).close())
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08001"));
        Await.until("pg_stat_replication without " + replica.id(), REPLICATION_DEADLINE,
                () -> streamingReplicas(pg).equals(List.of("pg-replica-2")));

        pg.start(replica);

        assertThat(replica.isRunning()).isTrue();
        assertThat(replica.pid()).isNotEqualTo(pidBefore);
        assertThat(streamingReplicas(pg)).containsExactly("pg-replica-1", "pg-replica-2");
        String table = createTable(pg, "restarted");
        insert(pg, table, 7);
        Await.until("row 7 on restarted " + replica.id(), REPLICATION_DEADLINE, () -> count(pg, replica, table, 7) == 1);
        try (Connection connection = pg.connect(replica); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT inet_server_port()")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(replica.port());
        }
    }

    @Test
    void freezeMakesAOneSecondSocketTimeoutFireAndThawMakesTheNodeAnswerAgain(PostgresCluster pg) throws SQLException {
        PostgresNode replica = pg.replica(2);
        String url = replica.jdbcUrl() + "?socketTimeout=1&connectTimeout=1&loginTimeout=2";
        try (Connection connection = DriverManager.getConnection(url, replica.jdbcProperties())) {
            assertThat(selectOne(connection)).isEqualTo(1);

            pg.freeze(replica);

            assertThat(replica.isFrozen()).isTrue();
            long start = System.nanoTime();
            assertThatThrownBy(() -> selectOne(connection))
                    .isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(SocketTimeoutException.class);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            // it waited for the 1 s timeout, and the timeout fired (the upper bound only tells fired from hung)
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(900)).isLessThan(Duration.ofSeconds(15));
        }
        // a new connection does not get through either: the kernel accepts, the server never answers
        long start = System.nanoTime();
        assertThatThrownBy(() -> DriverManager.getConnection(url, replica.jdbcProperties()).close())
                .isInstanceOf(SQLException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("connect and login timeouts fired").isLessThan(Duration.ofSeconds(15));

        pg.thaw(replica);

        assertThat(replica.isFrozen()).isFalse();
        try (Connection connection = DriverManager.getConnection(url, replica.jdbcProperties())) {
            assertThat(selectOne(connection)).isEqualTo(1);
        }
    }

    @Test
    void pauseReplayHidesANewRowOnThatReplicaOnlyUntilResume(PostgresCluster pg) throws SQLException {
        PostgresNode paused = pg.replica(1);
        PostgresNode other = pg.replica(2);
        String table = createTable(pg, "paused");
        insert(pg, table, 1);
        for (PostgresNode replica : pg.replicas()) {
            Await.until("row 1 on " + replica.id(), REPLICATION_DEADLINE, () -> count(pg, replica, table, 1) == 1);
        }

        pg.pauseReplay(paused);

        assertThat(paused.isReplayPaused()).isTrue();
        String commitLsn = insert(pg, table, 2);
        Await.until("row 2 on " + other.id(), REPLICATION_DEADLINE, () -> count(pg, other, table, 2) == 1);
        // the row's WAL has reached the paused replica: only replay holds it back
        Await.until(paused.id() + " received " + commitLsn, REPLICATION_DEADLINE, () -> received(pg, paused, commitLsn));
        assertThat(count(pg, paused, table, 2)).isZero();
        assertThat(count(pg, paused, table, 1)).isEqualTo(1);
        assertThat(pg.replayLagBytes(paused)).isPositive();

        pg.resumeReplay(paused);

        assertThat(paused.isReplayPaused()).isFalse();
        Await.until("row 2 on " + paused.id() + " after resume", REPLICATION_DEADLINE, () -> count(pg, paused, table, 2) == 1);
        Await.until(paused.id() + " caught up", REPLICATION_DEADLINE, () -> pg.replayLagBytes(paused) == 0);
    }

    @Test
    void missingBinariesFailTheTestSayingWhatToInstall() {
        Path nowhere = Path.of("/nonexistent/postgresql/15/bin");

        assertThatThrownBy(() -> PostgresCluster.builder().binDirectory(nowhere).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("PostgreSQL 15 server binaries not found: /nonexistent/postgresql/15/bin/initdb is missing or"
                        + " not executable. Install them with 'apt-get install -y postgresql-15' (Debian/Ubuntu), or point"
                        + " -Dsmartqueryrouter.pg.bin at a directory holding initdb, pg_ctl, pg_basebackup, postgres.");
    }

    @Test
    void builderRejectsBadValuesNamingFieldAndValue() {
        assertThatThrownBy(() -> PostgresCluster.builder().replicas(10))
                .hasMessage("PostgresCluster builder: replicas must be in 0..9, but was 10");
        assertThatThrownBy(() -> PostgresCluster.builder().database("App-DB"))
                .hasMessage("PostgresCluster builder: database must be a lower-case SQL identifier"
                        + " ([a-z_][a-z0-9_]*, at most 63), but was 'App-DB'");
        assertThatThrownBy(() -> PostgresCluster.builder().user("postgres"))
                .hasMessage("PostgresCluster builder: user must not be 'postgres' or 'replicator' (the harness uses them),"
                        + " but was 'postgres'");
        assertThatThrownBy(() -> PostgresCluster.builder().startTimeout(Duration.ofMillis(10)))
                .hasMessage("PostgresCluster builder: startTimeout must be >= 1 s, but was PT0.01S");
    }

    // ---------------------------------------------------------------------------------------

    private static String createTable(PostgresCluster pg, String prefix) throws SQLException {
        String table = "cluster_it_" + prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (Connection connection = pg.connect(pg.primary()); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id int PRIMARY KEY, note text)");
        }
        return table;
    }

    /** Inserts a row on the primary; returns the WAL position just past its commit. */
    private static String insert(PostgresCluster pg, String table, int id) throws SQLException {
        try (Connection connection = pg.connect(pg.primary());
                PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " VALUES (?, 'row')");
                Statement statement = connection.createStatement()) {
            insert.setInt(1, id);
            assertThat(insert.executeUpdate()).isEqualTo(1);
            try (ResultSet rs = statement.executeQuery("SELECT pg_current_wal_insert_lsn()::text")) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private static int count(PostgresCluster pg, PostgresNode node, String table, int id) throws SQLException {
        try (Connection connection = pg.connect(node);
                PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM " + table + " WHERE id = ?")) {
            select.setInt(1, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean received(PostgresCluster pg, PostgresNode replica, String lsn) throws SQLException {
        try (Connection connection = pg.connect(replica);
                PreparedStatement select = connection.prepareStatement("SELECT pg_last_wal_receive_lsn() >= ?::pg_lsn")) {
            select.setString(1, lsn);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<String> streamingReplicas(PostgresCluster pg) throws SQLException {
        try (Connection connection = pg.connect(pg.primary()); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT application_name FROM pg_stat_replication WHERE state = 'streaming' ORDER BY 1")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            return names;
        }
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
