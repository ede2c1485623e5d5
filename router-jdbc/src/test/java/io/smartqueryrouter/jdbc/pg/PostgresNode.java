package io.smartqueryrouter.jdbc.pg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * One PostgreSQL server of a {@link PostgresCluster}: the primary or a streaming replica. A live
 * handle: {@link #pid()} and the state flags follow the server through the cluster's fault
 * operations. Its {@code toString()} never prints the password.
 */
public final class PostgresNode {
    private final String id;
    private final boolean primary;
    private final String database;
    private final String user;
    private final String password;
    private final Path dataDirectory;
    private final Path logFile;
    // written only by the cluster, under its lock
    private volatile int port;
    private volatile boolean running;
    private volatile boolean frozen;
    private volatile boolean replayPaused;

    PostgresNode(String id, boolean primary, int port, String database, String user, String password,
            Path dataDirectory, Path logFile) {
        this.id = id;
        this.primary = primary;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.dataDirectory = dataDirectory;
        this.logFile = logFile;
    }

    /**
     * Returns the node id: {@code "pg-primary"}, {@code "pg-replica-1"}, {@code "pg-replica-2"}...
     * It is also the server's {@code cluster_name} and, for a replica, its {@code application_name}
     * in {@code pg_stat_replication}.
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * Tells whether this node is the primary.
     *
     * @return true for the primary, false for a replica
     */
    public boolean isPrimary() {
        return primary;
    }

    /**
     * Returns the host the server listens on: always {@code 127.0.0.1}.
     *
     * @return {@code "127.0.0.1"}
     */
    public String host() {
        return "127.0.0.1";
    }

    /**
     * Returns the TCP port of the server; it stays the same across {@code stopImmediate} and
     * {@code start}.
     *
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * Returns the name of the test database (the same on every node).
     *
     * @return the database name, {@value PostgresCluster#DEFAULT_DATABASE} by default
     */
    public String database() {
        return database;
    }

    /**
     * Returns the application user, who owns the test database and logs in with a password
     * (SCRAM-SHA-256) over 127.0.0.1. It is a member of {@code pg_monitor}, so it can read
     * {@code pg_stat_replication} and the replay positions.
     *
     * @return the user name, {@value PostgresCluster#DEFAULT_USER} by default
     */
    public String user() {
        return user;
    }

    /**
     * Returns the application user's password.
     *
     * @return the password, {@value PostgresCluster#DEFAULT_PASSWORD} by default
     */
    public String password() {
        return password;
    }

    /**
     * Returns the JDBC URL of the test database on this node, without credentials.
     *
     * @return {@code jdbc:postgresql://127.0.0.1:<port>/<database>}
     */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
    }

    /**
     * Returns JDBC properties holding {@link #user()} and {@link #password()}, for {@code
     * DriverManager.getConnection(node.jdbcUrl(), node.jdbcProperties())}.
     *
     * @return a new, mutable {@code Properties}
     */
    public Properties jdbcProperties() {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return properties;
    }

    /**
     * Returns the PID of the postmaster (the server's parent process), read from {@code
     * postmaster.pid}; it changes when the node is restarted.
     *
     * @return the postmaster PID
     * @throws IllegalStateException if the node is stopped
     */
    public long pid() {
        if (!running) {
            throw new IllegalStateException(id + " is stopped: it has no postmaster PID");
        }
        long pid = readPid();
        if (pid <= 0) {
            throw new IllegalStateException(id + ": no postmaster.pid in " + dataDirectory);
        }
        return pid;
    }

    /** The PID in postmaster.pid, or -1 if there is none. */
    long readPid() {
        try {
            String first = Files.readString(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                    .lines().findFirst().orElse("").strip();
            return first.isEmpty() ? -1 : Long.parseLong(first);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Returns the data directory of this node.
     *
     * @return the directory {@code PGDATA} of this server
     */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /**
     * Returns the server log file (kept across restarts).
     *
     * @return the log written by {@code pg_ctl -l}
     */
    public Path logFile() {
        return logFile;
    }

    /**
     * Tells whether the server is started (a frozen server is still running).
     *
     * @return false after {@code stopImmediate} until {@code start}
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * Tells whether the server is frozen (SIGSTOP) by {@code freeze}.
     *
     * @return true between {@code freeze} and {@code thaw}
     */
    public boolean isFrozen() {
        return frozen;
    }

    /**
     * Tells whether WAL replay is paused on this replica by {@code pauseReplay}.
     *
     * @return true between {@code pauseReplay} and {@code resumeReplay} (or a restart)
     */
    public boolean isReplayPaused() {
        return replayPaused;
    }

    void port(int port) {
        this.port = port;
    }

    void running(boolean running) {
        this.running = running;
    }

    void frozen(boolean frozen) {
        this.frozen = frozen;
    }

    void replayPaused(boolean replayPaused) {
        this.replayPaused = replayPaused;
    }

    /**
     * Describes the node without credentials.
     *
     * @return e.g. {@code pg-replica-1[replica 127.0.0.1:41234/app, running]}
     */
    @Override
    public String toString() {
        String state = !running ? "stopped" : frozen ? "frozen" : replayPaused ? "running, replay paused" : "running";
        return id + "[" + (primary ? "primary " : "replica ") + host() + ":" + port + "/" + database + ", " + state + "]";
    }
}
