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

/** A {@link RoutedPreparedStatement} over a {@link CallableStatement}: out parameters go straight through. */
final class RoutedCallableStatement extends RoutedPreparedStatement implements CallableStatement {
    private final CallableStatement callable;

    RoutedCallableStatement(LogicalConnection owner, CallableStatement callable) {
        super(owner, callable);
        this.callable = callable;
    }

@Override
    public Array getArray(String name) throws SQLException {
        return callable.getArray(name);
    }

    @Override
    public Array getArray(int index) throws SQLException {
        return callable.getArray(index);
    }

    @Override
    public BigDecimal getBigDecimal(String name) throws SQLException {
        return callable.getBigDecimal(name);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int b) throws SQLException {
        return callable.getBigDecimal(index, b);
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        return callable.getBigDecimal(index);
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        return callable.getBlob(name);
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        return callable.getBlob(index);
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        return callable.getBoolean(name);
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return callable.getBoolean(index);
    }

    @Override
    public byte getByte(String name) throws SQLException {
        return callable.getByte(name);
    }

    @Override
    public byte getByte(int index) throws SQLException {
        return callable.getByte(index);
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        return callable.getBytes(name);
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        return callable.getBytes(index);
    }

    @Override
    public Reader getCharacterStream(String name) throws SQLException {
        return callable.getCharacterStream(name);
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        return callable.getCharacterStream(index);
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        return callable.getClob(name);
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        return callable.getClob(index);
    }

    @Override
    public Date getDate(String name, Calendar b) throws SQLException {
        return callable.getDate(name, b);
    }

    @Override
    public Date getDate(String name) throws SQLException {
        return callable.getDate(name);
    }

    @Override
    public Date getDate(int index, Calendar b) throws SQLException {
        return callable.getDate(index, b);
    }

    @Override
    public Date getDate(int index) throws SQLException {
        return callable.getDate(index);
    }

    @Override
    public double getDouble(String name) throws SQLException {
        return callable.getDouble(name);
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return callable.getDouble(index);
    }

    @Override
    public float getFloat(String name) throws SQLException {
        return callable.getFloat(name);
    }

    @Override
    public float getFloat(int index) throws SQLException {
        return callable.getFloat(index);
    }

    @Override
    public int getInt(String name) throws SQLException {
        return callable.getInt(name);
    }

    @Override
    public int getInt(int index) throws SQLException {
        return callable.getInt(index);
    }

    @Override
    public long getLong(String name) throws SQLException {
        return callable.getLong(name);
    }

    @Override
    public long getLong(int index) throws SQLException {
        return callable.getLong(index);
    }

    @Override
    public Reader getNCharacterStream(String name) throws SQLException {
        return callable.getNCharacterStream(name);
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        return callable.getNCharacterStream(index);
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        return callable.getNClob(name);
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        return callable.getNClob(index);
    }

    @Override
    public String getNString(String name) throws SQLException {
        return callable.getNString(name);
    }

    @Override
    public String getNString(int index) throws SQLException {
        return callable.getNString(index);
    }

    @Override
    public <T> T getObject(String name, Class<T> b) throws SQLException {
        return callable.getObject(name, b);
    }

    @Override
    public Object getObject(String name, Map<String, Class<?>> b) throws SQLException {
        return callable.getObject(name, b);
    }

    @Override
    public Object getObject(String name) throws SQLException {
        return callable.getObject(name);
    }

    @Override
    public <T> T getObject(int index, Class<T> b) throws SQLException {
        return callable.getObject(index, b);
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> b) throws SQLException {
        return callable.getObject(index, b);
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return callable.getObject(index);
    }

    @Override
    public Ref getRef(String name) throws SQLException {
        return callable.getRef(name);
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        return callable.getRef(index);
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        return callable.getRowId(name);
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        return callable.getRowId(index);
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        return callable.getSQLXML(name);
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        return callable.getSQLXML(index);
    }

    @Override
    public short getShort(String name) throws SQLException {
        return callable.getShort(name);
    }

    @Override
    public short getShort(int index) throws SQLException {
        return callable.getShort(index);
    }

    @Override
    public String getString(String name) throws SQLException {
        return callable.getString(name);
    }

    @Override
    public String getString(int index) throws SQLException {
        return callable.getString(index);
    }

