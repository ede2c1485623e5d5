package io.smartqueryrouter.jdbc.pg;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 15 cluster for tests: one primary and N streaming replicas (2 by default),
 * each its own {@code postgres} server on a free port of 127.0.0.1, tuned for speed (fsync off,
 * small buffers), started in a few seconds with no manual step, and the faults the JDBC adapter
 * must survive: {@link #stopImmediate}, {@link #freeze} (SIGSTOP), {@link #pauseReplay}.
 *
 * <h2>Use</h2>
 * One cluster per test JVM, shared by every IT class. With JUnit, register {@link
 * PostgresClusterExtension}: it injects the cluster and, before each test, puts every node back to
 * running, thawed, replaying and streaming ({@link #restoreAll()}):
 *
 * <pre>{@code
 * @ExtendWith(PostgresClusterExtension.class)
 * class ReadRoutingIT {
 *     @Test
 *     void readsGoToAReplica(PostgresCluster pg) throws SQLException {
 *         try (Connection c = DriverManager.getConnection(pg.replica(1).jdbcUrl(), pg.replica(1).jdbcProperties())) {
 *             ...
 *         }
 *         pg.freeze(pg.replica(2));          // the replica stops answering
 *     }
 * }
 * }</pre>
 *
 * Without JUnit, {@link #shared()} gives the same lazily started instance. Tests share the
 * database, so each test uses its own table names. {@link #builder()} starts a private cluster
 * (other sizes or credentials); close it when done.
 *
 * <h2>What it needs</h2>
 * Linux and the PostgreSQL 15 server binaries in {@value #DEFAULT_BIN} (Debian/Ubuntu package
 * {@code postgresql-15}), or in the directory named by system property {@value #BIN_PROPERTY}.
 * Missing binaries fail the test with a message saying what to install; nothing is skipped.
 * Because {@code initdb} refuses to run as root, a root JVM runs every PostgreSQL command as the
 * {@code postgres} user through {@code runuser} (creating that user with {@code useradd
 * --system} if the machine has none).
 *
 * <h2>Where its files go</h2>
 * Under {@code target/pg-*} of the module; if the {@code postgres} user cannot reach it (a
 * parent directory not traversable, e.g. a checkout under {@code /root}), under a fresh
 * {@code /tmp/smartqueryrouter-pg-*}. A log line says which. {@link #close()} stops the servers
 * and deletes the directory (unless {@code -D}{@value #KEEP_PROPERTY}{@code =true}).
 *
 * <h2>Nothing left behind</h2>
 * {@link #close()} is called by the extension when JUnit ends, by a JVM shutdown hook otherwise,
 * and if the JVM is killed outright a watchdog process (a shell waiting on a pipe from this JVM)
 * sees the pipe close, wakes frozen servers and stops them.
 *
 * <p>Server settings: {@code listen_addresses=127.0.0.1}, unix sockets under the cluster
 * directory, {@code wal_level=replica}, {@code hot_standby=on}, {@code fsync=off}, {@code
 * synchronous_commit=off}, {@code shared_buffers=16MB}, one physical replication slot per replica.
 * Authentication: the application user ({@value #DEFAULT_USER} / {@value #DEFAULT_PASSWORD} by
 * default, SCRAM-SHA-256, member of {@code pg_monitor}, owner of database {@value
 * #DEFAULT_DATABASE}); {@code postgres} (superuser) and {@code replicator} by trust over
 * 127.0.0.1. Methods are thread-safe (one at a time).
 */
public final class PostgresCluster implements AutoCloseable {

    /** Default name of the test database. */
    public static final String DEFAULT_DATABASE = "app";
    /** Default application user. */
    public static final String DEFAULT_USER = "app";
    /** Default password of the application user. */
    public static final String DEFAULT_PASSWORD = "app-secret";
    /** System property naming another directory holding {@code initdb}, {@code pg_ctl}... */
    public static final String BIN_PROPERTY = "smartqueryrouter.pg.bin";
    /** System property that, set to {@code true}, keeps the data directories after {@link #close()}. */
    public static final String KEEP_PROPERTY = "smartqueryrouter.pg.keep";
    /** Where Debian's package {@code postgresql-15} puts the server binaries. */
    public static final String DEFAULT_BIN = "/usr/lib/postgresql/15/bin";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    private static final String SUPERUSER = "postgres";
    private static final String REPLICATION_USER = "replicator";
    private static final List<String> TOOLS = List.of("initdb", "pg_ctl", "pg_basebackup", "postgres");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final int UNIX_SOCKET_PATH_MAX = 107;
    private static final int LOG_TAIL_LINES = 30;

    private static PostgresCluster shared;
    private static RuntimeException sharedFailure;

    private final Path bin;
    private final Duration timeout;
    private final String database;
    private final String user;
    private final String password;
    private final boolean keepFiles = Boolean.getBoolean(KEEP_PROPERTY);
    private final Thread shutdownHook = new Thread(this::close, "postgres-cluster-shutdown");

    private Path directory;
    private Path socketDirectory;
    private boolean socketDirectoryIsSeparate;
    private PostgresNode primary;
    private final List<PostgresNode> replicas = new ArrayList<>();
    private List<PostgresNode> nodes = List.of();
    private Process watchdog;
    private Duration startupTime = Duration.ZERO;
    private boolean closed;
    private boolean failedToStart;

    private PostgresCluster(Builder builder) {
        this.bin = builder.bin;
        this.timeout = builder.startTimeout;
        this.database = builder.database;
        this.user = builder.user;
        this.password = builder.password;
    }

    /**
     * Returns the cluster shared by every test of this JVM (a primary and 2 replicas, default
     * credentials), starting it at the first call. It is stopped by {@link
     * PostgresClusterExtension} when JUnit ends, or by a shutdown hook. If it failed to start,
     * every later call throws the same failure at once instead of trying again.
     *
     * @return the running shared cluster
     * @throws IllegalStateException if PostgreSQL is missing or the cluster cannot start, with
     *     the reason and the tail of the server log
     */
    public static synchronized PostgresCluster shared() {
        if (sharedFailure != null) {
            throw new IllegalStateException("the shared PostgreSQL cluster failed to start earlier in this JVM: "
                    + sharedFailure.getMessage(), sharedFailure);
        }
        if (shared == null || shared.isClosed()) {
            try {
                shared = builder().start();
            } catch (RuntimeException e) {
                sharedFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /**
     * Starts building a private cluster.
     *
     * @return a builder with 2 replicas, database/user/password {@value #DEFAULT_DATABASE} /
     *     {@value #DEFAULT_USER} / {@value #DEFAULT_PASSWORD}, a 60 s start timeout and the
     *     binaries of {@value #BIN_PROPERTY} or {@value #DEFAULT_BIN}
     */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------ topology

    /**
     * Returns the primary.
     *
     * @return the node with id {@code pg-primary}
     */
    public PostgresNode primary() {
        return primary;
    }

    /**
     * Returns the replicas in order.
     *
     * @return {@code pg-replica-1} ... {@code pg-replica-N}, immutable
     */
    public List<PostgresNode> replicas() {
        return List.copyOf(replicas);
    }

    /**
     * Returns one replica.
     *
     * @param number 1 for {@code pg-replica-1}, up to the number of replicas
     * @return that replica
     * @throws IllegalArgumentException if there is no such replica
     */
    public PostgresNode replica(int number) {
        if (number < 1 || number > replicas.size()) {
            throw new IllegalArgumentException("replica number must be in 1.." + replicas.size() + ", but was " + number);
        }
        return replicas.get(number - 1);
    }

    /**
     * Returns every node, the primary first.
     *
     * @return the primary then the replicas, immutable
     */
    public List<PostgresNode> nodes() {
        return nodes;
    }

    /**
     * Finds a node by id.
     *
     * @param id e.g. {@code "pg-replica-2"}
     * @return the node
     * @throws IllegalArgumentException if no node has that id
     */
    public PostgresNode node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("no node '" + id + "' in " + nodes.stream().map(PostgresNode::id).toList()));
    }

    /**
     * Returns the directory holding the data directories, logs and sockets.
     *
     * @return {@code target/pg-*} of the module, or {@code /tmp/smartqueryrouter-pg-*}
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns how long {@link Builder#start()} took, from the first command to every replica
     * streaming.
     *
     * @return the start-up time
     */
    public Duration startupTime() {
        return startupTime;
    }

    // ------------------------------------------------------------------------------ connections

    /**
     * Opens a connection to the test database of {@code node} as the application user.
     *
     * @param node a node of this cluster
     * @return a new connection; the caller closes it
     * @throws SQLException if the node does not accept it
     */
    public Connection connect(PostgresNode node) throws SQLException {
        return DriverManager.getConnection(node.jdbcUrl(), node.jdbcProperties());
    }

    /**
     * Opens a connection to the test database of {@code node} as the superuser {@code postgres}
     * (for what the application user may not do: terminating backends, replication control).
     *
     * @param node a node of this cluster
     * @return a new connection; the caller closes it
     * @throws SQLException if the node does not accept it
     */
    public Connection connectAsSuperuser(PostgresNode node) throws SQLException {
        return superuser(node, database);
    }

    private Connection superuser(PostgresNode node, String db) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "15");
        properties.setProperty("loginTimeout", "10");
        properties.setProperty("ApplicationName", "postgres-cluster-harness");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + node.port() + "/" + db, properties);
    }

    // ------------------------------------------------------------------------------ faults

    /**
     * Stops {@code node} at once ({@code pg_ctl stop -m immediate}: SIGQUIT, no checkpoint, like
     * a crash); clients see their connections end and new connects refused. A frozen node is
     * thawed first (a stopped process cannot exit). Returns once the postmaster and every child it
     * had have exited. Does nothing if the node is stopped already.
     *
     * @param node a node of this cluster
     * @throws IllegalStateException if {@code pg_ctl} fails, or a process is still alive after the
     *     start timeout
     */
    public synchronized void stopImmediate(PostgresNode node) {
        checkOpen();
        checkMember(node);
        if (!node.isRunning()) {
            return;
        }
        if (node.isFrozen()) {
            thaw(node);
        }
        long postmaster = node.readPid();
        Set<Long> processes = new LinkedHashSet<>(OsProcesses.descendants(postmaster));
        processes.add(postmaster);
        OsProcesses.Result result = pgCtl(node, "-m", "immediate", "-w", "-t", seconds(timeout), "stop");
        if (!result.ok() && OsProcesses.alive(node.readPid())) {
            throw failure("stopping " + node.id() + " failed: " + result.describe(), node);
        }
        // pg_ctl -w returns once postmaster.pid is gone, which the postmaster deletes just before it exits:
        // on a busy machine its process (and a child still quitting) can outlive that by a while
        awaitGone(processes, node);
        node.running(false);
        node.frozen(false);
        node.replayPaused(false);
        LOG.info("PostgreSQL {} stopped (immediate)", node.id());
    }

    /**
     * Starts a stopped node again on the same port and data. Waits until it accepts
     * connections; for a replica, also until it streams from the primary (if the primary runs);
     * for the primary, also until every running replica streams again. Does nothing if the node
     * runs.
     *
     * @param node a node of this cluster
     * @throws IllegalStateException if it does not come up within the start timeout, with the
     *     tail of its log
     */
    public synchronized void start(PostgresNode node) {
        checkOpen();
        checkMember(node);
        if (node.isRunning()) {
            return;
        }
        startServer(node, false);
        if (node.isPrimary()) {
            awaitReplicasStreaming();
        } else if (primary.isRunning() && !primary.isFrozen()) {
            awaitStreaming(List.of(node));
        }
        LOG.info("PostgreSQL {} started again, postmaster PID {}", node.id(), node.pid());
    }

    /**
     * Freezes {@code node}: SIGSTOP to the postmaster and all its child processes, so the server
     * really stops answering (connects hang in the listen backlog, queries on open connections
     * hang) until {@link #thaw}. Returns once every process is stopped. Does nothing if frozen.
     *
     * @param node a running node of this cluster
     * @throws IllegalStateException if the node is stopped, or its processes do not stop
     */
    public synchronized void freeze(PostgresNode node) {
        checkOpen();
        checkMember(node);
        checkRunning(node, "freeze");
        if (node.isFrozen()) {
            return;
        }
        long postmaster = node.pid();
        // the postmaster first, so it forks no new child while we stop the others
        OsProcesses.signal("STOP", List.of(postmaster));
        Set<Long> stopped = new LinkedHashSet<>(List.of(postmaster));
        for (int round = 0; round < 3; round++) {
            awaitStates(stopped, true, node);
            List<Long> fresh = OsProcesses.descendants(postmaster).stream().filter(p -> !stopped.contains(p)).toList();
            if (fresh.isEmpty()) {
                break;
            }
            OsProcesses.signal("STOP", fresh);
            stopped.addAll(fresh);
        }
        awaitStates(stopped, true, node);
        node.frozen(true);
        LOG.info("PostgreSQL {} frozen (SIGSTOP to {} processes)", node.id(), stopped.size());
    }

    /**
     * Thaws a frozen node: SIGCONT to the postmaster and all its children. Returns once none is
     * stopped. Does nothing if the node is not frozen.
     *
     * @param node a node of this cluster
     */
    public synchronized void thaw(PostgresNode node) {
        checkMember(node);
        if (!node.isFrozen()) {
            return;
        }
        long postmaster = node.pid();
        Set<Long> all = new LinkedHashSet<>(OsProcesses.descendants(postmaster));
        all.add(postmaster);
        OsProcesses.signal("CONT", all);
        awaitStates(all, false, node);
        node.frozen(false);
        LOG.info("PostgreSQL {} thawed", node.id());
    }

    /**
     * Pauses WAL replay on a replica ({@code pg_wal_replay_pause()}) and waits until it is paused:
     * from then on, writes committed on the primary still arrive but stay invisible there.
     *
     * @param replica a running replica of this cluster
     * @throws IllegalArgumentException if {@code replica} is the primary
     * @throws IllegalStateException if it is stopped or frozen, or does not pause in time
     */
    public synchronized void pauseReplay(PostgresNode replica) {
        checkOpen();
        checkReplica(replica, "pauseReplay");
        checkAnswering(replica, "pauseReplay");
        try (Connection connection = superuser(replica, "postgres"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_wal_replay_pause()");
            awaitQuery(replica, "replay paused on " + replica.id(), () ->
                    "paused".equals(queryString(statement, "SELECT pg_get_wal_replay_pause_state()")));
        } catch (SQLException e) {
            throw failure("pauseReplay on " + replica.id() + " failed: " + e, e, replica);
        }
        replica.replayPaused(true);
        LOG.info("PostgreSQL {}: WAL replay paused", replica.id());
    }

    /**
     * Resumes WAL replay on a replica ({@code pg_wal_replay_resume()}); it catches up on what
     * arrived meanwhile. Does not wait for the catch-up (see {@link #replayLagBytes}).
     *
     * @param replica a running replica of this cluster
     * @throws IllegalArgumentException if {@code replica} is the primary
     * @throws IllegalStateException if it is stopped or frozen
     */
    public synchronized void resumeReplay(PostgresNode replica) {
        checkOpen();
        checkReplica(replica, "resumeReplay");
        checkAnswering(replica, "resumeReplay");
        try (Connection connection = superuser(replica, "postgres"); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_wal_replay_resume()");
        } catch (SQLException e) {
            throw failure("resumeReplay on " + replica.id() + " failed: " + e, e, replica);
        }
        replica.replayPaused(false);
        LOG.info("PostgreSQL {}: WAL replay resumed", replica.id());
    }

    /**
     * Measures how far a replica's replay is behind the primary: the bytes of WAL the primary has
     * flushed that the replica has not replayed yet (0 when caught up).
     *
     * @param replica a running replica of this cluster
     * @return the replay lag in bytes, {@code >= 0}
     * @throws IllegalArgumentException if {@code replica} is the primary
     * @throws IllegalStateException if the primary or the replica is stopped or frozen
     */
    public synchronized long replayLagBytes(PostgresNode replica) {
        checkOpen();
        checkReplica(replica, "replayLagBytes");
        checkAnswering(primary, "replayLagBytes");
        checkAnswering(replica, "replayLagBytes");
        try (Connection onPrimary = superuser(primary, "postgres");
                Statement statement = onPrimary.createStatement();
                Connection onReplica = superuser(replica, "postgres");
                PreparedStatement lag = onReplica.prepareStatement(
                        "SELECT pg_wal_lsn_diff(?::pg_lsn, pg_last_wal_replay_lsn())::bigint")) {
            String flushed = queryString(statement, "SELECT pg_current_wal_flush_lsn()::text");
            lag.setString(1, flushed);
            try (ResultSet rs = lag.executeQuery()) {
                rs.next();
                return Math.max(0, rs.getLong(1));
            }
        } catch (SQLException e) {
            throw failure("replayLagBytes of " + replica.id() + " failed: " + e, e, primary, replica);
        }
    }

    /**
     * Waits until every running, unfrozen replica streams from the primary: {@code
     * pg_stat_replication} on the primary lists it with state {@code streaming}, and its own
     * {@code pg_stat_wal_receiver} says {@code streaming}.
     *
     * @throws IllegalStateException if the primary is stopped or frozen, or a replica does not
     *     stream within the start timeout (with the tail of the logs)
     */
    public synchronized void awaitReplicasStreaming() {
        checkOpen();
        awaitStreaming(replicas.stream().filter(r -> r.isRunning() && !r.isFrozen()).toList());
    }

    /**
     * Puts the cluster back to normal after a test's faults: thaws frozen nodes, starts stopped
     * ones (the primary first), resumes paused replay, and waits until every replica streams.
     * Cheap when nothing is wrong; {@link PostgresClusterExtension} calls it before each test.
     *
     * @throws IllegalStateException if a node cannot be brought back
     */
    public synchronized void restoreAll() {
        checkOpen();
        for (PostgresNode node : nodes) {
            thaw(node);
        }
        if (!primary.isRunning()) {
            startServer(primary, false);
        }
        for (PostgresNode replica : replicas) {
            if (!replica.isRunning()) {
                startServer(replica, false);
            }
        }
        for (PostgresNode replica : replicas) {
            if (replica.isReplayPaused()) {
                resumeReplay(replica);
            }
        }
        awaitReplicasStreaming();
    }

    /**
     * Tells whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops every server (thawing frozen ones first), stops the watchdog and deletes the
     * cluster directory (kept if {@value #KEEP_PROPERTY} is {@code true} or the start failed).
     * Safe to call twice and from a shutdown hook.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (PostgresNode node : nodes) {
                if (node.isFrozen()) {
                    long pm = node.readPid();
                    List<Long> all = new ArrayList<>(OsProcesses.descendants(pm));
                    all.add(pm);
                    OsProcesses.signal("CONT", all);
                    node.frozen(false);
                }
            }
            List<PostgresNode> reversed = new ArrayList<>(nodes);
            java.util.Collections.reverse(reversed);
            for (PostgresNode node : reversed) {
                if (node.isRunning() || OsProcesses.alive(node.readPid())) {
                    OsProcesses.Result result = pgCtl(node, "-m", "immediate", "-w", "-t", "30", "stop");
                    if (!result.ok() && OsProcesses.alive(node.readPid())) {
                        LOG.warn("PostgreSQL {} did not stop: {}", node.id(), result.describe());
                    }
                    node.running(false);
                }
            }
            stopWatchdog();
            if (directory != null && !keepFiles && !failedToStart) {
                OsProcesses.deleteTree(directory);
                if (socketDirectoryIsSeparate) {
                    OsProcesses.deleteTree(socketDirectory);
                }
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // we are the hook, or another hook runs: nothing to remove
        }
        synchronized (PostgresCluster.class) {
            if (shared == this) {
                shared = null;
            }
        }
        if (nodes.isEmpty()) {
            return;
        }
        LOG.info("PostgreSQL cluster stopped{}", directory == null ? ""
                : keepFiles || failedToStart ? ", files kept in " + directory : ", " + directory + " deleted");
    }

    /**
     * Describes the cluster without credentials.
     *
     * @return the nodes and the directory
     */
    @Override
    public String toString() {
        return "PostgresCluster" + nodes + " in " + directory;
    }

    // ------------------------------------------------------------------------------ start-up

    private synchronized PostgresCluster launch(int replicaCount) {
        long start = System.nanoTime();
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        try {
            checkBinaries(bin);
            if (OsProcesses.runningAsRoot()) {
                OsProcesses.ensurePostgresUser();
            }
            String version = OsProcesses.runOrThrow(Duration.ofSeconds(10), null, false,
                    List.of(bin.resolve("postgres").toString(), "--version"), "postgres --version").output().strip();
            chooseDirectories();
            List<Integer> ports = freePorts(replicaCount + 1);
            primary = newNode("pg-primary", true, ports.get(0));
            for (int i = 1; i <= replicaCount; i++) {
                replicas.add(newNode("pg-replica-" + i, false, ports.get(i)));
            }
            List<PostgresNode> all = new ArrayList<>();
            all.add(primary);
            all.addAll(replicas);
            nodes = List.copyOf(all);
            startWatchdog();

            initPrimary();
            startServer(primary, true);
            createRolesAndDatabase();
            for (PostgresNode replica : replicas) {
                baseBackup(replica);
                startServer(replica, true);
            }
            awaitStreaming(replicas);
            startupTime = Duration.ofNanos(System.nanoTime() - start);
            LOG.info("PostgreSQL cluster up in {} ms ({}; servers run as {}): {}", startupTime.toMillis(), version,
                    OsProcesses.runningAsRoot() ? "user " + OsProcesses.POSTGRES_USER : "this user",
                    nodes.stream().map(n -> n.id() + "=127.0.0.1:" + n.port()).collect(Collectors.joining(", ")));
            return this;
        } catch (RuntimeException e) {
            failedToStart = directory != null;
            try {
                close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void checkBinaries(Path bin) {
        for (String tool : TOOLS) {
            Path path = bin.resolve(tool);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("PostgreSQL 15 server binaries not found: " + path + " is missing or not executable."
                        + " Install them with 'apt-get install -y postgresql-15' (Debian/Ubuntu),"
                        + " or point -D" + BIN_PROPERTY + " at a directory holding " + String.join(", ", TOOLS) + ".");
            }
        }
    }

    private void chooseDirectories() {
        try {
            Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
            Path target = Files.createDirectories(module.resolve("target"));
            Path candidate = Files.createTempDirectory(target, "pg-").toRealPath();
            OsProcesses.giveToPostgres(candidate);
            if (!OsProcesses.runningAsRoot() || OsProcesses.postgresCanWrite(candidate)) {
                directory = candidate;
                LOG.info("PostgreSQL cluster files under {}", directory);
            } else {
                OsProcesses.deleteTree(candidate);
                directory = Files.createTempDirectory(Path.of("/tmp"), "smartqueryrouter-pg-").toRealPath();
                OsProcesses.giveToPostgres(directory);
                if (!OsProcesses.postgresCanWrite(directory)) {
                    throw new IllegalStateException("user " + OsProcesses.POSTGRES_USER + " can write neither under "
                            + target + " nor under " + directory);
                }
                LOG.info("PostgreSQL cluster files under {} because user {} cannot reach {} (a parent directory is not traversable)",
                        directory, OsProcesses.POSTGRES_USER, target);
            }
            socketDirectory = Files.createDirectories(directory.resolve("run"));
            if ((socketDirectory + "/.s.PGSQL.65535.lock").length() > UNIX_SOCKET_PATH_MAX) {
                // a unix socket path is limited to 107 bytes; deep checkouts exceed it
                socketDirectory = Files.createTempDirectory(Path.of("/tmp"), "pgsock-").toRealPath();
                socketDirectoryIsSeparate = true;
            }
            OsProcesses.giveToPostgres(socketDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the PostgreSQL cluster directory", e);
        }
    }

    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            // held open together, so no two nodes get the same port
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // it was only a probe
                }
            }
        }
    }

    private PostgresNode newNode(String id, boolean isPrimary, int port) {
        return new PostgresNode(id, isPrimary, port, database, user, password,
                directory.resolve(id), directory.resolve(id + ".log"));
    }

    private void initPrimary() {
        Path data = primary.dataDirectory();
        OsProcesses.runOrThrow(timeout, directory, true, List.of(bin.resolve("initdb").toString(),
                "-D", data.toString(), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"),
                "initdb of " + primary.id());
        appendFile(data.resolve("postgresql.conf"), String.join("\n",
                "",
                "# --- SmartQueryRouter test cluster: fast and throwaway ---",
                "listen_addresses = '127.0.0.1'",
                "max_connections = 100",
                "shared_buffers = 16MB",
                "fsync = off",
                "synchronous_commit = off",
                "full_page_writes = off",
                "wal_writer_delay = 10ms",
                "wal_level = replica",
                "max_wal_senders = 10",
                "max_replication_slots = 10",
                "wal_keep_size = 128MB",
                "hot_standby = on",
                "hot_standby_feedback = on",
                "wal_receiver_status_interval = 1s",
                "wal_retrieve_retry_interval = 250ms",
                "log_line_prefix = '%m [%p] %q%a '",
                "log_min_messages = info",
                "include 'node.conf'",
                ""));
        writeFile(data.resolve("pg_hba.conf"), String.join("\n",
                "# TYPE  DATABASE     USER        ADDRESS        METHOD",
                "local   all          all                        trust",
                "host    replication  " + REPLICATION_USER + "  127.0.0.1/32   trust",
                "host    all          " + SUPERUSER + "    127.0.0.1/32   trust",
                "host    all          all         127.0.0.1/32   scram-sha-256",
                ""));
        writeNodeConf(primary);
    }

    private void writeNodeConf(PostgresNode node) {
        writeFile(node.dataDirectory().resolve("node.conf"), String.join("\n",
                "# settings of this node only (a replica's copy of the primary's is overwritten)",
                "port = " + node.port(),
                "cluster_name = '" + node.id() + "'",
                "unix_socket_directories = '" + socketDirectory + "'",
                ""));
    }

    private void createRolesAndDatabase() {
        try (Connection connection = superuser(primary, "postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + REPLICATION_USER + " WITH REPLICATION LOGIN");
            statement.execute("CREATE ROLE " + user + " WITH LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            // lets the adapter's role and lag probes read pg_stat_replication and the replay positions
            statement.execute("GRANT pg_monitor TO " + user);
            statement.execute("CREATE DATABASE " + database + " OWNER " + user);
        } catch (SQLException e) {
            throw failure("creating the roles and database on " + primary.id() + " failed: " + e, e, primary);
        }
    }

    private void baseBackup(PostgresNode replica) {
        String slot = replica.id().replace('-', '_');
        OsProcesses.Result result = OsProcesses.run(timeout, directory, true, List.of(bin.resolve("pg_basebackup").toString(),
                "-h", "127.0.0.1", "-p", String.valueOf(primary.port()), "-U", REPLICATION_USER,
                "-d", "application_name=" + replica.id(),
                "-D", replica.dataDirectory().toString(),
                "-R", "-C", "-S", slot, "-X", "stream", "-c", "fast", "--no-sync"));
        if (!result.ok()) {
            throw failure("pg_basebackup for " + replica.id() + " failed: " + result.describe(), primary);
        }
        writeNodeConf(replica);
    }

    /** Starts a server; at first start, a port another process took meanwhile is swapped for a free one. */
    private void startServer(PostgresNode node, boolean firstStart) {
        for (int attempt = 1; ; attempt++) {
            long logSize = size(node.logFile());
            OsProcesses.Result result = pgCtl(node, "-l", node.logFile().toString(), "-w", "-t", seconds(timeout), "start");
            if (result.ok()) {
                break;
            }
            String log = logSince(node.logFile(), logSize);
            if (firstStart && attempt < 3 && log.contains("could not bind")) {
                node.port(freePorts(1).get(0));
                writeNodeConf(node);
                LOG.info("PostgreSQL {}: port taken, trying port {}", node.id(), node.port());
                continue;
            }
            throw failure("starting " + node.id() + " failed: " + result.describe(), node);
        }
        node.running(true);
        node.frozen(false);
        node.replayPaused(false);
        awaitQuery(node, node.id() + " accepts connections", () -> {
            try (Connection connection = superuser(node, "postgres"); Statement statement = connection.createStatement()) {
                return statement.execute("SELECT 1");
            }
        });
    }

    private OsProcesses.Result pgCtl(PostgresNode node, String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", node.dataDirectory().toString(), "-s"));
        command.addAll(List.of(args));
        return OsProcesses.run(timeout.plusSeconds(10), directory, true, command);
    }

    private void awaitStreaming(List<PostgresNode> expected) {
        if (expected.isEmpty()) {
            return;
        }
        checkAnswering(primary, "awaiting streaming replicas");
        Set<String> ids = expected.stream().map(PostgresNode::id).collect(Collectors.toCollection(HashSet::new));
        StringBuilder lastSeen = new StringBuilder();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            lastSeen.setLength(0);
            try {
                Set<String> streaming = new HashSet<>();
                try (Connection connection = superuser(primary, "postgres"); Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT application_name, state FROM pg_stat_replication")) {
                    while (rs.next()) {
                        lastSeen.append(rs.getString(1)).append('=').append(rs.getString(2)).append(' ');
                        if ("streaming".equals(rs.getString(2))) {
                            streaming.add(rs.getString(1));
                        }
                    }
                }
                boolean all = streaming.containsAll(ids);
                for (PostgresNode replica : expected) {
                    if (!all) {
                        break;
                    }
                    // the replica's own view: a walsender the primary has not yet seen die would fool the first check
                    try (Connection connection = superuser(replica, "postgres"); Statement statement = connection.createStatement()) {
                        String status = queryString(statement, "SELECT status FROM pg_stat_wal_receiver");
                        lastSeen.append(replica.id()).append(" receiver=").append(status).append(' ');
                        all = "streaming".equals(status);
                    }
                }
                if (all) {
                    return;
                }
            } catch (SQLException e) {
                lastSeen.append(e);
            }
            if (System.nanoTime() - deadline > 0) {
                List<PostgresNode> logs = new ArrayList<>(expected);
                logs.add(0, primary);
                throw failure("replicas " + ids + " not streaming within " + timeout + "; pg_stat_replication on "
                        + primary.id() + ": " + lastSeen, logs.toArray(PostgresNode[]::new));
            }
            Await.pollPause();
        }
    }

    // ------------------------------------------------------------------------------ watchdog

    /**
     * A shell that waits on a pipe from this JVM. A clean close writes "done"; if the JVM dies
     * (even by SIGKILL, when no shutdown hook runs) the pipe just closes, and the shell wakes any
     * frozen server, stops every server (SIGQUIT = immediate shutdown) and removes the files.
     */
    private void startWatchdog() {
        String script = String.join("\n",
                "trap '' INT TERM HUP",
                "IFS= read -r line",
                "[ \"$line\" = done ] && exit 0",
                "base=$1; mode=$2; shift 2",
                "pms=''",
                "for d in \"$@\"; do",
                "  [ -f \"$d/postmaster.pid\" ] || continue",
                "  read -r pm < \"$d/postmaster.pid\" || continue",
                // a postmaster runs in its data directory: this tells a live server from a reused PID
                "  [ \"$(readlink /proc/$pm/cwd 2>/dev/null)\" = \"$d\" ] || continue",
                "  kill -CONT \"$pm\" 2>/dev/null",
                "  for s in /proc/[0-9]*/stat; do",
                "    read -r p c st pp rest < \"$s\" 2>/dev/null || continue",
                "    [ \"$pp\" = \"$pm\" ] && kill -CONT \"$p\" 2>/dev/null",
                "  done",
                "  kill -QUIT \"$pm\" 2>/dev/null",
                "  pms=\"$pms $pm\"",
                "done",
                "i=0",
                "while [ $i -lt 100 ]; do",
                "  alive=''",
                "  for pm in $pms; do [ -e /proc/$pm/cwd ] && [ -n \"$(readlink /proc/$pm/cwd 2>/dev/null)\" ] && alive=1; done",
                "  [ -z \"$alive\" ] && break",
                "  sleep 0.1; i=$((i+1))",
                "done",
                "[ \"$mode\" = delete ] && rm -rf \"$base\"",
                "exit 0");
        List<String> command = new ArrayList<>(List.of("sh", "-c", script, "postgres-cluster-watchdog",
                directory.toString(), keepFiles ? "keep" : "delete"));
        nodes.forEach(node -> command.add(node.dataDirectory().toString()));
        try {
            watchdog = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the watchdog shell", e);
        }
    }

    private void stopWatchdog() {
        if (watchdog == null) {
            return;
        }
        try (OutputStream in = watchdog.getOutputStream()) {
            in.write("done\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            LOG.warn("PostgreSQL cluster watchdog already gone: {}", e.toString());
        }
        try {
            if (!watchdog.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                watchdog.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watchdog = null;
    }

    // ------------------------------------------------------------------------------ helpers

    private interface SqlCheck {
        boolean holds() throws SQLException;
    }

    private void awaitQuery(PostgresNode node, String what, SqlCheck check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SQLException last = null;
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure("not within " + timeout + ": " + what + (last == null ? "" : " (last error: " + last + ")"), last, node);
            }
            Await.pollPause();
        }
    }

    private static String queryString(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Waits (up to the start timeout) until none of the processes is alive; a zombie counts as gone. */
    private void awaitGone(Set<Long> pids, PostgresNode node) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Long> alive = pids.stream().filter(OsProcesses::alive).toList();
            if (alive.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure(node.id() + ": processes " + alive + " still alive " + timeout + " after pg_ctl stop", node);
            }
            Await.pollPause();
        }
    }

    /**
     * Waits until every pid is stopped (state T), or none is; a vanished process counts as done. Up to
     * the start timeout: a signal takes effect when the process next runs, late on a busy machine.
     */
    private void awaitStates(Set<Long> pids, boolean stopped, PostgresNode node) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Long> pending = pids.stream().filter(pid -> {
                char state = OsProcesses.state(pid);
                return state != '?' && state != 'Z' && state != 'X' && (state == 'T') != stopped;
            }).toList();
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure(node.id() + ": processes " + pending + " did not " + (stopped ? "stop" : "continue") + " within "
                        + timeout, node);
            }
            Await.pollPause();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the PostgreSQL cluster is closed");
        }
    }

    private void checkMember(PostgresNode node) {
        Objects.requireNonNull(node, "node");
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException(node + " is not a node of this cluster");
        }
    }

    private void checkReplica(PostgresNode node, String operation) {
        checkMember(node);
        if (node.isPrimary()) {
            throw new IllegalArgumentException(operation + " needs a replica, but " + node.id() + " is the primary");
        }
    }

    private static void checkRunning(PostgresNode node, String operation) {
        if (!node.isRunning()) {
            throw new IllegalStateException(operation + ": " + node.id() + " is stopped");
        }
    }

    private static void checkAnswering(PostgresNode node, String operation) {
        checkRunning(node, operation);
        if (node.isFrozen()) {
            throw new IllegalStateException(operation + ": " + node.id() + " is frozen");
        }
    }

    private IllegalStateException failure(String message, PostgresNode... logsOf) {
        return failure(message, null, logsOf);
    }

    private IllegalStateException failure(String message, Throwable cause, PostgresNode... logsOf) {
        StringBuilder text = new StringBuilder(message);
        for (PostgresNode node : logsOf) {
            text.append("\n--- last ").append(LOG_TAIL_LINES).append(" lines of ").append(node.logFile()).append(" ---\n")
                    .append(OsProcesses.tail(node.logFile(), LOG_TAIL_LINES));
        }
        return new IllegalStateException(text.toString(), cause);
    }

    private static void appendFile(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeFile(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            OsProcesses.giveToPostgres(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String logSince(Path file, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String seconds(Duration duration) {
        return String.valueOf(Math.max(1, duration.toSeconds()));
    }

    /**
     * Builds and starts a private {@link PostgresCluster}; every setter checks its argument at
     * once.
     */
    public static final class Builder {
        private int replicas = 2;
        private String database = DEFAULT_DATABASE;
        private String user = DEFAULT_USER;
        private String password = DEFAULT_PASSWORD;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Path bin = Path.of(System.getProperty(BIN_PROPERTY, DEFAULT_BIN));

        private Builder() {
        }

        /**
         * Sets the number of streaming replicas.
         *
         * @param replicas 0..9; default 2
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder replicas(int replicas) {
            if (replicas < 0 || replicas > 9) {
                throw new IllegalArgumentException("PostgresCluster builder: replicas must be in 0..9, but was " + replicas);
            }
            this.replicas = replicas;
            return this;
        }

        /**
         * Sets the name of the test database.
         *
         * @param database a lower-case SQL identifier; default {@value PostgresCluster#DEFAULT_DATABASE}
         * @return this builder
         * @throws IllegalArgumentException if not a plain lower-case identifier
         */
        public Builder database(String database) {
            this.database = identifier("database", database);
            return this;
        }

        /**
         * Sets the application user.
         *
         * @param user a lower-case SQL identifier other than {@code postgres} and {@code
         *     replicator}; default {@value PostgresCluster#DEFAULT_USER}
         * @return this builder
         * @throws IllegalArgumentException if not a plain identifier, or a reserved name
         */
        public Builder user(String user) {
            String checked = identifier("user", user);
            if (checked.equals(SUPERUSER) || checked.equals(REPLICATION_USER)) {
                throw new IllegalArgumentException("PostgresCluster builder: user must not be '" + SUPERUSER + "' or '"
                        + REPLICATION_USER + "' (the harness uses them), but was '" + user + "'");
            }
            this.user = checked;
            return this;
        }

        /**
         * Sets the application user's password.
         *
         * @param password not empty; default {@value PostgresCluster#DEFAULT_PASSWORD}
         * @return this builder
         * @throws IllegalArgumentException if empty
         * @throws NullPointerException if null
         */
        public Builder password(String password) {
            Objects.requireNonNull(password, "password");
            if (password.isEmpty()) {
                throw new IllegalArgumentException("PostgresCluster builder: password must not be empty");
            }
            this.password = password;
            return this;
        }

        /**
         * Sets how long each start-up step (a server accepting connections, replicas streaming)
         * may take before start fails.
         *
         * @param startTimeout at least 1 s; default 60 s
         * @return this builder
         * @throws IllegalArgumentException if shorter than 1 s
         * @throws NullPointerException if null
         */
        public Builder startTimeout(Duration startTimeout) {
            Objects.requireNonNull(startTimeout, "startTimeout");
            if (startTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("PostgresCluster builder: startTimeout must be >= 1 s, but was " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * Sets the directory holding {@code initdb}, {@code pg_ctl}, {@code pg_basebackup} and
         * {@code postgres}.
         *
         * @param bin default: system property {@value PostgresCluster#BIN_PROPERTY}, else
         *     {@value PostgresCluster#DEFAULT_BIN}
         * @return this builder
         * @throws NullPointerException if null
         */
        public Builder binDirectory(Path bin) {
            this.bin = Objects.requireNonNull(bin, "bin");
            return this;
        }

        /**
         * Starts the cluster: {@code initdb} of the primary, start, roles and database, then per
         * replica {@code pg_basebackup -R} with a replication slot and a start, and waits until
         * every replica streams. Takes a few seconds.
         *
         * @return the running cluster; close it when done
         * @throws IllegalStateException if PostgreSQL is missing (saying what to install) or a
         *     step fails (with the tail of the server log); whatever was started is stopped
         */
        public PostgresCluster start() {
            return new PostgresCluster(this).launch(replicas);
        }

        private static String identifier(String field, String value) {
            Objects.requireNonNull(value, field);
            if (!IDENTIFIER.matcher(value).matches()) {
                throw new IllegalArgumentException("PostgresCluster builder: " + field
                        + " must be a lower-case SQL identifier ([a-z_][a-z0-9_]*, at most 63), but was '" + value + "'");
            }
            return value;
        }
    }
}
