package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.Outcome;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URL;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.Date;
import java.sql.NClob;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.Ref;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.RowId;
import java.sql.SQLException;
import java.sql.SQLType;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.util.Calendar;
import java.util.Map;

/**
 * The {@link Statement} a {@link LogicalConnection} hands out, delegating by hand as HikariCP's own
 * proxies do (no reflection, no boxing): each {@code execute*} is timed as an attempt on the
 * connection's node and its failure classified ({@link SqlFailures#classifyStatementFailure}); a
 * connection-class failure marks the logical connection broken. {@code getConnection()} answers the
 * logical connection and result sets answer this statement. A statement made before the logical
 * connection let its physical connection go (a read-only switch, {@code close()}) fails clearly at
 * its next execution instead of running on a connection that is no longer this one's.
 */
class RoutedStatement implements Statement {
    final LogicalConnection owner;
    private final Statement delegate;
    /** The owner's physical connection when this statement was made: {@link LogicalConnection#generation()}. */
    final int generation;

    RoutedStatement(LogicalConnection owner, Statement delegate) {
        this.owner = owner;
        this.delegate = delegate;
        this.generation = owner.generation();
    }

    /** Wraps a result set of this statement, so that its {@code getStatement()} answers this wrapper. */
    final ResultSet wrap(ResultSet rs) {
        return rs == null ? null : new RoutedResultSet(this, rs);
    }

    @Override
    public final Connection getConnection() throws SQLException {
        delegate.getConnection(); // a closed statement throws, as the driver's does
        return owner;
    }

    @Override
    public final ResultSet getResultSet() throws SQLException {
        try {
            return wrap(delegate.getResultSet());
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public final ResultSet getGeneratedKeys() throws SQLException {
        try {
            return wrap(delegate.getGeneratedKeys());
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public final <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
    }

    @Override
    public final boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + owner + "]";
    }

    // ---- the rest of java.sql.Statement: straight through, execute* timed ----

@Override
    public void addBatch(String sql) throws SQLException {
        try {
            delegate.addBatch(sql);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void cancel() throws SQLException {
        try {
            delegate.cancel();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void clearBatch() throws SQLException {
        try {
            delegate.clearBatch();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void close() throws SQLException {
        owner.closed(this);
        try {
            delegate.close();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    /** Closes the driver's statement, for the owner handing its connection back. */
    final void closeDelegate() throws SQLException {
        delegate.close();
    }

    @Override
    public void closeOnCompletion() throws SQLException {
        try {
            delegate.closeOnCompletion();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String enquoteIdentifier(String a, boolean b) throws SQLException {
        try {
            return delegate.enquoteIdentifier(a, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String enquoteLiteral(String a) throws SQLException {
        try {
            return delegate.enquoteLiteral(a);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String enquoteNCharLiteral(String a) throws SQLException {
        try {
            return delegate.enquoteNCharLiteral(a);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean execute(String sql, int[] b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            boolean result = delegate.execute(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public boolean execute(String sql, String[] b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            boolean result = delegate.execute(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public boolean execute(String sql, int b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            boolean result = delegate.execute(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            boolean result = delegate.execute(sql);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int[] executeBatch() throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            int[] result = delegate.executeBatch();
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            long[] result = delegate.executeLargeBatch();
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public long executeLargeUpdate(String sql, int[] b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            long result = delegate.executeLargeUpdate(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public long executeLargeUpdate(String sql, String[] b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            long result = delegate.executeLargeUpdate(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public long executeLargeUpdate(String sql, int b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            long result = delegate.executeLargeUpdate(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            long result = delegate.executeLargeUpdate(sql);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            ResultSet rs = delegate.executeQuery(sql);
            owner.statementEnded(start, Outcome.SUCCESS);
            return wrap(rs);
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int executeUpdate(String sql, int[] b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            int result = delegate.executeUpdate(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int executeUpdate(String sql, String[] b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            int result = delegate.executeUpdate(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int executeUpdate(String sql, int b) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            int result = delegate.executeUpdate(sql, b);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            int result = delegate.executeUpdate(sql);
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return delegate.getFetchDirection();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return delegate.getFetchSize();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public long getLargeMaxRows() throws SQLException {
        try {
            return delegate.getLargeMaxRows();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        try {
            return delegate.getLargeUpdateCount();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getMaxFieldSize() throws SQLException {
        try {
            return delegate.getMaxFieldSize();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getMaxRows() throws SQLException {
        try {
            return delegate.getMaxRows();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        try {
            return delegate.getMoreResults();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean getMoreResults(int index) throws SQLException {
        try {
            return delegate.getMoreResults(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getQueryTimeout() throws SQLException {
        try {
            return delegate.getQueryTimeout();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getResultSetConcurrency() throws SQLException {
        try {
            return delegate.getResultSetConcurrency();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getResultSetHoldability() throws SQLException {
        try {
            return delegate.getResultSetHoldability();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getResultSetType() throws SQLException {
        try {
            return delegate.getResultSetType();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getUpdateCount() throws SQLException {
        try {
            return delegate.getUpdateCount();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean isCloseOnCompletion() throws SQLException {
        try {
            return delegate.isCloseOnCompletion();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean isPoolable() throws SQLException {
        try {
            return delegate.isPoolable();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean isSimpleIdentifier(String a) throws SQLException {
        try {
            return delegate.isSimpleIdentifier(a);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCursorName(String name) throws SQLException {
        try {
            delegate.setCursorName(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setEscapeProcessing(boolean a) throws SQLException {
        try {
            delegate.setEscapeProcessing(a);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setFetchDirection(int index) throws SQLException {
        try {
            delegate.setFetchDirection(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setFetchSize(int index) throws SQLException {
        try {
            delegate.setFetchSize(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setLargeMaxRows(long a) throws SQLException {
        try {
            delegate.setLargeMaxRows(a);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setMaxFieldSize(int index) throws SQLException {
        try {
            delegate.setMaxFieldSize(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setMaxRows(int index) throws SQLException {
        try {
            delegate.setMaxRows(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setPoolable(boolean a) throws SQLException {
        try {
            delegate.setPoolable(a);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setQueryTimeout(int index) throws SQLException {
        try {
            delegate.setQueryTimeout(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }
}