    @Override
    public Time getTime(String name, Calendar b) throws SQLException {
        return callable.getTime(name, b);
    }

    @Override
    public Time getTime(String name) throws SQLException {
        return callable.getTime(name);
    }

    @Override
    public Time getTime(int index, Calendar b) throws SQLException {
        return callable.getTime(index, b);
    }

    @Override
    public Time getTime(int index) throws SQLException {
        return callable.getTime(index);
    }

    @Override
    public Timestamp getTimestamp(String name, Calendar b) throws SQLException {
        return callable.getTimestamp(name, b);
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        return callable.getTimestamp(name);
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar b) throws SQLException {
        return callable.getTimestamp(index, b);
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return callable.getTimestamp(index);
    }

    @Override
    public URL getURL(String name) throws SQLException {
        return callable.getURL(name);
    }

    @Override
    public URL getURL(int index) throws SQLException {
        return callable.getURL(index);
    }

    @Override
    public void registerOutParameter(String name, int b, String c) throws SQLException {
        callable.registerOutParameter(name, b, c);
    }

    @Override
    public void registerOutParameter(String name, int b, int c) throws SQLException {
        callable.registerOutParameter(name, b, c);
    }

    @Override
    public void registerOutParameter(String name, int b) throws SQLException {
        callable.registerOutParameter(name, b);
    }

    @Override
    public void registerOutParameter(String name, SQLType b, String c) throws SQLException {
        callable.registerOutParameter(name, b, c);
    }

    @Override
    public void registerOutParameter(String name, SQLType b, int c) throws SQLException {
        callable.registerOutParameter(name, b, c);
    }

    @Override
    public void registerOutParameter(String name, SQLType b) throws SQLException {
        callable.registerOutParameter(name, b);
    }

    @Override
    public void registerOutParameter(int index, int b, String c) throws SQLException {
        callable.registerOutParameter(index, b, c);
    }

    @Override
    public void registerOutParameter(int index, int b, int c) throws SQLException {
        callable.registerOutParameter(index, b, c);
    }

    @Override
    public void registerOutParameter(int index, int b) throws SQLException {
        callable.registerOutParameter(index, b);
    }

    @Override
    public void registerOutParameter(int index, SQLType b, String c) throws SQLException {
        callable.registerOutParameter(index, b, c);
    }

    @Override
    public void registerOutParameter(int index, SQLType b, int c) throws SQLException {
        callable.registerOutParameter(index, b, c);
    }

    @Override
    public void registerOutParameter(int index, SQLType b) throws SQLException {
        callable.registerOutParameter(index, b);
    }

    @Override
    public void setAsciiStream(String name, InputStream b, int c) throws SQLException {
        callable.setAsciiStream(name, b, c);
    }

    @Override
    public void setAsciiStream(String name, InputStream b, long c) throws SQLException {
        callable.setAsciiStream(name, b, c);
    }

    @Override
    public void setAsciiStream(String name, InputStream b) throws SQLException {
        callable.setAsciiStream(name, b);
    }

    @Override
    public void setBigDecimal(String name, BigDecimal b) throws SQLException {
        callable.setBigDecimal(name, b);
    }

    @Override
    public void setBinaryStream(String name, InputStream b, int c) throws SQLException {
        callable.setBinaryStream(name, b, c);
    }

    @Override
    public void setBinaryStream(String name, InputStream b, long c) throws SQLException {
        callable.setBinaryStream(name, b, c);
    }

    @Override
    public void setBinaryStream(String name, InputStream b) throws SQLException {
        callable.setBinaryStream(name, b);
    }

    @Override
    public void setBlob(String name, InputStream b, long c) throws SQLException {
        callable.setBlob(name, b, c);
    }

    @Override
    public void setBlob(String name, InputStream b) throws SQLException {
        callable.setBlob(name, b);
    }

    @Override
    public void setBlob(String name, Blob b) throws SQLException {
        callable.setBlob(name, b);
    }

    @Override
    public void setBoolean(String name, boolean b) throws SQLException {
        callable.setBoolean(name, b);
    }

    @Override
    public void setByte(String name, byte b) throws SQLException {
        callable.setByte(name, b);
    }

