package io.smartqueryrouter.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.spi.SecretRedaction;
import io.smartqueryrouter.jdbc.JdbcNodes;
import io.smartqueryrouter.jdbc.JdbcProbes;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The routing {@link DataSource} at work: writes go to the primary, read-only connections to the
 * replicas, and when a replica fails reads carry on elsewhere and the replica rejoins when it is
 * back. Runs on three embedded H2 databases by default; give PostgreSQL nodes with
 * {@code --primary <jdbc-url> --replica <jdbc-url> [--replica ...] --user u --password p} (the
 * password can come from the environment variable {@code PGPASSWORD} instead); {@code --help} lists
 * the options.
 */
public final class JdbcDemo {
    private final PrintStream out;
    private final String primaryUrl;
    private final List<String> replicaUrls;
    private final String user;
    private final String password;

    JdbcDemo(PrintStream out, String primaryUrl, List<String> replicaUrls, String user, String password) {
        this.out = out;
        this.primaryUrl = primaryUrl;
        this.replicaUrls = replicaUrls;
        this.user = user;
        this.password = password;
    }

    static final String HELP = """
            JdbcDemo: a routing DataSource over a primary and replicas. Writes go to the primary, reads to
            the replicas; one replica fails for 2 s, reads carry on elsewhere, and it rejoins.
            Without options it runs on three in-memory H2 databases.

              --primary <jdbc-url>    the primary, e.g. jdbc:postgresql://localhost:5432/demo
              --replica <jdbc-url>    a replica; repeat for each (at least one with --primary)
              --user <name>           default sa
              --password <secret>     default: the environment variable PGPASSWORD, else empty
              --help                  this text

            mvn -B -q -pl examples -am compile exec:java@jdbc
            mvn -B -q -pl examples -am compile exec:java@jdbc -Dexec.args="--primary jdbc:postgresql://db1/demo --replica jdbc:postgresql://db2/demo --user demo"
            """;

    static final java.util.Set<String> OPTIONS =
            new java.util.LinkedHashSet<>(List.of("--primary", "--replica", "--user", "--password"));

    /**
     * Runs the demo; see the class comment for the options.
     *
     * @param args the options
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        CommandLine.main("JdbcDemo", HELP, OPTIONS, args, o -> fromOptions(o, System.out).run());
    }

    /** Builds the demo from parsed options, refusing an incomplete set in one line. */
    static JdbcDemo fromOptions(CommandLine o, PrintStream out) throws CommandLine.UsageException {
        String primary = o.string("--primary", null);
        List<String> replicas = o.strings("--replica");
        String user = o.string("--user", "sa");
        String password = o.string("--password", System.getenv().getOrDefault("PGPASSWORD", ""));
        for (String url : replicas) {
            if (!url.startsWith("jdbc:")) {
                throw new CommandLine.UsageException("--replica must be a JDBC URL, such as "
                        + "jdbc:postgresql://localhost:5433/demo, but was '" + SecretRedaction.redact(url) + "'");
            }
        }
        if (primary != null && !primary.startsWith("jdbc:")) {
            throw new CommandLine.UsageException("--primary must be a JDBC URL, such as jdbc:postgresql://localhost:5432/demo, "
                    + "but was '" + SecretRedaction.redact(primary) + "'");
        }
        if (primary == null && !replicas.isEmpty()) {
            throw new CommandLine.UsageException("--replica needs --primary: give the primary's JDBC URL too");
        }
        if (primary != null && replicas.isEmpty()) {
            throw new CommandLine.UsageException("--primary needs at least one --replica: the demo fails a replica");
        }
        if (primary == null) {
            String run = UUID.randomUUID().toString();
            primary = "jdbc:h2:mem:primary-" + run + ";DB_CLOSE_DELAY=-1";
            replicas = List.of("jdbc:h2:mem:replica-1-" + run + ";DB_CLOSE_DELAY=-1",
                    "jdbc:h2:mem:replica-2-" + run + ";DB_CLOSE_DELAY=-1");
        }
        return new JdbcDemo(out, primary, replicas, user, password);
    }

    /** What the demo observed: where writes and reads went, before, during and after the failure. */
    record Result(Map<String, Integer> writes, Map<String, Integer> readsBefore, Map<String, Integer> readsDuringFailure,
            Map<String, Integer> readsUntilRejoined, Duration rejoinedAfter, Map<String, Integer> readsAfterRecovery,
            int failedReads) {
    }

