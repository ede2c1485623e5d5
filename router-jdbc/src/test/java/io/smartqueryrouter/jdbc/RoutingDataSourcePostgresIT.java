package io.smartqueryrouter.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.jdbc.pg.Await;
import io.smartqueryrouter.jdbc.pg.PostgresCluster;
import io.smartqueryrouter.jdbc.pg.PostgresClusterExtension;
import io.smartqueryrouter.jdbc.pg.PostgresNode;
import io.smartqueryrouter.jdbc.pg.Pools;
import io.smartqueryrouter.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing data source against a real PostgreSQL 15 primary and two streaming replicas, one
 * HikariCP pool per node, with real faults: a delaying TCP proxy, pg_ctl stop -m immediate,
 * SIGSTOP, paused WAL replay.
 */
@ExtendWith(PostgresClusterExtension.class)
class RoutingDataSourcePostgresIT {
    /** Probes every second, each with 900 ms to answer: a busy machine must not make a healthy node fail them. */
    private static final Duration HEALTH_INTERVAL = Duration.ofSeconds(1);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(900);
    /**
     * The pools' connection timeout where a node may be down. Short, so the data source fails over
     * rather than waits; 250 ms was too short for a healthy node on a busy machine (a read timed out
     * after 278 ms). Nothing asserted depends on it but the longest read of the frozen-replica test.
     */
    private static final Duration POOL_TIMEOUT = Duration.ofSeconds(1);
    /** How long to wait for what the machine's speed decides (threads to run, servers to restart); generous. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeAfter.size() - 1; i >= 0; i--) {
            closeAfter.get(i).close();
        }
    }

    private HikariDataSource pool(PostgresNode node, int port, Duration connectionTimeout) {
        HikariDataSource ds = Pools.hikari(node, port, connectionTimeout);
        closeAfter.add(ds);
        pools.put(node.id(), ds);
        return ds;
    }

    private RouterBuilder<DataSource> routing(PostgresCluster pg, Map<String, Integer> ports) {
        // fail fast when a node is down, so the data source fails over instead of waiting
        return routing(pg, ports, POOL_TIMEOUT, HealthCheck.of(JdbcProbes.postgres()).interval(HEALTH_INTERVAL)
                .timeout(PROBE_TIMEOUT).fall(2).rise(2));
    }

    private RouterBuilder<DataSource> routing(PostgresCluster pg, Map<String, Integer> ports,
            Duration connectionTimeout, HealthCheck<DataSource> healthCheck) {
        RouterBuilder<DataSource> b = Router.<DataSource>builder("orders-db")
                .retry(RoutingDataSource.failoverRetry(pg.nodes().size()))
                .healthCheck(healthCheck)
                .outlierEjection(OutlierEjection.builder().baseEjection(Duration.ofSeconds(1)).build());
        for (PostgresNode n : pg.nodes()) {
            DataSource pool = pool(n, ports.getOrDefault(n.id(), n.port()), connectionTimeout);
            if (n.isPrimary()) {
                b.node(JdbcNodes.primary(n.id(), pool));
            } else {
                b.node(JdbcNodes.replica(n.id(), pool));
            }
        }
        return b;
    }

    private RoutingDataSource build(RouterBuilder<DataSource> b) {
        return build(b, UnaryOperator.identity());
    }

    private RoutingDataSource build(RouterBuilder<DataSource> b, UnaryOperator<RoutingDataSource.Builder> jdbc) {
        Router<DataSource> router = b.build();
        closeAfter.add(router);
        RoutingDataSource ds = jdbc.apply(RoutingDataSource.builder(router)).build();
        closeAfter.add(ds);
        return ds;
    }

    /** Where a connection really is: the server's own port, and whether it is in recovery (a replica). */
    private record Where(int port, boolean replica) {
    }

    private static Where where(Connection c) throws SQLException {
        return where(c, "select inet_server_port(), pg_is_in_recovery()");
    }