    @Override
    public void setBytes(String name, byte[] b) throws SQLException {
        callable.setBytes(name, b);
    }

    @Override
    public void setCharacterStream(String name, Reader b, int c) throws SQLException {
        callable.setCharacterStream(name, b, c);
    }

    @Override
    public void setCharacterStream(String name, Reader b, long c) throws SQLException {
        callable.setCharacterStream(name, b, c);
    }

    @Override
    public void setCharacterStream(String name, Reader b) throws SQLException {
        callable.setCharacterStream(name, b);
    }

    @Override
    public void setClob(String name, Reader b, long c) throws SQLException {
        callable.setClob(name, b, c);
    }

    @Override
    public void setClob(String name, Reader b) throws SQLException {
        callable.setClob(name, b);
    }

    @Override
    public void setClob(String name, Clob b) throws SQLException {
        callable.setClob(name, b);
    }

    @Override
    public void setDate(String name, Date b, Calendar c) throws SQLException {
        callable.setDate(name, b, c);
    }

    @Override
    public void setDate(String name, Date b) throws SQLException {
        callable.setDate(name, b);
    }

    @Override
    public void setDouble(String name, double b) throws SQLException {
        callable.setDouble(name, b);
    }

    @Override
    public void setFloat(String name, float b) throws SQLException {
        callable.setFloat(name, b);
    }

    @Override
    public void setInt(String name, int b) throws SQLException {
        callable.setInt(name, b);
    }

    @Override
    public void setLong(String name, long b) throws SQLException {
        callable.setLong(name, b);
    }

    @Override
    public void setNCharacterStream(String name, Reader b, long c) throws SQLException {
        callable.setNCharacterStream(name, b, c);
    }

    @Override
    public void setNCharacterStream(String name, Reader b) throws SQLException {
        callable.setNCharacterStream(name, b);
    }

    @Override
    public void setNClob(String name, Reader b, long c) throws SQLException {
        callable.setNClob(name, b, c);
    }

    @Override
    public void setNClob(String name, Reader b) throws SQLException {
        callable.setNClob(name, b);
    }

    @Override
    public void setNClob(String name, NClob b) throws SQLException {
        callable.setNClob(name, b);
    }

    @Override
    public void setNString(String name, String b) throws SQLException {
        callable.setNString(name, b);
    }

    @Override
    public void setNull(String name, int b, String c) throws SQLException {
        callable.setNull(name, b, c);
    }

    @Override
    public void setNull(String name, int b) throws SQLException {
        callable.setNull(name, b);
    }

    @Override
    public void setObject(String name, Object b, int c, int d) throws SQLException {
        callable.setObject(name, b, c, d);
    }

    @Override
    public void setObject(String name, Object b, int c) throws SQLException {
        callable.setObject(name, b, c);
    }

    @Override
    public void setObject(String name, Object b, SQLType c, int d) throws SQLException {
        callable.setObject(name, b, c, d);
    }

    @Override
    public void setObject(String name, Object b, SQLType c) throws SQLException {
        callable.setObject(name, b, c);
    }

    @Override
    public void setObject(String name, Object b) throws SQLException {
        callable.setObject(name, b);
    }

    @Override
    public void setRowId(String name, RowId b) throws SQLException {
        callable.setRowId(name, b);
    }

    @Override
    public void setSQLXML(String name, SQLXML b) throws SQLException {
        callable.setSQLXML(name, b);
    }

    @Override
    public void setShort(String name, short b) throws SQLException {
        callable.setShort(name, b);
    }

    @Override
    public void setString(String name, String b) throws SQLException {
        callable.setString(name, b);
    }

    @Override
    public void setTime(String name, Time b, Calendar c) throws SQLException {
        callable.setTime(name, b, c);
    }

    @Override
    public void setTime(String name, Time b) throws SQLException {
        callable.setTime(name, b);
    }

    @Override
    public void setTimestamp(String name, Timestamp b, Calendar c) throws SQLException {
        callable.setTimestamp(name, b, c);
    }

    @Override
    public void setTimestamp(String name, Timestamp b) throws SQLException {
        callable.setTimestamp(name, b);
    }

    @Override
    public void setURL(String name, URL b) throws SQLException {
        callable.setURL(name, b);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return callable.wasNull();
    }
}