    Result run() throws Exception {
        List<HikariDataSource> pools = new ArrayList<>();
        RouterBuilder<DataSource> router = Router.<DataSource>builder("demo-db")
                .healthCheck(HealthCheck.of(isPostgres() ? JdbcProbes.postgres() : JdbcProbes.isValid())
                        .interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(250)).fall(1).rise(2))
                .outlierEjection(OutlierEjection.builder().baseEjection(Duration.ofSeconds(1)).build())
                .retry(RoutingDataSource.failoverRetry(1 + replicaUrls.size()));
        router.node(JdbcNodes.primary("primary", pool(pools, "primary", primaryUrl)));
        Breakable failing = null;
        for (int i = 0; i < replicaUrls.size(); i++) {
            String id = "replica-" + (i + 1);
            Breakable replica = new Breakable(pool(pools, id, replicaUrls.get(i)));
            failing = failing == null ? replica : failing;
            router.node(JdbcNodes.replica(id, replica));
        }
        // the data source is handed the router: closing it closes the pools, then the router is closed
        try (Router<DataSource> built = router.build();
                RoutingDataSource ds = RoutingDataSource.builder(built).closeDataSourcesOnClose(true).build()) {
            prepare(pools);
            out.println("== writes: connections without setReadOnly(true) go to the primary");
            Map<String, Integer> writes = new TreeMap<>();
            for (int i = 0; i < 5; i++) {
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate("insert into demo_orders(note) values ('order " + i + "')");
                    writes.merge(whoami(c), 1, Integer::sum);
                }
            }
            out.println("  5 inserts ran on " + writes);
            out.println("== reads: setReadOnly(true) before first use goes to the best replica");
            Map<String, Integer> before = reads(ds, 40);
            out.println("  40 reads ran on " + before);
            out.println("== replica-1 fails: it refuses connections");
            failing.broken = true;
            int[] failed = new int[1];
            Map<String, Integer> during = new TreeMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    during.merge(read(ds), 1, Integer::sum);
                } catch (SQLException e) {
                    failed[0]++;
                }
            }
            out.println("  reads for 2 s ran on " + during + "; failed reads: " + failed[0]);
            out.print(ds.snapshot());
            out.println("== replica-1 is back: once its probes pass it takes reads again");
            failing.broken = false;
            // read until the first read lands on replica-1 (at most 5 s), then count a fixed number of reads
            Map<String, Integer> waiting = new TreeMap<>();
            long back = System.nanoTime();
            deadline = back + Duration.ofSeconds(5).toNanos();
            boolean rejoined = false;
            while (!rejoined && System.nanoTime() < deadline) {
                String node = read(ds);
                rejoined = node.equals("replica-1");
                if (!rejoined) {
                    waiting.merge(node, 1, Integer::sum);
                }
            }
            Duration rejoinedAfter = Duration.ofNanos(System.nanoTime() - back);
            if (rejoined) {
                out.printf(Locale.ROOT, "  replica-1 took its first read %.1f s after it came back; meanwhile reads ran on %s%n",
                        rejoinedAfter.toMillis() / 1000.0, waiting);
            } else {
                out.println("  replica-1 took no read within 5 s of coming back; reads ran on " + waiting);
            }
            Map<String, Integer> after = reads(ds, 40);
            out.println("  the next 40 reads ran on " + after);
            out.print(ds.snapshot());
            return new Result(writes, before, during, waiting, rejoinedAfter, after, failed[0]);
        }
    }

    private boolean isPostgres() {
        return primaryUrl.startsWith("jdbc:postgresql:");
    }

    private HikariDataSource pool(List<HikariDataSource> pools, String id, String url) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(id);
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword(password);
        c.setMaximumPoolSize(4);
        c.setConnectionTimeout(250);
        HikariDataSource pool = new HikariDataSource(c);
        pools.add(pool);
        return pool;
    }

    /** Gives each node a table that says which node it is (H2 nodes do not replicate; PostgreSQL ones do). */
    private void prepare(List<HikariDataSource> pools) throws SQLException {
        for (HikariDataSource pool : pools) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                if (isPostgres()) {
                    if (pool.getPoolName().equals("primary")) {
                        s.execute("create table if not exists demo_orders(id serial primary key, note text)");
                    }
                } else {
                    s.execute("create table demo_whoami(name varchar(32))");
                    s.execute("insert into demo_whoami values ('" + pool.getPoolName() + "')");
                    s.execute("create table demo_orders(id int auto_increment primary key, note varchar(64))");
                }
            }
        }
    }

    private String whoami(Connection c) throws SQLException {
        String query = isPostgres()
                ? "select case when pg_is_in_recovery() then 'replica:' || inet_server_port() else 'primary' end"
                : "select name from demo_whoami";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String read(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setReadOnly(true);
            return whoami(c);
        }
    }

    private Map<String, Integer> reads(DataSource ds, int n) throws SQLException {
        Map<String, Integer> where = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            where.merge(read(ds), 1, Integer::sum);
        }
        return where;
    }

    /** A node's data source that the demo can make refuse connections, as a crashed server would. */
    private static final class Breakable implements DataSource, AutoCloseable {
        private final HikariDataSource target;
        volatile boolean broken;

        Breakable(HikariDataSource target) {
            this.target = target;
        }

        @Override
        public Connection getConnection() throws SQLException {
            if (broken) {
                throw new SQLException("Connection refused (the demo broke this node)", "08001");
            }
            return target.getConnection();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return target.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            target.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            target.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return target.getLoginTimeout();
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return target.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            return target.unwrap(iface);
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) throws SQLException {
            return target.isWrapperFor(iface);
        }

        @Override
        public void close() {
            target.close();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Breakable[%s]", target.getPoolName());
        }
    }
}