    private static Where where(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return new Where(rs.getInt(1), rs.getBoolean(2));
        }
    }

    private static Where read(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            return where(c);
        }
    }

    /** Four application threads reading through the data source until stopped. */
    private static final class Readers implements AutoCloseable {
        final Map<Integer, AtomicInteger> perPort = new ConcurrentHashMap<>();
        /** Reads for which the data source found no node to give a connection (SQLState 08001 from it). */
        final AtomicInteger routingFailures = new AtomicInteger();
        /** Reads whose statement failed on a connection the fault cut: thrown to the caller, never re-executed. */
        final AtomicInteger statementFailures = new AtomicInteger();
        final AtomicLong longestReadNanos = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService threads = Executors.newFixedThreadPool(4);
        private final List<Future<?>> running = new ArrayList<>();

        Readers(DataSource ds) {
            for (int t = 0; t < 4; t++) {
                running.add(threads.submit(() -> {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        try {
                            perPort.computeIfAbsent(read(ds).port(), k -> new AtomicInteger()).incrementAndGet();
                        } catch (SQLException e) {
                            (e.getMessage().startsWith("data source 'orders-db'") ? routingFailures : statementFailures)
                                    .incrementAndGet();
                        }
                        longestReadNanos.accumulateAndGet(System.nanoTime() - t0, Math::max);
                    }
                    return null;
                }));
            }
        }

        int on(PostgresNode node) {
            AtomicInteger n = perPort.get(node.port());
            return n == null ? 0 : n.get();
        }

        /** Stops the readers and waits for each to finish its read: none may hang. */
        @Override
        public void close() throws Exception {
            stop.set(true);
            for (Future<?> f : running) {
                f.get(15, TimeUnit.SECONDS);
            }
            threads.shutdown();
        }
    }

    private static void exec(PostgresCluster pg, String sql) throws SQLException {
        try (Connection c = pg.connect(pg.primary()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void writesLandOnThePrimaryAndReadsSpreadOverTheReplicas(PostgresCluster pg) throws Exception {
        // least-in-flight spreads concurrent reads over equal replicas by design; the default policy sends them
        // where latency is lowest right now, so on a noisy machine one latency peak can keep a replica idle for
        // seconds (Peak-EWMA's tau is 10 s): how it routes by latency is the slow-replica test below
        RoutingDataSource ds = build(routing(pg, Map.of()).policy(RoutingPolicies.leastInFlight()));
        exec(pg, "drop table if exists spread; create table spread(id int primary key)");
        for (int i = 0; i < 100; i++) {
            try (Connection c = ds.getConnection()) {
                assertThat(where(c)).isEqualTo(new Where(pg.primary().port(), false));
                try (PreparedStatement p = c.prepareStatement("insert into spread values (?)")) {
                    p.setInt(1, i);
                    p.executeUpdate();
                }
            }
        }
        // a service in its steady state: each replica's pool holds four connections whose server processes have
        // run the query before (a new backend's first query is several times slower, and would count as the
        // replica's first latency sample)
        for (PostgresNode replica : pg.replicas()) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Connection c = pools.get(replica.id()).getConnection();
                held.add(c);
                where(c, "select inet_server_port(), pg_is_in_recovery(), pg_sleep(0.002)");
            }
            for (Connection c : held) {
                c.close();
            }
        }
        // four application threads reading at once, as a service does, with queries that take 2 ms
        Map<Integer, AtomicInteger> reads = new ConcurrentHashMap<>();
        ExecutorService readers = Executors.newFixedThreadPool(4);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            running.add(readers.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    Where w;
                    try (Connection c = ds.getConnection()) {
                        c.setReadOnly(true);
                        w = where(c, "select inet_server_port(), pg_is_in_recovery(), pg_sleep(0.002)");
                    }
                    assertThat(w.replica()).isTrue();
                    reads.computeIfAbsent(w.port(), k -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        readers.shutdown();
        assertThat(reads).containsOnlyKeys(pg.replica(1).port(), pg.replica(2).port());
        // two equal replicas: neither gets less than a fifth of the 400 reads
        assertThat(reads.values()).allSatisfy(n -> assertThat(n.get()).isGreaterThanOrEqualTo(80));
    }

    @Test
    void aReplicaSlowedBy50msEachWayGetsAtMost20PercentOfReads(PostgresCluster pg) throws Exception {
        PostgresNode slow = pg.replica(1);
        TcpProxy proxy = TcpProxy.builder("127.0.0.1", slow.port()).name("slow-replica").start();
        closeAfter.add(proxy);
        proxy.delay(Duration.ofMillis(50));
        // pools and probes get time for a few 100 ms round trips: the slow replica is healthy, only slow
        RoutingDataSource ds = build(routing(pg, Map.of(slow.id(), proxy.port()), Duration.ofSeconds(3),
                HealthCheck.of(JdbcProbes.postgres()).interval(Duration.ofSeconds(2)).timeout(Duration.ofMillis(1500))));
        for (int i = 0; i < 50; i++) {
            read(ds);   // warm-up: both replicas get sampled
        }
        int onSlow = 0;
        for (int i = 0; i < 300; i++) {
            onSlow += read(ds).port() == slow.port() ? 1 : 0;
        }
        assertThat(onSlow).as("reads on the slow replica out of 300").isLessThanOrEqualTo(60);
        assertThat(ds.snapshot().node(slow.id()).healthy()).isTrue();
        assertThat(ds.snapshot().node(slow.id()).ejected()).isFalse();
        assertThat(ds.snapshot().node(slow.id()).peakEwma()).isGreaterThan(Duration.ofMillis(50));
    }

    @Test
    void aReplicaKilledWhileFourThreadsReadIsMarkedDownAndRejoinsAfterRestart(PostgresCluster pg) throws Exception {
        PostgresNode victim = pg.replica(1);
        AtomicBoolean killing = new AtomicBoolean();
        AtomicInteger victimProbes = new AtomicInteger();
        // how many of the victim's probes had answered when it was first marked down after the kill began
        AtomicInteger probesAtDown = new AtomicInteger(-1);
        // one failed probe takes a node out, so a dead node is out by the second probe after its death even when
        // the first one was already running when it died
        RoutingDataSource ds = build(routing(pg, Map.of(), POOL_TIMEOUT, HealthCheck.of(JdbcProbes.postgres())
                .interval(HEALTH_INTERVAL).timeout(PROBE_TIMEOUT).fall(1).rise(2)).listener(new RouterListener() {
            @Override
            public void onHealthChecked(String router, Node<?> node, ProbeResult result, long durationNanos) {
                if (node.id().equals(victim.id())) {
                    victimProbes.incrementAndGet();
                }
            }

            @Override
            public void onHealthChanged(String router, Node<?> node, boolean healthy, ProbeResult r) {
                if (!healthy && node.id().equals(victim.id()) && killing.get()) {
                    probesAtDown.compareAndSet(-1, victimProbes.get());
                }
            }

            @Override
            public void onEjected(String router, Node<?> node, Duration duration) {
                if (node.id().equals(victim.id()) && killing.get()) {
                    probesAtDown.compareAndSet(-1, victimProbes.get());
                }
            }
        }));
        Readers readers = new Readers(ds);
        try (readers) {
            Await.until("reads on both replicas", PATIENCE, () -> readers.perPort.size() == 2);
            killing.set(true);
            if (!ds.snapshot().node(victim.id()).available()) {
                // a probe slowed by a busy machine took it out just now: it is down already
                probesAtDown.compareAndSet(-1, victimProbes.get());
            }
            pg.stopImmediate(victim);
            int probesAtDeath = victimProbes.get();
            Await.until(victim.id() + " out of rotation", PATIENCE, () -> probesAtDown.get() >= 0);
            int readsOnVictimAtDetection = readers.on(victim);
            // marked down (unhealthy by a probe, or ejected by failed reads) by the second probe after it died,
            // counted in probes rather than wall-clock time, which a busy machine stretches
            assertThat(probesAtDown.get() - probesAtDeath).as("probes of %s answered after it died until it was out",
                    victim.id()).isLessThanOrEqualTo(2);
            pg.start(victim);
            Await.until(victim.id() + " takes reads again", PATIENCE,
                    () -> readers.on(victim) > readsOnVictimAtDetection);
        }
        assertThat(readers.routingFailures).as("reads for which no node could give a connection").hasValue(0);
        // each pooled connection the kill cut fails at most once before the pool drops it
        assertThat(readers.statementFailures.get()).as("statements cut by the kill").isLessThanOrEqualTo(8);
        // a probe of the restarting server may still fail once while it takes reads: healthy within the patience
        Await.until(victim.id() + " healthy again", PATIENCE, () -> ds.snapshot().node(victim.id()).healthy());
    }

    @Test
    void aFrozenReplicaIsFailedOverWithinTheTimeoutsAndNoReaderWaitsForever(PostgresCluster pg) throws Exception {
        PostgresNode frozen = pg.replica(1);
        RoutingDataSource ds = build(routing(pg, Map.of()));
        Readers readers = new Readers(ds);
        try (readers) {
            Await.until("reads on both replicas", PATIENCE, () -> readers.perPort.size() == 2);
            pg.freeze(frozen);
            Await.until(frozen.id() + " out of rotation", PATIENCE,
                    () -> !ds.snapshot().node(frozen.id()).available());
            int onFrozen = readers.on(frozen);
            int onOther = readers.on(pg.replica(2));
            Await.until("200 more reads on the other replica", PATIENCE,
                    () -> readers.on(pg.replica(2)) >= onOther + 200);
            assertThat(readers.on(frozen)).as("reads answered by the frozen replica").isEqualTo(onFrozen);
        } finally {
            pg.thaw(frozen);
        }
        // a read on a frozen server gives up after socketTimeout (3 s) or the pool's connectionTimeout (1 s, then
        // another node): no reader waits for it for ever. 5 s more is room for a busy machine, not for the router
        assertThat(Duration.ofNanos(readers.longestReadNanos.get())).isLessThan(Duration.ofSeconds(3 + 5));
        // only reads already waiting on the frozen server's connections fail: at most one per pooled connection
        assertThat(readers.routingFailures).hasValue(0);
        assertThat(readers.statementFailures.get()).isLessThanOrEqualTo(8);
    }

    @Test
    void aReplicaWhoseReplayIsPausedGetsNoReadsOnceItLagsAndReturnsAfterResume(PostgresCluster pg) throws Exception {
        PostgresNode lagging = pg.replica(1);
        exec(pg, "drop table if exists lag_writes; create table lag_writes(id serial primary key, at timestamptz default now())");
        RoutingDataSource ds = build(routing(pg, Map.of()), b -> b.maxReplicaLag(Duration.ofSeconds(1)));
        pg.pauseReplay(lagging);
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writes = writer.submit(() -> {
            while (!stop.get()) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.execute("insert into lag_writes default values");
                }
                TimeUnit.MILLISECONDS.sleep(20);
            }
            return null;
        });
        try {
            Await.until(lagging.id() + " reported lagging", PATIENCE, () -> {
                var probe = ds.router().stats(lagging.id()).orElseThrow().lastProbe();
                return probe != null && Long.parseLong(probe.attributes().getOrDefault("lagMillis", "0")) > 1000;
            });
            for (int i = 0; i < 200; i++) {
                assertThat(read(ds).port()).as("read %d", i).isEqualTo(pg.replica(2).port());
            }
            pg.resumeReplay(lagging);
            Await.until(lagging.id() + " takes reads again", PATIENCE,
                    () -> read(ds).port() == lagging.port());
        } finally {
            stop.set(true);
            writes.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            writer.shutdown();
        }
    }

    @Test
    void writesAreNeverDuplicatedAndTransactionsStayOnOneNodeWhileAReplicaDies(PostgresCluster pg) throws Exception {
        exec(pg, "drop table if exists orders; create table orders(id int primary key, thread int)");
        RoutingDataSource ds = build(routing(pg, Map.of()));
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<Integer>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            done.add(writers.submit(() -> {
                int failed = 0;
                for (int i = 0; i < 250; i++) {
                    try (Connection c = ds.getConnection();
                            PreparedStatement p = c.prepareStatement("insert into orders values (?, ?)")) {
                        p.setInt(1, thread * 250 + i);
                        p.setInt(2, thread);
                        p.executeUpdate();
                    } catch (SQLException e) {
                        failed++;
                    }
                    if (thread == 0 && i == 50) {
                        pg.stopImmediate(pg.replica(1));
                    }
                    if (thread == 0 && i == 150) {
                        pg.start(pg.replica(1));
                    }
                }
                return failed;
            }));
        }
        for (Future<Integer> f : done) {
            assertThat(f.get(PATIENCE.multipliedBy(3).toSeconds(), TimeUnit.SECONDS)).as("failed inserts").isZero();
        }
        writers.shutdown();
        try (Connection c = pg.connect(pg.primary()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*), count(distinct id) from orders")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1000);
            assertThat(rs.getInt(2)).isEqualTo(1000);
        }
        for (int i = 0; i < 100; i++) {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                Where first = where(c);
                try (PreparedStatement p = c.prepareStatement("update orders set thread = thread where id = ?")) {
                    p.setInt(1, i);
                    assertThat(p.executeUpdate()).isEqualTo(1);
                }
                assertThat(where(c)).isEqualTo(first);
                assertThat(first).isEqualTo(new Where(pg.primary().port(), false));
                c.commit();
            }
        }
    }
}
