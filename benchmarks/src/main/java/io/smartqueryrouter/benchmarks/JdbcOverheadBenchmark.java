package io.smartqueryrouter.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.jdbc.JdbcNodes;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code RoutingDataSource} adds to a real JDBC round trip: the same prepared point query on
 * an in-memory H2 database, per operation taking a connection, preparing, executing, reading one
 * row and closing, through a plain HikariCP pool and through a {@code RoutingDataSource} over
 * HikariCP pools (a primary and two replicas on the same database), in one run.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar JdbcOverheadBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class JdbcOverheadBenchmark {
    private static final String URL = "jdbc:h2:mem:jdbc-overhead;DB_CLOSE_DELAY=-1";
    private static final String QUERY = "select v from kv where id = ?";
    private static final int ROWS = 1000;

    private HikariDataSource plain;
    private HikariDataSource primary;
    private HikariDataSource replica1;
    private HikariDataSource replica2;
    private Router<DataSource> router;
    private RoutingDataSource routed;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        plain = pool("plain", false);
        try (Connection c = plain.getConnection()) {
            fillKv(c, ROWS);
        }
        primary = pool("primary", false);
        // replicas' pools hand out read-only connections, as RoutingDataSource.fromConfig makes them and
        // router-jdbc/README.md advises: a read then does not set and reset the flag on each checkout
        replica1 = pool("replica-1", true);
        replica2 = pool("replica-2", true);
        router = Router.<DataSource>builder("bench-db")
                .node(JdbcNodes.primary("primary", primary))
                .node(JdbcNodes.replica("replica-1", replica1))
                .node(JdbcNodes.replica("replica-2", replica2))
                .retry(RoutingDataSource.failoverRetry(3))
                .build();
        routed = RoutingDataSource.builder(router).build();
    }

    /**
     * Makes table {@code kv (id, v)} hold rows {@code 0..rows-1}, {@code v = "value-" + id}; the JDBC
     * benchmarks' point query reads it. Plain SQL, so H2 and PostgreSQL both take it.
     *
     * @param c where to make it
     * @param rows how many rows
     * @throws SQLException if the database refuses
     */
    static void fillKv(Connection c, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table if not exists kv (id int primary key, v varchar(64))");
            s.execute("delete from kv");
            try (PreparedStatement insert = c.prepareStatement("insert into kv values (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "value-" + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private static HikariDataSource pool(String name, boolean readOnly) {
        HikariConfig c = new HikariConfig();
        c.setReadOnly(readOnly);
        c.setPoolName(name);
        c.setJdbcUrl(URL);
        c.setUsername("sa");
        c.setPassword("");
        c.setMaximumPoolSize(4);
        c.setMinimumIdle(4);
        return new HikariDataSource(c);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        routed.close();
        router.close();
        for (HikariDataSource ds : new HikariDataSource[] {primary, replica1, replica2, plain}) {
            ds.close();
        }
    }

    private int nextId() {
        next = next + 1 == ROWS ? 0 : next + 1;
        return next;
    }

    private String query(DataSource ds, boolean readOnly) throws SQLException {
        return query(ds, readOnly, nextId());
    }

    /**
     * The benchmarks' query, on {@code ds}: take a connection (read-only first if asked), prepare the
     * point query, set the id, execute, read the row, close everything.
     *
     * @param ds where to take the connection
     * @param readOnly whether to mark the connection read-only before its first use
     * @param id the row to read
     * @return the row's value
     * @throws SQLException if the data source fails
     */
    static String query(DataSource ds, boolean readOnly, int id) throws SQLException {
        try (Connection c = ds.getConnection()) {
            if (readOnly) {
                c.setReadOnly(true);
            }
            try (PreparedStatement ps = c.prepareStatement(QUERY)) {
                ps.setInt(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }
    }

    /** The baseline: HikariCP alone. */
    @Benchmark
    public String plainHikari() throws SQLException {
        return query(plain, false);
    }

    /** The baseline for a read marked read-only, as Spring's {@code readOnly = true} does. */
    @Benchmark
    public String plainHikariReadOnly() throws SQLException {
        return query(plain, true);
    }

    /** Through the routing data source to the primary (no read-only: the write path). */
    @Benchmark
    public String routedPrimary() throws SQLException {
        return query(routed, false);
    }

    /** Through the routing data source, read-only: the policy picks one of two replicas. */
    @Benchmark
    public String routedReplicaRead() throws SQLException {
        return query(routed, true);
    }
}
