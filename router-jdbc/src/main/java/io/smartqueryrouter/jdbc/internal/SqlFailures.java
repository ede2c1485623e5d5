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
     * Returns a message with any credentials hidden, and {@code secret} (a password the caller knows,
     * when at least 3 characters) masked wherever it stands; null for null.
     */
    public static String redact(String message, String secret) {
        if (message == null) {
            return null;
        }
        String shown = SecretRedaction.redact(message);
        return secret != null && secret.length() >= 3 ? shown.replace(secret, "***") : shown;
    }

    /**
     * Returns {@code e} itself when no message of its cause chain carries a credential (or
     * {@code secret}); otherwise a copy of the chain with every message redacted, keeping each
     * SQLState, error code, kind of connection exception and stack trace, so that classifying it
     * gives the same answer.
     *
     * @param secret a password to mask wherever it appears, or null
     */
    public static SQLException redacted(SQLException e, String secret) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m != null && !m.equals(redact(m, secret))) {
                return (SQLException) copy(e, secret);
            }
        }
        return e;
    }

    private static Throwable copy(Throwable t, String secret) {
        Throwable cause = t.getCause() == null || t.getCause() == t ? null : copy(t.getCause(), secret);
        String message = redact(t.getMessage(), secret);
        Throwable copy;
        if (t instanceof SQLTransientConnectionException s) {
            copy = new SQLTransientConnectionException(message, s.getSQLState(), s.getErrorCode(), cause);
        } else if (t instanceof SQLNonTransientConnectionException s) {
            copy = new SQLNonTransientConnectionException(message, s.getSQLState(), s.getErrorCode(), cause);
        } else if (t instanceof SQLException s) {
            copy = new SQLException(message, s.getSQLState(), s.getErrorCode(), cause);
        } else {
            copy = new Exception(t.getClass().getName() + (message == null ? "" : ": " + message), cause);
        }
        copy.setStackTrace(t.getStackTrace());
        return copy;
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
