package io.smartqueryrouter.jdbc;

import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.jdbc.internal.ConnectionRouter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;

/** Health probes for database nodes. */
public final class JdbcProbes {
    private JdbcProbes() {
    }

    /**
     * Returns a probe that takes a connection from the node's data source and asks
     * {@link Connection#isValid(int)}. Works with any driver.
     *
     * @return a probe that reports up or down only, with no attributes; the health check's timeout is
     *     passed to {@code isValid} rounded up to whole seconds
     */
    public static HealthProbe<DataSource> isValid() {
        return (node, timeout) -> {
            try (Connection c = node.endpoint().getConnection()) {
                return c.isValid(seconds(timeout)) ? ProbeResult.ok()
                        : ProbeResult.failed("Connection.isValid(" + seconds(timeout) + ") returned false");
            }
        };
    }

    /** The lag a replica reports while it receives no WAL: unknown, so as far behind as can be. */
    public static final long LAG_UNKNOWN_MILLIS = Long.MAX_VALUE;

    /**
     * Returns a PostgreSQL probe: {@link Connection#isValid(int)}, then the node's real role
     * ({@code pg_is_in_recovery()}) and, on a replica, its replay lag: zero when the WAL received
     * and the WAL replayed are at the same position, otherwise the time since the last replayed
     * transaction; and unknown ({@link #LAG_UNKNOWN_MILLIS}, as far behind as can be) when the replica
     * receives no WAL at all: no WAL receiver in {@code pg_stat_wal_receiver}, or one whose status is
     * not {@code streaming} (its primary is gone, or its {@code primary_conninfo} points nowhere), since
     * its replay then stays "caught up" with nothing while the primary moves on. Reported as the probe
     * attributes {@code role} ("primary" or "replica") and {@code lagMillis}, which
     * {@link RoutingDataSource} uses to keep writes off replicas and reads off lagging replicas (those
     * beyond {@link RoutingDataSource.Builder#maxReplicaLag}).
     *
     * <p>The probe user needs no privilege to read the role and the lag, but to see a WAL receiver's
     * status it needs the role {@code pg_monitor} (or {@code pg_read_all_stats}; {@code GRANT pg_monitor
     * TO app}). Without it PostgreSQL shows the probe only whether a WAL receiver process exists: a
     * replica with none is still reported lagging, but one whose receiver is up and retrying (not
     * streaming) is not.
     *
     * @return a probe for PostgreSQL data sources; its queries time out after the health check's
     *     timeout, rounded up to whole seconds
     */
    public static HealthProbe<DataSource> postgres() {
        return (node, timeout) -> {
            try (Connection c = node.endpoint().getConnection(); Statement s = c.createStatement()) {
                if (!c.isValid(seconds(timeout))) {
                    return ProbeResult.failed("Connection.isValid(" + seconds(timeout) + ") returned false");
                }
                s.setQueryTimeout(seconds(timeout));
                // status is null for a user without pg_read_all_stats: then a receiver that exists counts as streaming
                try (ResultSet rs = s.executeQuery("select pg_is_in_recovery(), case"
                        + " when not pg_is_in_recovery() then 0"
                        + " when not exists (select 1 from pg_stat_wal_receiver"
                        + "   where pid is not null and coalesce(status, 'streaming') = 'streaming') then -1"
                        + " when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0"
                        + " else coalesce((extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::bigint, 0)"
                        + " end")) {
                    rs.next();
                    boolean replica = rs.getBoolean(1);
                    long lag = rs.getLong(2);
                    return ProbeResult.ok(Map.of(
                            ConnectionRouter.ROLE_ATTRIBUTE, replica ? NodeRole.REPLICA.label() : NodeRole.PRIMARY.label(),
                            ConnectionRouter.LAG_ATTRIBUTE, Long.toString(lag < 0 ? LAG_UNKNOWN_MILLIS : lag)));
                }
            }
        };
    }

    private static int seconds(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (timeout.toMillis() + 999) / 1000));
    }
}
