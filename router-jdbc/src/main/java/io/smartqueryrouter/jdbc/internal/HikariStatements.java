package io.smartqueryrouter.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.pool.ProxyConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What HikariCP's statement layer does, for a {@link LogicalConnection} that makes its statements on
 * the driver's connection behind HikariCP's proxy connection (so that a routed statement is one layer
 * of wrappers, not two): which failures make HikariCP evict a connection, and the eviction itself.
 * The logical connection keeps the rest (closing the statements left open, rolling back a
 * transaction left open, when it hands the connection back).
 *
 * <p>Only this class and {@link NodePool} name HikariCP's types; {@link LogicalConnection} touches
 * this class only when {@link NodeDataSources#hikariStatementsUsable()}, so the module runs without HikariCP. HikariCP 6 and 7 decide eviction alike
 * (below); 5.x also evicts on {@link java.sql.SQLTimeoutException} and has no
 * {@code HikariConfig.getExceptionOverride()}, so with it statements keep going through HikariCP's
 * proxies.
 */
final class HikariStatements {
    /** SQLStates other than class 08 on which HikariCP evicts a connection (HikariCP 6.x, 7.x). */
    private static final Set<String> FATAL_STATES = Set.of("0A000", "57P01", "57P02", "57P03", "01002", "JZ0C0", "JZ0C1");
    /** Vendor error codes on which HikariCP evicts a connection (HikariCP 6.x, 7.x). */
    private static final Set<Integer> FATAL_CODES = Set.of(500150, 2399, 1105);
    /** How far HikariCP follows a failure's {@link SQLException#getNextException() next exceptions}. */
    private static final int DEPTH = 10;

    private HikariStatements() {
    }

    /**
     * Returns the HikariCP pool that {@code taken} came from, when statements may be made on the driver's
     * connection behind it: {@code node} is a {@link HikariDataSource} or a pool of this module's, and no
     * exception override is configured only by class name (HikariCP makes that instance itself, out of
     * reach). Otherwise null: statements go through HikariCP's proxies, or the user's pool, as they are.
     */
    static DataSource directPool(Connection taken, DataSource node) {
        if (!(taken instanceof ProxyConnection)) {
            return null;
        }
        HikariDataSource pool = node instanceof HikariDataSource h ? h : node instanceof NodePool p ? p.hikari() : null;
        if (pool == null || pool.getExceptionOverride() == null && pool.getExceptionOverrideClassName() != null) {
            return null;
        }
        return pool;
    }

    /** {@return the auto-commit HikariCP gives the connections of {@code pool}, and resets them to} */
    static boolean autoCommit(DataSource pool) {
        return ((HikariConfig) pool).isAutoCommit();
    }

    /** {@return whether HikariCP gives the connections of {@code pool} read-only, and resets them to that} */
    static boolean readOnly(DataSource pool) {
        return ((HikariConfig) pool).isReadOnly();
    }

    /** Returns the driver's connection behind HikariCP's proxy connection {@code taken}, or null if it hides it. */
    static Connection driverConnection(Connection taken) {
        try {
            return taken.unwrap(Connection.class);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Returns whether HikariCP, had the failure come through its proxies, would evict the connection: a
     * SQLState of class 08 or one of {@link #FATAL_STATES}, an error code of {@link #FATAL_CODES}, in the
     * failure or its next exceptions (ten deep), unless the pool's exception override says otherwise.
     */
    static boolean fatal(DataSource pool, SQLException failure) {
        SQLExceptionOverride override = ((HikariConfig) pool).getExceptionOverride();
        SQLException e = failure;
        for (int depth = 0; e != null && depth < DEPTH; depth++) {
            SQLExceptionOverride.Override verdict = override == null ? SQLExceptionOverride.Override.CONTINUE_EVICT
                    : override.adjudicate(e);
            if (verdict == SQLExceptionOverride.Override.DO_NOT_EVICT) {
                return false;
            }
            String state = e.getSQLState();
            if (state != null && (state.startsWith("08") || FATAL_STATES.contains(state))
                    || FATAL_CODES.contains(e.getErrorCode()) || verdict == SQLExceptionOverride.Override.MUST_EVICT) {
                return true;
            }
            e = e.getNextException();
        }
        return false;
    }

    /**
     * Evicts {@code taken} from its pool at once, as HikariCP does with a broken connection: it is closed
     * and never handed out again (the pool opens another); closing the proxy afterwards returns nothing.
     */
    static void evict(DataSource pool, Connection taken) {
        ((HikariDataSource) pool).evictConnection(taken);
    }
}
