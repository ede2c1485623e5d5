package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.jdbc.pg.Await;
import io.smartqueryrouter.jdbc.pg.PostgresCluster;
import io.smartqueryrouter.jdbc.pg.PostgresClusterExtension;
import io.smartqueryrouter.jdbc.pg.PostgresNode;
import io.smartqueryrouter.jdbc.pg.Pools;
import io.smartqueryrouter.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica that comes back serves reads as soon as its health check passes, not after its
 * ejection, and no read waits long on a replica the router knows is down: a real PostgreSQL 15
 * primary and two streaming replicas, the router's default outlier ejection (30 s), probes every
 * second.
 */
@ExtendWith(PostgresClusterExtension.class)
class ReplicaRecoveryPostgresIT {
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
    /** Short of the interval, long enough that a busy machine does not fail a healthy node's probe. */
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(900);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private HikariDataSource pool(PostgresNode node, int port, Duration connectionTimeout) {
        HikariDataSource ds = Pools.hikari(node, port, connectionTimeout);
        closeAfter.add(ds);
        return ds;
    }

    /** The router's defaults but a probe every second (fall 3, rise 2, 30 s ejections). */
    private RouterBuilder<DataSource> routing(PostgresCluster pg, Map<String, Integer> ports, Duration poolTimeout) {
        RouterBuilder<DataSource> b = Router.<DataSource>builder("orders-db")
                .retry(RoutingDataSource.failoverRetry(pg.nodes().size()))
                .healthCheck(HealthCheck.of(JdbcProbes.postgres()).interval(HEALTH_INTERVAL).timeout(PROBE_TIMEOUT));
        for (PostgresNode n : pg.nodes()) {
            DataSource pool = pool(n, ports.getOrDefault(n.id(), n.port()), poolTimeout);
            b.node(n.isPrimary() ? JdbcNodes.primary(n.id(), pool) : JdbcNodes.replica(n.id(), pool));
        }
        return b;
    }

    private Router<DataSource> router;

    private RoutingDataSource build(RouterBuilder<DataSource> b, boolean readsFallBackToPrimary) {
        router = b.build();
        closeAfter.add(router);
        RoutingDataSource ds = RoutingDataSource.builder(router).readsFallBackToPrimary(readsFallBackToPrimary).build();
        closeAfter.add(ds);
        return ds;
    }

    private static int readPort(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select inet_server_port()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Counts one node's passing probes and notes how many there were at its first answered read. */
    private static final class Watch implements RouterListener {
        final String node;
        final AtomicBoolean counting = new AtomicBoolean();
        final AtomicInteger passingProbes = new AtomicInteger();
        final AtomicInteger probesAtFirstRead = new AtomicInteger(-1);

        Watch(String node) {
            this.node = node;
        }

        @Override
        public void onHealthChecked(String router, Node<?> n, ProbeResult result, long durationNanos) {
            if (counting.get() && n.id().equals(node) && result.healthy()) {
                passingProbes.incrementAndGet();
            }
        }

        @Override
        public void onAttemptCompleted(String router, Node<?> n, Outcome outcome, long latencyNanos, int attempt) {
            if (counting.get() && n.id().equals(node) && outcome == Outcome.SUCCESS) {
                probesAtFirstRead.compareAndSet(-1, passingProbes.get());
            }
        }
    }

    @Test
    void aReplicaRestartedInsideItsThirtySecondEjectionServesReadsByItsSecondPassingProbe(PostgresCluster pg)
            throws Exception {
        PostgresNode victim = pg.replica(1);
        Watch watch = new Watch(victim.id());
        RoutingDataSource ds = build(routing(pg, Map.of(), Duration.ofSeconds(1)).listener(watch), true);
        Await.until("a read on " + victim.id(), PATIENCE, () -> readPort(ds) == victim.port());

        pg.stopImmediate(victim);
        // five reads that failed on it eject it for 30 s: reported here on the router, since whether the
        // readers' own failures come before its probes mark it down depends on the machine's timing
        for (int i = 0; i < 5; i++) {
            router.newCall(n -> n.id().equals(victim.id()), null).begin().complete(Outcome.FAILURE);
        }
        assertThat(ds.snapshot().node(victim.id()).ejectedFor()).isGreaterThan(Duration.ofSeconds(25));
        Await.until(victim.id() + " marked down by its probes", PATIENCE,
                () -> !ds.snapshot().node(victim.id()).healthy());

        watch.counting.set(true);
        pg.start(victim);
        Await.until("a read on " + victim.id() + " after its restart", PATIENCE, () -> {
            readPort(ds);
            return watch.probesAtFirstRead.get() >= 0;
        });
        // rise 2: its second passing probe makes it healthy and ends any ejection; a read may be picked
        // just before the third probe's report, so at most 3; before, it waited out the 30 s ejection
        assertThat(watch.probesAtFirstRead.get()).as("passing probes of %s before its first read", victim.id())
                .isBetween(2, 3);
        assertThat(ds.snapshot().node(victim.id()).ejected()).isFalse();
    }

    @Test
    void noReadWaitsLongerThanTheHealthCheckTimeoutOnReplicasTheRouterMarkedDown(PostgresCluster pg) throws Exception {
        Map<String, Integer> ports = new java.util.HashMap<>();
        List<TcpProxy> proxies = new ArrayList<>();
        for (PostgresNode replica : pg.replicas()) {
            TcpProxy proxy = TcpProxy.builder("127.0.0.1", replica.port()).name(replica.id()).start();
            closeAfter.add(proxy);
            proxies.add(proxy);
            ports.put(replica.id(), proxy.port());
        }
        // a pool that would wait 10 s for a connection; reads may not fall back to the primary, so with both
        // replicas down they must try the replicas the router knows are down
        RoutingDataSource ds = build(routing(pg, ports, Duration.ofSeconds(10)), false);
        Await.until("reads on the replicas", PATIENCE, () -> readPort(ds) != pg.primary().port());

        proxies.forEach(TcpProxy::blackHole);
        Await.until("both replicas marked down", PATIENCE, () -> pg.replicas().stream()
                .noneMatch(r -> ds.snapshot().node(r.id()).healthy()));
        long longest = 0;
        int failed = 0;
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            try {
                readPort(ds);
            } catch (SQLException e) {
                failed++;
                assertThat(e.getSQLState()).isEqualTo("08001");
            }
            longest = Math.max(longest, System.nanoTime() - start);
        }
        assertThat(failed).as("reads with both replicas black-holed and no fallback").isEqualTo(5);
        // each of the two replicas waited at most the 900 ms probe timeout, not the pool's 10 s; the rest is
        // margin for a busy machine
        assertThat(Duration.ofNanos(longest)).as("the longest read").isLessThan(Duration.ofSeconds(5));
    }
}
