package io.smartqueryrouter.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.jdbc.JdbcNodes;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the routing data source itself costs per query, without a database or a pool to hide it:
 * {@link JdbcOverheadBenchmark}'s query (take a connection, prepare, set the id, execute, read the
 * row, close all) against stub data sources whose connections, statements and result sets do
 * nothing (dynamic proxies answering constants, one of each per data source, so the stubs allocate
 * only their boxed arguments). Each case is run interleaved with the others, as {@link JdbcSideBySide}
 * does, and reported in the thread's CPU time per query; the routed cases' difference to the plain
 * stub is what routing adds to any query, in nanoseconds, where on H2 it is a few percent of a
 * microsecond and lost in the noise of a shared machine.
 *
 * <p>With {@code hikari} as third argument (or {@code -p hikari=true} in JMH) every stub data source
 * is wrapped in a HikariCP pool of 4 (plain HikariCP against the routing data source over three
 * HikariCP pools, as {@link JdbcOverheadBenchmark} has them), so that what HikariCP's own proxies
 * cost, and what routing adds over HikariCP, show without a database.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.JdbcPathCost [rounds] [batch] [hikari]
 * java -jar benchmarks/target/benchmarks.jar JdbcPathCost -prof gc
 * </pre>
 *
 * <p>The same cases are JMH benchmarks too, for a profiler ({@code -prof perfasm}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class JdbcPathCost {
    /** Whether each stub is wrapped in a HikariCP pool. */
    @Param("false")
    public boolean hikari;

    private final List<AutoCloseable> pools = new ArrayList<>();
    private DataSource plain;
    private Router<DataSource> router;
    private RoutingDataSource routed;
    private int next;

    /** For JMH: {@link #setUp()} makes the data sources. */
    public JdbcPathCost() {
    }

    /** Makes the stubs (in HikariCP pools if {@link #hikari}) and the routing data source over them. */
    @Setup
    public void setUp() {
        plain = source("plain");
        router = Router.<DataSource>builder("stub-db")
                .node(JdbcNodes.primary("primary", source("primary")))
                .node(JdbcNodes.replica("replica-1", source("replica-1")))
                .node(JdbcNodes.replica("replica-2", source("replica-2")))
                .retry(RoutingDataSource.failoverRetry(3))
                .build();
        routed = RoutingDataSource.builder(router).build();
    }

    private DataSource source(String name) {
        DataSource stub = stub(name);
        if (!hikari) {
            return stub;
        }
        HikariConfig c = new HikariConfig();
        c.setPoolName("stub-" + name);
        c.setDataSource(stub);
        c.setMaximumPoolSize(4);
        c.setMinimumIdle(4);
        HikariDataSource pool = new HikariDataSource(c);
        pools.add(pool);
        return pool;
    }

    /**
     * Runs the comparison.
     *
     * @param args the number of rounds (default 40) and the queries per batch (default 100000)
     * @throws SQLException never: the stubs do not fail
     */
    public static void main(String[] args) throws SQLException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        JdbcPathCost bench = new JdbcPathCost();
        bench.hikari = args.length > 2 && args[2].equals("hikari");
        bench.setUp();
        try {
            bench.run(rounds, batch);
        } finally {
            bench.tearDown();
        }
    }

    /** Closes the routing data source, its router and the pools. */
    @TearDown
    public void tearDown() {
        routed.close();
        router.close();
        for (AutoCloseable pool : pools) {
            try {
                pool.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The baseline: the stub alone. */
    @Benchmark
    public String plainStub() throws SQLException {
        return query(plain, false);
    }

    /** The baseline for a read marked read-only. */
    @Benchmark
    public String plainStubReadOnly() throws SQLException {
        return query(plain, true);
    }

    /** Through the routing data source to the primary. */
    @Benchmark
    public String routedPrimary() throws SQLException {
        return query(routed, false);
    }

    /** Through the routing data source, read-only: the policy picks one of two replicas. */
    @Benchmark
    public String routedReplicaRead() throws SQLException {
        return query(routed, true);
    }

    private void run(int rounds, int batch) throws SQLException {
        // the read-only cases against the plain read-only one
        String plainName = hikari ? "plainHikariStub" : "plainStub";
        JdbcSideBySide.compare(new String[] {plainName, plainName + "ReadOnly", "routedPrimary", "routedReplicaRead"},
                new int[] {0, 1, 0, 1}, this::batch, rounds, batch);
    }

    private int batch(int benchCase, int n) throws SQLException {
        int sum = 0;
        switch (benchCase) {
            case 0 -> {
                for (int i = 0; i < n; i++) {
                    sum += plainStub().length();
                }
            }
            case 1 -> {
                for (int i = 0; i < n; i++) {
                    sum += plainStubReadOnly().length();
                }
            }
            case 2 -> {
                for (int i = 0; i < n; i++) {
                    sum += routedPrimary().length();
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    sum += routedReplicaRead().length();
                }
            }
        }
        return sum;
    }

    private String query(DataSource ds, boolean readOnly) throws SQLException {
        next = next + 1 == 1000 ? 0 : next + 1;
        return JdbcOverheadBenchmark.query(ds, readOnly, next);
    }

    /** A data source whose one connection, statement and result set do nothing and answer constants. */
    private static DataSource stub(String name) {
        ResultSet rs = proxy(ResultSet.class, (p, m, a) -> switch (m.getName()) {
            case "next" -> Boolean.TRUE;
            case "getString" -> "value";
            case "toString" -> "stub result set of " + name;
            default -> defaultValue(m.getReturnType());
        });
        PreparedStatement ps = proxy(PreparedStatement.class, (p, m, a) -> switch (m.getName()) {
            case "executeQuery" -> rs;
            case "toString" -> "stub statement of " + name;
            default -> defaultValue(m.getReturnType());
        });
        Connection c = proxy(Connection.class, (p, m, a) -> switch (m.getName()) {
            case "prepareStatement" -> ps;
            case "getAutoCommit", "isValid" -> Boolean.TRUE;
            case "toString" -> "stub connection of " + name;
            default -> defaultValue(m.getReturnType());
        });
        return proxy(DataSource.class, (p, m, a) -> switch (m.getName()) {
            case "getConnection" -> c;
            case "toString" -> "stub data source " + name;
            case "getParentLogger" -> Logger.getGlobal();
            case "getLogWriter" -> new PrintWriter(System.out);
            default -> defaultValue(m.getReturnType());
        });
    }

    private static Object defaultValue(Class<?> type) {
        if (type == boolean.class) {
            return Boolean.FALSE;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(JdbcPathCost.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
