package io.smartqueryrouter.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.jdbc.JdbcNodes;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import io.smartqueryrouter.jdbc.pg.Await;
import io.smartqueryrouter.jdbc.pg.Pools;
import io.smartqueryrouter.jdbc.pg.PostgresCluster;
import io.smartqueryrouter.jdbc.pg.PostgresNode;
import io.smartqueryrouter.testkit.TcpProxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Real JDBC reads through a {@link RoutingDataSource} against a real PostgreSQL 15 primary and three
 * streaming replicas, one of them behind a {@link TcpProxy} that makes it slow or makes it pause:
 * every registered policy side by side in interleaved rounds, open-loop load, latency from each
 * read's scheduled start, failed reads counted in. The JDBC half of issue 13's item 4; {@link
 * RealSocketBenchmark} is the HTTP half.
 *
 * <p>The servers come from the PostgreSQL harness of router-jdbc's integration tests ({@link
 * PostgresCluster}: the Debian {@code postgresql-15} binaries, run as user {@code postgres}), each
 * node behind its own HikariCP pool ({@link Pools#hikari}: at most 4 connections). A read takes a
 * connection, marks it read-only, runs the prepared point query {@code select v,
 * current_setting('cluster_name') from kv where id = ?} (the second column says which server
 * answered) and closes the connection. Scenarios, each with {@code pg-replica-3} behind the proxy:
 * {@code slow} (the proxy delays every chunk by the given milliseconds each way, 10 by default) and
 * {@code pause} (everything through the proxy stalls 300 ms out of every 3 s, the first stall 1 s
 * into a run); {@code baseline} is the default policy without {@code pg-replica-3}. With {@code workMs}
 * above 0 each read also waits that long in the server ({@code pg_sleep} in the query), so reads take
 * milliseconds, as the HTTP benchmark's 20 ms calls, and a node's four pooled connections are its four
 * workers: the point query alone takes about 0.2 ms, under what the shared machine's stalls add.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.RealSocketJdbcBenchmark \
 *     [secondsPerRun=9] [rounds=3] [lightReadsPerSecond=200] [heavyReadsPerSecond=600] [delayMs=10] [policies] \
 *     [workMs=0]
 * }</pre>
 * {@code policies}, comma-separated, defaults to every registered policy. The
 * default policy ({@code pool-ewma}) must be among them: it runs the baseline and is compared with it.
 * Prints one Markdown table per scenario and load level, then the default against the baseline.
 */
public final class RealSocketJdbcBenchmark {

    private static final String QUERY = "select v, current_setting('cluster_name') from kv where id = ?";
    /** The query with work in the server: {@code pg_sleep}'s one row joined to the point read. */
    private static final String QUERY_WITH_WORK =
            "select v, current_setting('cluster_name') from kv, pg_sleep(?) where id = ?";
    private static final int ROWS = 1000;
    private static final String FAULTY = "pg-replica-3";
    private static final String PRIMARY = "pg-primary";
    private static final String[] SCENARIOS = {"slow", "pause"};
    private static final String BASELINE = "baseline";
    private static final String[] LOAD_NAMES = {"light", "heavy"};
    /** A failed read counts with at least this latency: the pool's connection timeout. */
    private static final Duration FAILED_AT_LEAST = Duration.ofSeconds(1);
    private static final Duration PAUSE = Duration.ofMillis(300);
    private static final Duration PAUSE_EVERY = Duration.ofSeconds(3);
    private static final Duration FIRST_PAUSE_AFTER = Duration.ofSeconds(1);
    /** Reads scheduled before this point of a run are the "learning" part of the faulty share. */
    private static final Duration LEARNING = Duration.ofSeconds(2);
    /** The first read that threw, for the report on stderr. */
    private static final AtomicReference<String> FIRST_FAILURE = new AtomicReference<>();
    /** Held so the level set in {@link #main} is not collected: the routers log each start and close at INFO. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.smartqueryrouter");

    private RealSocketJdbcBenchmark() {
    }

    /** One read: its latency from the scheduled start, where it ran, when in the run it was scheduled. */
    private record Read(long latencyNanos, byte where, long offsetNanos) {
        static final byte HEALTHY = 0;
        static final byte ON_FAULTY = 1;
        static final byte ON_PRIMARY = 2;
        static final byte FAILED = 3;
    }

    /** The reads of one cell (scenario, load, policy), pooled over rounds, and each round's p99.9. */
    private static final class Tally {
        final List<Read> reads = Collections.synchronizedList(new ArrayList<>());
        final List<Double> roundP999 = new ArrayList<>();
        final AtomicReference<String> firstFailure = new AtomicReference<>();

        long[] sortedLatencies() {
            synchronized (reads) {
                return reads.stream().mapToLong(Read::latencyNanos).sorted().toArray();
            }
        }

        long count(byte where) {
            synchronized (reads) {
                return reads.stream().filter(r -> r.where() == where).count();
            }
        }
    }

    /** The servers, pools and proxy every run shares; each run builds its own router over them. */
    private static final class Rig {
        final HikariDataSource primary;
        final HikariDataSource replica1;
        final HikariDataSource replica2;
        final HikariDataSource faulty;
        final TcpProxy proxy;
        /** How long each read waits in the server, in seconds; 0 for the point query alone. */
        final double workSeconds;

        Rig(PostgresCluster pg, TcpProxy proxy, double workSeconds) {
            this.proxy = proxy;
            this.workSeconds = workSeconds;
            Duration wait = FAILED_AT_LEAST;
            primary = Pools.hikari(pg.primary(), pg.primary().port(), wait);
            replica1 = Pools.hikari(pg.replica(1), pg.replica(1).port(), wait);
            replica2 = Pools.hikari(pg.replica(2), pg.replica(2).port(), wait);
            faulty = Pools.hikari(pg.replica(3), proxy.port(), wait);
        }

        void close() {
            for (HikariDataSource ds : new HikariDataSource[] {primary, replica1, replica2, faulty}) {
                ds.close();
            }
        }
    }

    /**
     * Starts the servers, runs the benchmark and prints the tables.
     *
     * @param args optional: seconds per run (default 9), rounds (default 3), light load in reads/s
     *     (default 200), heavy load in reads/s (default 600), the slow replica's delay each way in ms
     *     (default 10), the policies, comma-separated (default: every registered one), the time each read
     *     waits in the server in ms (default 0: the point query alone)
     * @throws Exception if PostgreSQL cannot start or the table cannot be made
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? RealSocketBenchmark.positive("secondsPerRun", args[0]) : 9;
        int rounds = args.length > 1 ? (int) RealSocketBenchmark.positive("rounds", args[1]) : 3;
        double light = args.length > 2 ? RealSocketBenchmark.positive("lightReadsPerSecond", args[2]) : 200;
        double heavy = args.length > 3 ? RealSocketBenchmark.positive("heavyReadsPerSecond", args[3]) : 600;
        double delayMs = args.length > 4 ? RealSocketBenchmark.positive("delayMs", args[4]) : 10;
        List<String> policies = args.length > 5 ? List.of(args[5].split(","))
                : new ArrayList<>(RoutingPolicies.providers().keySet());
        double workMs = args.length > 6 ? RealSocketBenchmark.nonNegative("workMs", args[6]) : 0;
        double[] loads = {light, heavy};
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        QUIET.setLevel(java.util.logging.Level.WARNING);

        String defaultPolicy = RoutingPolicies.poolEwma().name();
        if (!policies.contains(defaultPolicy)) {
            throw new IllegalArgumentException("policies must include the default '" + defaultPolicy
                    + "' (it is compared with the baseline), but were " + policies);
        }
        for (String policy : policies) {
            // before PostgreSQL starts: an unknown name fails at once, listing the registered ones
            RoutingPolicies.byName(policy);
        }
        Duration delay = Duration.ofNanos((long) (delayMs * 1e6));

        long began = System.nanoTime();
        Map<String, Tally> totals = new LinkedHashMap<>();
        try (PostgresCluster pg = PostgresCluster.builder().replicas(3).start();
                TcpProxy proxy = TcpProxy.builder("127.0.0.1", pg.replica(3).port()).name(FAULTY).start()) {
            System.err.printf(Locale.ROOT, "PostgreSQL primary and 3 replicas started in %.1f s%n",
                    pg.startupTime().toMillis() / 1e3);
            fill(pg);
            Rig rig = new Rig(pg, proxy, workMs / 1e3);
            try {
                System.err.printf(Locale.ROOT, "warm-up%n");
                for (double rate : loads) {
                    run(rig, "slow", defaultPolicy, rate, Math.min(seconds, 3), delay, 7);
                    run(rig, "pause", defaultPolicy, rate, Math.min(seconds, 3), delay, 8);
                }
                Random shuffle = new Random(42);
                for (int round = 1; round <= rounds; round++) {
                    for (int l = 0; l < loads.length; l++) {
                        for (String[] r : RealSocketBenchmark.shuffledRuns(SCENARIOS, policies, BASELINE, defaultPolicy,
                                shuffle)) {
                            List<Read> reads = run(rig, r[0], r[1], loads[l], seconds, delay, round * 1000L + l);
                            Tally t = totals.computeIfAbsent(r[0] + "|" + l + "|" + r[1], k -> new Tally());
                            t.reads.addAll(reads);
                            double p999 = RealSocketBenchmark.pct(
                                    reads.stream().mapToLong(Read::latencyNanos).sorted().toArray(), 0.999);
                            t.roundP999.add(p999);
                            System.err.printf(Locale.ROOT, "  %s %s %s: p99.9 %.1f ms, %.1f%% on %s%n", r[0],
                                    LOAD_NAMES[l], r[1], p999, 100.0 * reads.stream()
                                            .filter(x -> x.where() == Read.ON_FAULTY).count() / Math.max(1, reads.size()),
                                    FAULTY);
                            reads.stream().filter(x -> x.where() == Read.FAILED).findFirst().ifPresent(x ->
                                    t.firstFailure.compareAndSet(null, r[0] + "/" + r[1]));
                        }
                        System.err.printf(Locale.ROOT, "round %d, %s load done after %.0f s%n", round, LOAD_NAMES[l],
                                (System.nanoTime() - began) / 1e9);
                    }
                }
            } finally {
                rig.close();
            }
        }

        System.out.printf(Locale.ROOT, "Run: %s s per run, %d round(s), light %.0f reads/s, heavy %.0f reads/s, slow replica"
                + " +%s ms each way, pausing replica 300 ms every 3 s, %s ms of work per read; took %.0f s%n%n", seconds,
                rounds, light, heavy, delayMs, workMs, (System.nanoTime() - began) / 1e9);
        List<String> order = new ArrayList<>();
        order.add(defaultPolicy);
        policies.stream().filter(p -> !p.equals(defaultPolicy)).forEach(order::add);
        for (String scenario : SCENARIOS) {
            for (int l = 0; l < loads.length; l++) {
                System.out.printf(Locale.ROOT, "### %s, %s load (%.0f reads/s)%n%n", scenario, LOAD_NAMES[l], loads[l]);
                System.out.println("| policy | reads | failed % | p50 ms | p99 ms | p99.9 ms | max ms | on faulty replica |"
                        + " on it after 2 s | reads over the baseline's p99.9: on faulty | the others: due in a pause's 300 ms |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                Tally base = totals.get(BASELINE + "|" + l + "|" + defaultPolicy);
                double baseP999 = RealSocketBenchmark.pct(base.sortedLatencies(), 0.999);
                for (String policy : order) {
                    row(policy.equals(defaultPolicy) ? "**" + policy + "** (default)" : policy,
                            totals.get(scenario + "|" + l + "|" + policy), baseP999);
                }
                row(defaultPolicy + ", without the faulty replica", base, baseP999);
                System.out.println();
            }
        }
        System.out.println("### The default against the same run without the faulty replica (p99.9)");
        System.out.println();
        System.out.println("| scenario | load | default p99.9 ms | baseline p99.9 ms | ratio | <= 1.2x? | default per round |"
                + " baseline per round |");
        System.out.println("|---|---|---:|---:|---:|---|---|---|");
        for (String scenario : SCENARIOS) {
            for (int l = 0; l < loads.length; l++) {
                Tally d = totals.get(scenario + "|" + l + "|" + defaultPolicy);
                Tally b = totals.get(BASELINE + "|" + l + "|" + defaultPolicy);
                double dp = RealSocketBenchmark.pct(d.sortedLatencies(), 0.999);
                double bp = RealSocketBenchmark.pct(b.sortedLatencies(), 0.999);
                System.out.printf(Locale.ROOT, "| %s | %s (%.0f/s) | %.1f | %.1f | %.2fx | %s | %s | %s |%n", scenario,
                        LOAD_NAMES[l], loads[l], dp, bp, dp / bp, dp <= 1.2 * bp ? "yes" : "**no**", rounds(d), rounds(b));
            }
        }
        totals.forEach((k, t) -> {
            if (t.firstFailure.get() != null) {
                System.err.println("failed reads in " + k);
            }
        });
        if (FIRST_FAILURE.get() != null) {
            System.err.println("the first failed read: " + FIRST_FAILURE.get());
        }
    }

    private static String rounds(Tally t) {
        return String.join(" / ", t.roundP999.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
    }

    private static void row(String name, Tally t, double baselineP999) {
        if (t == null) {
            return;
        }
        long[] sorted = t.sortedLatencies();
        long reads = sorted.length;
        long onFaulty = t.count(Read.ON_FAULTY);
        long failed = t.count(Read.FAILED);
        long late;
        long lateOnFaulty;
        long afterLearning;
        long afterLearningOnFaulty;
        long learningNanos = LEARNING.toNanos();
        long threshold = (long) (baselineP999 * 1e6);
        synchronized (t.reads) {
            late = t.reads.stream().filter(r -> r.latencyNanos() > threshold).count();
            lateOnFaulty = t.reads.stream().filter(r -> r.latencyNanos() > threshold && r.where() == Read.ON_FAULTY).count();
            afterLearning = t.reads.stream().filter(r -> r.offsetNanos() >= learningNanos).count();
            afterLearningOnFaulty = t.reads.stream()
                    .filter(r -> r.offsetNanos() >= learningNanos && r.where() == Read.ON_FAULTY).count();
        }
        long onPrimary = t.count(Read.ON_PRIMARY);
        // the slow reads that did not run on the faulty replica, due while the pause schedule had it stalled (in the
        // other scenarios nothing stalls then, and the schedule covers a tenth of the time)
        long inPause;
        synchronized (t.reads) {
            inPause = t.reads.stream().filter(r -> r.latencyNanos() > threshold && r.where() != Read.ON_FAULTY
                    && stallPhaseNanos(r) < PAUSE.toNanos()).count();
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.1f | %.1f | %.1f | %.2f%% | %.2f%% | %d of %d | %d |%s%n",
                name, reads, 100.0 * failed / Math.max(1, reads), RealSocketBenchmark.pct(sorted, 0.5),
                RealSocketBenchmark.pct(sorted, 0.99), RealSocketBenchmark.pct(sorted, 0.999),
                reads == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6, 100.0 * onFaulty / Math.max(1, reads),
                100.0 * afterLearningOnFaulty / Math.max(1, afterLearning), lateOnFaulty, late, inPause,
                onPrimary > 0 ? " (" + onPrimary + " reads fell back to the primary)" : "");
    }

    /** Creates the table on the primary and waits until every replica has replayed it. */
    private static void fill(PostgresCluster pg) throws SQLException {
        try (Connection c = pg.connect(pg.primary())) {
            JdbcOverheadBenchmark.fillKv(c, ROWS);
        }
        for (PostgresNode replica : pg.replicas()) {
            Await.until(replica.id() + " has replayed the table", Duration.ofSeconds(60),
                    () -> pg.replayLagBytes(replica) == 0);
        }
    }

    /**
     * One open-loop run of one policy in one scenario: a fresh router and data source over the shared
     * pools (every run starts with cold statistics), Poisson arrivals, one reader thread per read in
     * flight.
     */
    private static List<Read> run(Rig rig, String scenario, String policy, double rate, double seconds, Duration delay,
            long seed) throws InterruptedException {
        var builder = Router.<DataSource>builder("bench-db")
                .policy(RoutingPolicies.byName(policy))
                .node(JdbcNodes.primary(PRIMARY, rig.primary))
                .node(JdbcNodes.replica("pg-replica-1", rig.replica1))
                .node(JdbcNodes.replica("pg-replica-2", rig.replica2));
        int nodes = 3;
        if (!scenario.equals(BASELINE)) {
            builder.node(JdbcNodes.replica(FAULTY, rig.faulty));
            nodes++;
        }
        List<Read> reads = Collections.synchronizedList(new ArrayList<>());
        ExecutorService readers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "reader");
            t.setDaemon(true);
            return t;
        });
        long total = (long) (rate * seconds);
        CountDownLatch done = new CountDownLatch((int) total);
        Pauser pauser = null;
        try (Router<DataSource> router = builder.retry(RoutingDataSource.failoverRetry(nodes)).build();
                RoutingDataSource ds = RoutingDataSource.builder(router).build()) {
            Random arrivals = new Random(seed);
            Random keys = new Random(seed + 1);
            long start = System.nanoTime();
            if (scenario.equals("slow")) {
                rig.proxy.delay(delay);
            } else if (scenario.equals("pause")) {
                pauser = new Pauser(rig.proxy, start + FIRST_PAUSE_AFTER.toNanos());
            }
            long next = start;
            for (long i = 0; i < total; i++) {
                next += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    RealSocketBenchmark.sleepNanos(wait);
                }
                final long sendAt = next;
                final int id = keys.nextInt(ROWS);
                readers.execute(() -> {
                    reads.add(read(ds, id, rig.workSeconds, sendAt, start));
                    done.countDown();
                });
            }
            if (!done.await(30, TimeUnit.SECONDS)) {
                System.err.printf(Locale.ROOT, "%s/%s: %d reads still open 30 s after the last was sent%n", scenario,
                        policy, done.getCount());
            }
        } finally {
            if (pauser != null) {
                pauser.close();
            }
            rig.proxy.restore();
            readers.shutdownNow();
        }
        if (scenario.equals("pause")) {
            System.err.printf(Locale.ROOT, "  pause %s: reads on %s over 50 ms, by when they were due within a stall: %s%n",
                    policy, FAULTY, caughtByStallPhase(reads));
        }
        synchronized (reads) {
            return new ArrayList<>(reads);
        }
    }

    /**
     * Counts the reads on the faulty replica that took over 50 ms by when they were due relative to
     * the latest stall's start: at most 1 ms, 10 ms, 100 ms or 300 ms into it, or later (before a
     * stall, caught by its end).
     */
    /** How long after the latest stall of the pause schedule began the read was due (under 300 ms: within it). */
    private static long stallPhaseNanos(Read r) {
        return Math.floorMod(r.offsetNanos() - FIRST_PAUSE_AFTER.toNanos(), PAUSE_EVERY.toNanos());
    }

    private static String caughtByStallPhase(List<Read> reads) {
        long[] bounds = {1, 10, 100, PAUSE.toMillis()};
        long[] counts = new long[bounds.length + 1];
        synchronized (reads) {
            for (Read r : reads) {
                if (r.where() != Read.ON_FAULTY || r.latencyNanos() <= 50_000_000L) {
                    continue;
                }
                long phaseMs = stallPhaseNanos(r) / 1_000_000;
                int b = 0;
                while (b < bounds.length && phaseMs >= bounds[b]) {
                    b++;
                }
                counts[b]++;
            }
        }
        return String.format(Locale.ROOT, "<1 ms %d, 1-10 ms %d, 10-100 ms %d, 100-300 ms %d, outside %d", counts[0],
                counts[1], counts[2], counts[3], counts[4]);
    }

    private static Read read(DataSource ds, int id, double workSeconds, long sendAt, long runStart) {
        byte where;
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            try (PreparedStatement ps = c.prepareStatement(workSeconds > 0 ? QUERY_WITH_WORK : QUERY)) {
                if (workSeconds > 0) {
                    ps.setDouble(1, workSeconds);
                    ps.setInt(2, id);
                } else {
                    ps.setInt(1, id);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("row " + id + " is missing");
                    }
                    String node = rs.getString(2);
                    where = FAULTY.equals(node) ? Read.ON_FAULTY : PRIMARY.equals(node) ? Read.ON_PRIMARY : Read.HEALTHY;
                }
            }
        } catch (SQLException | RuntimeException e) {
            FIRST_FAILURE.compareAndSet(null, e.toString());
            return new Read(Math.max(FAILED_AT_LEAST.toNanos(), System.nanoTime() - sendAt), Read.FAILED,
                    sendAt - runStart);
        }
        return new Read(System.nanoTime() - sendAt, where, sendAt - runStart);
    }

    /**
     * Stalls everything through the proxy for 300 ms out of every 3 s, like a server that stops (a GC
     * pause, a stalled disk): during a stall each chunk's delay is set to the time left until the stall
     * ends, and as the proxy keeps each direction in order, whatever arrives later waits behind it.
     * Updated every half millisecond, so a stall ends within about a millisecond of its due time.
     */
    private static final class Pauser implements AutoCloseable {
        private static final long STEP_NANOS = 500_000;
        private static final long IDLE_STEP_NANOS = 20_000_000;
        private final TcpProxy proxy;
        private final long originNanos;
        private final Thread thread;
        private volatile boolean stop;

        Pauser(TcpProxy proxy, long originNanos) {
            this.proxy = proxy;
            this.originNanos = originNanos;
            this.thread = new Thread(this::loop, "pauser");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            long pause = PAUSE.toNanos();
            long every = PAUSE_EVERY.toNanos();
            boolean stalled = false;
            while (!stop) {
                long phase = Math.floorMod(System.nanoTime() - originNanos, every);
                if (phase < pause) {
                    proxy.delay(Duration.ofNanos(pause - phase));
                    stalled = true;
                    LockSupport.parkNanos(STEP_NANOS);
                    continue;
                }
                if (stalled) {
                    proxy.delay(Duration.ZERO);
                    stalled = false;
                }
                // between stalls: wake in time for the next one, and now and then to see stop
                LockSupport.parkNanos(Math.max(STEP_NANOS, Math.min(every - phase, IDLE_STEP_NANOS)));
            }
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            proxy.delay(Duration.ZERO);
        }
    }
}
