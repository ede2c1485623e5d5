package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.HealthCheckConfig;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.jdbc.pg.Await;
import io.smartqueryrouter.jdbc.pg.PostgresCluster;
import io.smartqueryrouter.jdbc.pg.PostgresClusterExtension;
import io.smartqueryrouter.jdbc.pg.PostgresNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What is not a node's fault fails at once, on real PostgreSQL: a wrong password or an unknown
 * database through {@link RoutingDataSource#fromConfig} ends the call with the server's SQLState
 * (never after the pool's connection timeout), shows no password, and leaves the node up. And a
 * replica that lost its WAL stream is reported lagging and gets no reads.
 */
@ExtendWith(PostgresClusterExtension.class)
class RoutingDataSourceRefusalsPostgresIT {
    /** A password with the characters that once cut redaction short; no piece of it may show. */
    private static final String WRONG_PASSWORD = "Zq7/Wx8@Yv9#Ut6";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static RouterConfig config(PostgresCluster pg, String database, String password) {
        List<NodeConfig> nodes = new ArrayList<>();
        for (PostgresNode n : pg.nodes()) {
            nodes.add(new NodeConfig(n.id(), "jdbc:postgresql://127.0.0.1:" + n.port() + "/" + database, 1, "",
                    Map.of("role", n.isPrimary() ? "primary" : "replica"),
                    Map.of("user", n.user(), "password", password)));
        }
        return new RouterConfig("orders-db", "p2c-peak-ewma", nodes,
                new HealthCheckConfig("postgres", null, Duration.ofSeconds(1), Duration.ofMillis(900), 2, 2),
                OutlierEjection.defaults(), null);
    }

    private static String everything(Throwable e) {
        StringWriter out = new StringWriter();
        e.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** Fails each of {@code calls} first uses, each within 2 s, and returns the failures. */
    private static List<SQLException> failFast(RoutingDataSource ds, boolean readOnly, int calls) {
        List<SQLException> failures = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            SQLException e = catchThrowableOfType(SQLException.class, () -> {
                try (Connection c = ds.getConnection()) {
                    c.setReadOnly(readOnly);
                    c.createStatement().close();
                }
            });
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertThat((Throwable) e).as("call %d", i).isNotNull();
            assertThat(millis).as("call %d failed after %d ms, not at once", i, millis).isLessThan(2000);
            failures.add(e);
        }
        return failures;
    }

    private static void assertNodesStayUp(RoutingDataSource ds) {
        for (var n : ds.router().nodes()) {
            NodeStats s = ds.router().stats(n.id()).orElseThrow();
            assertThat(s.ejected()).as("%s ejected", n.id()).isFalse();
            assertThat(s.consecutiveFailures()).as("%s blamed", n.id()).isZero();
        }
    }

    @Test
    void aWrongPasswordFailsEveryCallAtOnceWith28P01AndShowsNoPassword(PostgresCluster pg) {
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config(pg, pg.primary().database(), WRONG_PASSWORD))) {
            List<SQLException> failures = failFast(ds, false, 5);
            failures.addAll(failFast(ds, true, 5));
            for (SQLException e : failures) {
                assertThat(e.getSQLState()).isEqualTo("28P01");
                assertThat(e.getMessage()).contains("password authentication failed for user \"app\"");
                assertThat(everything(e)).doesNotContain("Zq7", "Wx8", "Yv9", "Ut6");
            }
            assertNodesStayUp(ds);
        }
    }

    @Test
    void aPasswordTheServerComesToAcceptIsTakenWithoutARestart(PostgresCluster pg) throws Exception {
        String rotated = "rotated-Zq7Wx8";
        String user = pg.primary().user();
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config(pg, pg.primary().database(), rotated))) {
            assertThat(failFast(ds, false, 1).get(0).getSQLState()).isEqualTo("28P01");
            try (Connection su = pg.connectAsSuperuser(pg.primary()); Statement s = su.createStatement()) {
                s.execute("alter role " + user + " password '" + rotated + "'");
            }
            // believed for a few seconds, then the next caller waits for a fresh attempt, which succeeds
            Await.until("a connection with the password the server now accepts", PATIENCE, () -> {
                try (Connection c = ds.getConnection()) {
                    c.createStatement().close();
                    return true;
                } catch (SQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("28P01");
                    return false;
                }
            });
        } finally {
            try (Connection su = pg.connectAsSuperuser(pg.primary()); Statement s = su.createStatement()) {
                s.execute("alter role " + user + " password '" + pg.primary().password().replace("'", "''") + "'");
            }
        }
    }

    @Test
    void anUnknownDatabaseFailsEveryCallAtOnceWith3D000(PostgresCluster pg) {
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config(pg, "no_such_db", pg.primary().password()))) {
            for (SQLException e : failFast(ds, true, 5)) {
                assertThat(e.getSQLState()).isEqualTo("3D000");
                assertThat(e.getMessage()).contains("database \"no_such_db\" does not exist");
                assertThat(everything(e)).doesNotContain(pg.primary().password());
            }
            assertNodesStayUp(ds);
        }
    }

    @Test
    void aReplicaWhosePrimaryConninfoPointsNowhereIsReportedLaggingAndGetsNoReads(PostgresCluster pg) throws Exception {
        PostgresNode cut = pg.replica(1);
        PostgresNode streaming = pg.replica(2);
        // the probe user sees the WAL receiver's status with pg_monitor (see JdbcProbes.postgres)
        try (Connection su = pg.connectAsSuperuser(pg.primary()); Statement s = su.createStatement()) {
            s.execute("grant pg_monitor to " + pg.primary().user());
        }
        Await.until("the grant replayed on " + cut.id(), PATIENCE, () -> pg.replayLagBytes(cut) == 0);
        RoutingDataSource ds = RoutingDataSource.fromConfig(config(pg, pg.primary().database(), pg.primary().password()));
        // fromConfig has no lag limit: the same router under a data source that has one
        RoutingDataSource limited = RoutingDataSource.builder(ds.router()).maxReplicaLag(Duration.ofSeconds(5)).build();
        String conninfo;
        try (Connection su = pg.connectAsSuperuser(cut); Statement s = su.createStatement()) {
            conninfo = string(s, "show primary_conninfo");
            // a port nothing listens on: the WAL receiver cannot reach its primary any more
            s.execute("alter system set primary_conninfo = 'host=127.0.0.1 port=1 user=replicator connect_timeout=1'");
            s.execute("select pg_reload_conf()");
        }
        try {
            Await.until(cut.id() + " reported with unknown lag", PATIENCE, () -> {
                ProbeResult probe = ds.router().stats(cut.id()).orElseThrow().lastProbe();
                return probe != null && probe.healthy()
                        && Long.toString(JdbcProbes.LAG_UNKNOWN_MILLIS).equals(probe.attributes().get("lagMillis"));
            });
            assertThat(ds.router().stats(cut.id()).orElseThrow().lastProbe().attributes()).containsEntry("role", "replica");
            for (int i = 0; i < 100; i++) {
                try (Connection c = limited.getConnection()) {
                    c.setReadOnly(true);
                    assertThat(port(c)).as("read %d", i).isEqualTo(streaming.port());
                }
            }
        } finally {
            try (Connection su = pg.connectAsSuperuser(cut); Statement s = su.createStatement()) {
                s.execute("alter system set primary_conninfo = '" + conninfo.replace("'", "''") + "'");
                s.execute("select pg_reload_conf()");
            }
            limited.close();
            ds.close();
        }
        pg.awaitReplicasStreaming();
    }

    private static String string(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int port(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select inet_server_port()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
