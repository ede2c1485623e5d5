package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.spi.SecretRedaction;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

/** What a {@link SQLException} means for the node it came from. */
public final class SqlFailures {
    private SqlFailures() {
    }

    /**
     * Returns whether the failure is the connection's or the server's (SQLState class 08,
     * 57P01-57P03 admin shutdown / crash shutdown / cannot connect now, a transient connection
     * exception such as a pool timeout): the node is blamed, the connection is not to be trusted
     * again, and acquiring a connection elsewhere is safe.
     */
    public static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Returns whether the failure is the caller's configuration, not the node's: invalid
     * authorization (class 28) or an unknown database (3D000). Such failures are thrown at once,
     * never failed over, since every node would answer the same.
     */
    public static boolean isConfigurationFailure(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("28") || state.equals("3D000"));
    }

    /** Returns a driver's or pool's message with any credentials in it hidden ({@link SecretRedaction}). */
    public static String redact(String message) {
        return SecretRedaction.redact(message);
    }

    /**
     * Classifies a statement's failure: connection failures and cancelled queries (57014, a
     * statement timeout on a slow node) blame the node; anything else (syntax, constraint,
     * serialization...) is the caller's.
     */
    public static Outcome classifyStatementFailure(SQLException e) {
        if (isConnectionFailure(e) || "57014".equals(e.getSQLState())) {
            return Outcome.FAILURE;
        }
        return Outcome.CLIENT_ERROR;
    }
}
