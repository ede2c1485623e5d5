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
        try {
            return callable.getArray(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Array getArray(int index) throws SQLException {
        try {
            return callable.getArray(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public BigDecimal getBigDecimal(String name) throws SQLException {
        try {
            return callable.getBigDecimal(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int b) throws SQLException {
        try {
            return callable.getBigDecimal(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        try {
            return callable.getBigDecimal(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        try {
            return callable.getBlob(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        try {
            return callable.getBlob(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        try {
            return callable.getBoolean(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        try {
            return callable.getBoolean(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public byte getByte(String name) throws SQLException {
        try {
            return callable.getByte(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public byte getByte(int index) throws SQLException {
        try {
            return callable.getByte(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        try {
            return callable.getBytes(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        try {
            return callable.getBytes(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Reader getCharacterStream(String name) throws SQLException {
        try {
            return callable.getCharacterStream(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        try {
            return callable.getCharacterStream(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        try {
            return callable.getClob(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        try {
            return callable.getClob(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Date getDate(String name, Calendar b) throws SQLException {
        try {
            return callable.getDate(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Date getDate(String name) throws SQLException {
        try {
            return callable.getDate(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Date getDate(int index, Calendar b) throws SQLException {
        try {
            return callable.getDate(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Date getDate(int index) throws SQLException {
        try {
            return callable.getDate(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public double getDouble(String name) throws SQLException {
        try {
            return callable.getDouble(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public double getDouble(int index) throws SQLException {
        try {
            return callable.getDouble(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public float getFloat(String name) throws SQLException {
        try {
            return callable.getFloat(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public float getFloat(int index) throws SQLException {
        try {
            return callable.getFloat(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getInt(String name) throws SQLException {
        try {
            return callable.getInt(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public int getInt(int index) throws SQLException {
        try {
            return callable.getInt(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public long getLong(String name) throws SQLException {
        try {
            return callable.getLong(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public long getLong(int index) throws SQLException {
        try {
            return callable.getLong(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Reader getNCharacterStream(String name) throws SQLException {
        try {
            return callable.getNCharacterStream(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        try {
            return callable.getNCharacterStream(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        try {
            return callable.getNClob(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        try {
            return callable.getNClob(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String getNString(String name) throws SQLException {
        try {
            return callable.getNString(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String getNString(int index) throws SQLException {
        try {
            return callable.getNString(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public <T> T getObject(String name, Class<T> b) throws SQLException {
        try {
            return callable.getObject(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Object getObject(String name, Map<String, Class<?>> b) throws SQLException {
        try {
            return callable.getObject(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Object getObject(String name) throws SQLException {
        try {
            return callable.getObject(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public <T> T getObject(int index, Class<T> b) throws SQLException {
        try {
            return callable.getObject(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> b) throws SQLException {
        try {
            return callable.getObject(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Object getObject(int index) throws SQLException {
        try {
            return callable.getObject(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Ref getRef(String name) throws SQLException {
        try {
            return callable.getRef(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        try {
            return callable.getRef(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        try {
            return callable.getRowId(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        try {
            return callable.getRowId(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        try {
            return callable.getSQLXML(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        try {
            return callable.getSQLXML(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public short getShort(String name) throws SQLException {
        try {
            return callable.getShort(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public short getShort(int index) throws SQLException {
        try {
            return callable.getShort(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String getString(String name) throws SQLException {
        try {
            return callable.getString(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public String getString(int index) throws SQLException {
        try {
            return callable.getString(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Time getTime(String name, Calendar b) throws SQLException {
        try {
            return callable.getTime(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Time getTime(String name) throws SQLException {
        try {
            return callable.getTime(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Time getTime(int index, Calendar b) throws SQLException {
        try {
            return callable.getTime(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Time getTime(int index) throws SQLException {
        try {
            return callable.getTime(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(String name, Calendar b) throws SQLException {
        try {
            return callable.getTimestamp(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        try {
            return callable.getTimestamp(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar b) throws SQLException {
        try {
            return callable.getTimestamp(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        try {
            return callable.getTimestamp(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public URL getURL(String name) throws SQLException {
        try {
            return callable.getURL(name);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public URL getURL(int index) throws SQLException {
        try {
            return callable.getURL(index);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(String name, int b, String c) throws SQLException {
        try {
            callable.registerOutParameter(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(String name, int b, int c) throws SQLException {
        try {
            callable.registerOutParameter(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(String name, int b) throws SQLException {
        try {
            callable.registerOutParameter(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(String name, SQLType b, String c) throws SQLException {
        try {
            callable.registerOutParameter(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(String name, SQLType b, int c) throws SQLException {
        try {
            callable.registerOutParameter(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(String name, SQLType b) throws SQLException {
        try {
            callable.registerOutParameter(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(int index, int b, String c) throws SQLException {
        try {
            callable.registerOutParameter(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(int index, int b, int c) throws SQLException {
        try {
            callable.registerOutParameter(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(int index, int b) throws SQLException {
        try {
            callable.registerOutParameter(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(int index, SQLType b, String c) throws SQLException {
        try {
            callable.registerOutParameter(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(int index, SQLType b, int c) throws SQLException {
        try {
            callable.registerOutParameter(index, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void registerOutParameter(int index, SQLType b) throws SQLException {
        try {
            callable.registerOutParameter(index, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setAsciiStream(String name, InputStream b, int c) throws SQLException {
        try {
            callable.setAsciiStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setAsciiStream(String name, InputStream b, long c) throws SQLException {
        try {
            callable.setAsciiStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setAsciiStream(String name, InputStream b) throws SQLException {
        try {
            callable.setAsciiStream(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBigDecimal(String name, BigDecimal b) throws SQLException {
        try {
            callable.setBigDecimal(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBinaryStream(String name, InputStream b, int c) throws SQLException {
        try {
            callable.setBinaryStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBinaryStream(String name, InputStream b, long c) throws SQLException {
        try {
            callable.setBinaryStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBinaryStream(String name, InputStream b) throws SQLException {
        try {
            callable.setBinaryStream(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBlob(String name, InputStream b, long c) throws SQLException {
        try {
            callable.setBlob(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBlob(String name, InputStream b) throws SQLException {
        try {
            callable.setBlob(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBlob(String name, Blob b) throws SQLException {
        try {
            callable.setBlob(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBoolean(String name, boolean b) throws SQLException {
        try {
            callable.setBoolean(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setByte(String name, byte b) throws SQLException {
        try {
            callable.setByte(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setBytes(String name, byte[] b) throws SQLException {
        try {
            callable.setBytes(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCharacterStream(String name, Reader b, int c) throws SQLException {
        try {
            callable.setCharacterStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCharacterStream(String name, Reader b, long c) throws SQLException {
        try {
            callable.setCharacterStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setCharacterStream(String name, Reader b) throws SQLException {
        try {
            callable.setCharacterStream(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setClob(String name, Reader b, long c) throws SQLException {
        try {
            callable.setClob(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setClob(String name, Reader b) throws SQLException {
        try {
            callable.setClob(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setClob(String name, Clob b) throws SQLException {
        try {
            callable.setClob(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setDate(String name, Date b, Calendar c) throws SQLException {
        try {
            callable.setDate(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setDate(String name, Date b) throws SQLException {
        try {
            callable.setDate(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setDouble(String name, double b) throws SQLException {
        try {
            callable.setDouble(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setFloat(String name, float b) throws SQLException {
        try {
            callable.setFloat(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setInt(String name, int b) throws SQLException {
        try {
            callable.setInt(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setLong(String name, long b) throws SQLException {
        try {
            callable.setLong(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNCharacterStream(String name, Reader b, long c) throws SQLException {
        try {
            callable.setNCharacterStream(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNCharacterStream(String name, Reader b) throws SQLException {
        try {
            callable.setNCharacterStream(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNClob(String name, Reader b, long c) throws SQLException {
        try {
            callable.setNClob(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNClob(String name, Reader b) throws SQLException {
        try {
            callable.setNClob(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNClob(String name, NClob b) throws SQLException {
        try {
            callable.setNClob(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNString(String name, String b) throws SQLException {
        try {
            callable.setNString(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNull(String name, int b, String c) throws SQLException {
        try {
            callable.setNull(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setNull(String name, int b) throws SQLException {
        try {
            callable.setNull(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(String name, Object b, int c, int d) throws SQLException {
        try {
            callable.setObject(name, b, c, d);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(String name, Object b, int c) throws SQLException {
        try {
            callable.setObject(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(String name, Object b, SQLType c, int d) throws SQLException {
        try {
            callable.setObject(name, b, c, d);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(String name, Object b, SQLType c) throws SQLException {
        try {
            callable.setObject(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setObject(String name, Object b) throws SQLException {
        try {
            callable.setObject(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setRowId(String name, RowId b) throws SQLException {
        try {
            callable.setRowId(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setSQLXML(String name, SQLXML b) throws SQLException {
        try {
            callable.setSQLXML(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setShort(String name, short b) throws SQLException {
        try {
            callable.setShort(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setString(String name, String b) throws SQLException {
        try {
            callable.setString(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTime(String name, Time b, Calendar c) throws SQLException {
        try {
            callable.setTime(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTime(String name, Time b) throws SQLException {
        try {
            callable.setTime(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTimestamp(String name, Timestamp b, Calendar c) throws SQLException {
        try {
            callable.setTimestamp(name, b, c);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setTimestamp(String name, Timestamp b) throws SQLException {
        try {
            callable.setTimestamp(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public void setURL(String name, URL b) throws SQLException {
        try {
            callable.setURL(name, b);
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }

    @Override
    public boolean wasNull() throws SQLException {
        try {
            return callable.wasNull();
        } catch (SQLException e) {
            throw owner.failed(generation, e);
        }
    }
}
