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
        prepared.addBatch();
    }

    @Override
    public void clearParameters() throws SQLException {
        prepared.clearParameters();
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
        return prepared.getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return prepared.getParameterMetaData();
    }

    @Override
    public void setArray(int index, Array b) throws SQLException {
        prepared.setArray(index, b);
    }

    @Override
    public void setAsciiStream(int index, InputStream b, int c) throws SQLException {
        prepared.setAsciiStream(index, b, c);
    }

    @Override
    public void setAsciiStream(int index, InputStream b, long c) throws SQLException {
        prepared.setAsciiStream(index, b, c);
    }

    @Override
    public void setAsciiStream(int index, InputStream b) throws SQLException {
        prepared.setAsciiStream(index, b);
    }

    @Override
    public void setBigDecimal(int index, BigDecimal b) throws SQLException {
        prepared.setBigDecimal(index, b);
    }

    @Override
    public void setBinaryStream(int index, InputStream b, int c) throws SQLException {
        prepared.setBinaryStream(index, b, c);
    }

    @Override
    public void setBinaryStream(int index, InputStream b, long c) throws SQLException {
        prepared.setBinaryStream(index, b, c);
    }

    @Override
    public void setBinaryStream(int index, InputStream b) throws SQLException {
        prepared.setBinaryStream(index, b);
    }

    @Override
    public void setBlob(int index, InputStream b, long c) throws SQLException {
        prepared.setBlob(index, b, c);
    }

    @Override
    public void setBlob(int index, InputStream b) throws SQLException {
        prepared.setBlob(index, b);
    }

    @Override
    public void setBlob(int index, Blob b) throws SQLException {
        prepared.setBlob(index, b);
    }

    @Override
    public void setBoolean(int index, boolean b) throws SQLException {
        prepared.setBoolean(index, b);
    }

    @Override
    public void setByte(int index, byte b) throws SQLException {
        prepared.setByte(index, b);
    }

    @Override
    public void setBytes(int index, byte[] b) throws SQLException {
        prepared.setBytes(index, b);
    }

    @Override
    public void setCharacterStream(int index, Reader b, int c) throws SQLException {
        prepared.setCharacterStream(index, b, c);
    }

    @Override
    public void setCharacterStream(int index, Reader b, long c) throws SQLException {
        prepared.setCharacterStream(index, b, c);
    }

    @Override
    public void setCharacterStream(int index, Reader b) throws SQLException {
        prepared.setCharacterStream(index, b);
    }

    @Override
    public void setClob(int index, Reader b, long c) throws SQLException {
        prepared.setClob(index, b, c);
    }

    @Override
    public void setClob(int index, Reader b) throws SQLException {
        prepared.setClob(index, b);
    }

    @Override
    public void setClob(int index, Clob b) throws SQLException {
        prepared.setClob(index, b);
    }

    @Override
    public void setDate(int index, Date b, Calendar c) throws SQLException {
        prepared.setDate(index, b, c);
    }

    @Override
    public void setDate(int index, Date b) throws SQLException {
        prepared.setDate(index, b);
    }

    @Override
    public void setDouble(int index, double b) throws SQLException {
        prepared.setDouble(index, b);
    }

    @Override
    public void setFloat(int index, float b) throws SQLException {
        prepared.setFloat(index, b);
    }

    @Override
    public void setInt(int index, int b) throws SQLException {
        prepared.setInt(index, b);
    }

    @Override
    public void setLong(int index, long b) throws SQLException {
        prepared.setLong(index, b);
    }

    @Override
    public void setNCharacterStream(int index, Reader b, long c) throws SQLException {
        prepared.setNCharacterStream(index, b, c);
    }

    @Override
    public void setNCharacterStream(int index, Reader b) throws SQLException {
        prepared.setNCharacterStream(index, b);
    }

    @Override
    public void setNClob(int index, Reader b, long c) throws SQLException {
        prepared.setNClob(index, b, c);
    }

    @Override
    public void setNClob(int index, Reader b) throws SQLException {
        prepared.setNClob(index, b);
    }

    @Override
    public void setNClob(int index, NClob b) throws SQLException {
        prepared.setNClob(index, b);
    }

    @Override
    public void setNString(int index, String b) throws SQLException {
        prepared.setNString(index, b);
    }

    @Override
    public void setNull(int index, int b, String c) throws SQLException {
        prepared.setNull(index, b, c);
    }

    @Override
    public void setNull(int index, int b) throws SQLException {
        prepared.setNull(index, b);
    }

    @Override
    public void setObject(int index, Object b, int c, int d) throws SQLException {
        prepared.setObject(index, b, c, d);
    }

    @Override
    public void setObject(int index, Object b, int c) throws SQLException {
        prepared.setObject(index, b, c);
    }

    @Override
    public void setObject(int index, Object b, SQLType c, int d) throws SQLException {
        prepared.setObject(index, b, c, d);
    }

    @Override
    public void setObject(int index, Object b, SQLType c) throws SQLException {
        prepared.setObject(index, b, c);
    }

    @Override
    public void setObject(int index, Object b) throws SQLException {
        prepared.setObject(index, b);
    }

    @Override
    public void setRef(int index, Ref b) throws SQLException {
        prepared.setRef(index, b);
    }

    @Override
    public void setRowId(int index, RowId b) throws SQLException {
        prepared.setRowId(index, b);
    }

    @Override
    public void setSQLXML(int index, SQLXML b) throws SQLException {
        prepared.setSQLXML(index, b);
    }

    @Override
    public void setShort(int index, short b) throws SQLException {
        prepared.setShort(index, b);
    }

    @Override
    public void setString(int index, String b) throws SQLException {
        prepared.setString(index, b);
    }

    @Override
    public void setTime(int index, Time b, Calendar c) throws SQLException {
        prepared.setTime(index, b, c);
    }

    @Override
    public void setTime(int index, Time b) throws SQLException {
        prepared.setTime(index, b);
    }

    @Override
    public void setTimestamp(int index, Timestamp b, Calendar c) throws SQLException {
        prepared.setTimestamp(index, b, c);
    }

    @Override
    public void setTimestamp(int index, Timestamp b) throws SQLException {
        prepared.setTimestamp(index, b);
    }

    @Override
    public void setURL(int index, URL b) throws SQLException {
        prepared.setURL(index, b);
    }

    @Override
    @Deprecated
    public void setUnicodeStream(int index, InputStream b, int c) throws SQLException {
        prepared.setUnicodeStream(index, b, c);
    }
}
