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

/** A {@link RoutedStatement} over a {@link PreparedStatement}: parameters go straight through, executions are timed. */
class RoutedPreparedStatement extends RoutedStatement implements PreparedStatement {
    private final PreparedStatement prepared;

    RoutedPreparedStatement(LogicalConnection owner, PreparedStatement prepared) {
        super(owner, prepared);
        this.prepared = prepared;
    }

@Override
    public void addBatch() throws SQLException {
        try {
            prepared.addBatch();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void clearParameters() throws SQLException {
        try {
            prepared.clearParameters();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean execute() throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            boolean result = prepared.execute();
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            long result = prepared.executeLargeUpdate();
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            ResultSet rs = prepared.executeQuery();
            owner.statementEnded(start, Outcome.SUCCESS);
            return wrap(rs);
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public int executeUpdate() throws SQLException {
        long start = owner.beginStatement(generation);
        try {
            int result = prepared.executeUpdate();
            owner.statementEnded(start, Outcome.SUCCESS);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            owner.statementEnded(start, owner.statementFailed(e));
            throw e;
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return prepared.getMetaData();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        try {
            return prepared.getParameterMetaData();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setArray(int index, Array b) throws SQLException {
        try {
            prepared.setArray(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream b, int c) throws SQLException {
        try {
            prepared.setAsciiStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream b, long c) throws SQLException {
        try {
            prepared.setAsciiStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setAsciiStream(int index, InputStream b) throws SQLException {
        try {
            prepared.setAsciiStream(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBigDecimal(int index, BigDecimal b) throws SQLException {
        try {
            prepared.setBigDecimal(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream b, int c) throws SQLException {
        try {
            prepared.setBinaryStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream b, long c) throws SQLException {
        try {
            prepared.setBinaryStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBinaryStream(int index, InputStream b) throws SQLException {
        try {
            prepared.setBinaryStream(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBlob(int index, InputStream b, long c) throws SQLException {
        try {
            prepared.setBlob(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBlob(int index, InputStream b) throws SQLException {
        try {
            prepared.setBlob(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBlob(int index, Blob b) throws SQLException {
        try {
            prepared.setBlob(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBoolean(int index, boolean b) throws SQLException {
        try {
            prepared.setBoolean(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setByte(int index, byte b) throws SQLException {
        try {
            prepared.setByte(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBytes(int index, byte[] b) throws SQLException {
        try {
            prepared.setBytes(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader b, int c) throws SQLException {
        try {
            prepared.setCharacterStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader b, long c) throws SQLException {
        try {
            prepared.setCharacterStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCharacterStream(int index, Reader b) throws SQLException {
        try {
            prepared.setCharacterStream(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setClob(int index, Reader b, long c) throws SQLException {
        try {
            prepared.setClob(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setClob(int index, Reader b) throws SQLException {
        try {
            prepared.setClob(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setClob(int index, Clob b) throws SQLException {
        try {
            prepared.setClob(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setDate(int index, Date b, Calendar c) throws SQLException {
        try {
            prepared.setDate(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setDate(int index, Date b) throws SQLException {
        try {
            prepared.setDate(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setDouble(int index, double b) throws SQLException {
        try {
            prepared.setDouble(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setFloat(int index, float b) throws SQLException {
        try {
            prepared.setFloat(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setInt(int index, int b) throws SQLException {
        try {
            prepared.setInt(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setLong(int index, long b) throws SQLException {
        try {
            prepared.setLong(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader b, long c) throws SQLException {
        try {
            prepared.setNCharacterStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNCharacterStream(int index, Reader b) throws SQLException {
        try {
            prepared.setNCharacterStream(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNClob(int index, Reader b, long c) throws SQLException {
        try {
            prepared.setNClob(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNClob(int index, Reader b) throws SQLException {
        try {
            prepared.setNClob(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNClob(int index, NClob b) throws SQLException {
        try {
            prepared.setNClob(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNString(int index, String b) throws SQLException {
        try {
            prepared.setNString(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNull(int index, int b, String c) throws SQLException {
        try {
            prepared.setNull(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNull(int index, int b) throws SQLException {
        try {
            prepared.setNull(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(int index, Object b, int c, int d) throws SQLException {
        try {
            prepared.setObject(index, b, c, d);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(int index, Object b, int c) throws SQLException {
        try {
            prepared.setObject(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(int index, Object b, SQLType c, int d) throws SQLException {
        try {
            prepared.setObject(index, b, c, d);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(int index, Object b, SQLType c) throws SQLException {
        try {
            prepared.setObject(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(int index, Object b) throws SQLException {
        try {
            prepared.setObject(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setRef(int index, Ref b) throws SQLException {
        try {
            prepared.setRef(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setRowId(int index, RowId b) throws SQLException {
        try {
            prepared.setRowId(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setSQLXML(int index, SQLXML b) throws SQLException {
        try {
            prepared.setSQLXML(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setShort(int index, short b) throws SQLException {
        try {
            prepared.setShort(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setString(int index, String b) throws SQLException {
        try {
            prepared.setString(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTime(int index, Time b, Calendar c) throws SQLException {
        try {
            prepared.setTime(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTime(int index, Time b) throws SQLException {
        try {
            prepared.setTime(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp b, Calendar c) throws SQLException {
        try {
            prepared.setTimestamp(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTimestamp(int index, Timestamp b) throws SQLException {
        try {
            prepared.setTimestamp(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setURL(int index, URL b) throws SQLException {
        try {
            prepared.setURL(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream b, int c) throws SQLException {
        try {
            prepared.setUnicodeStream(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }
}
