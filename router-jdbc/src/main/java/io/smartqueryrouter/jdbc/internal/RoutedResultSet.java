package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.Attempt;
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
import javax.sql.DataSource;

/** A result set of a {@link RoutedStatement}: {@code getStatement()} answers the wrapper, everything else goes straight through. */
final class RoutedResultSet implements ResultSet {
    private final RoutedStatement statement;
    private final ResultSet delegate;

    RoutedResultSet(RoutedStatement statement, ResultSet delegate) {
        this.statement = statement;
        this.delegate = delegate;
    }

    @Override
    public Statement getStatement() throws SQLException {
        delegate.getStatement(); // a closed result set throws, as the driver's does
        return statement;
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return iface.isInstance(delegate) ? iface.cast(delegate) : delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "RoutedResultSet[" + statement.owner + "]";
    }

@Override
    public boolean absolute(int a) throws SQLException {
        return delegate.absolute(a);
    }

    @Override
    public void afterLast() throws SQLException {
        delegate.afterLast();
    }

    @Override
    public void beforeFirst() throws SQLException {
        delegate.beforeFirst();
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        delegate.cancelRowUpdates();
    }

    @Override
    public void clearWarnings() throws SQLException {
        delegate.clearWarnings();
    }

    @Override
    public void close() throws SQLException {
        delegate.close();
    }

    @Override
    public void deleteRow() throws SQLException {
        delegate.deleteRow();
    }

    @Override
    public int findColumn(String a) throws SQLException {
        return delegate.findColumn(a);
    }

    @Override
    public boolean first() throws SQLException {
        return delegate.first();
    }

    @Override
    public Array getArray(String name) throws SQLException {
        return delegate.getArray(name);
    }

    @Override
    public Array getArray(int index) throws SQLException {
        return delegate.getArray(index);
    }

    @Override
    public InputStream getAsciiStream(String name) throws SQLException {
        return delegate.getAsciiStream(name);
    }

    @Override
    public InputStream getAsciiStream(int index) throws SQLException {
        return delegate.getAsciiStream(index);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String name, int b) throws SQLException {
        return delegate.getBigDecimal(name, b);
    }

    @Override
    public BigDecimal getBigDecimal(String name) throws SQLException {
        return delegate.getBigDecimal(name);
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int b) throws SQLException {
        return delegate.getBigDecimal(index, b);
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        return delegate.getBigDecimal(index);
    }

    @Override
    public InputStream getBinaryStream(String name) throws SQLException {
        return delegate.getBinaryStream(name);
    }

    @Override
    public InputStream getBinaryStream(int index) throws SQLException {
        return delegate.getBinaryStream(index);
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        return delegate.getBlob(name);
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        return delegate.getBlob(index);
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        return delegate.getBoolean(name);
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        return delegate.getBoolean(index);
    }

    @Override
    public byte getByte(String name) throws SQLException {
        return delegate.getByte(name);
    }

    @Override
    public byte getByte(int index) throws SQLException {
        return delegate.getByte(index);
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        return delegate.getBytes(name);
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        return delegate.getBytes(index);
    }

    @Override
    public Reader getCharacterStream(String name) throws SQLException {
        return delegate.getCharacterStream(name);
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        return delegate.getCharacterStream(index);
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        return delegate.getClob(name);
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        return delegate.getClob(index);
    }

    @Override
    public int getConcurrency() throws SQLException {
        return delegate.getConcurrency();
    }

    @Override
    public String getCursorName() throws SQLException {
        return delegate.getCursorName();
    }

    @Override
    public Date getDate(String name, Calendar b) throws SQLException {
        return delegate.getDate(name, b);
    }

    @Override
    public Date getDate(String name) throws SQLException {
        return delegate.getDate(name);
    }

    @Override
    public Date getDate(int index, Calendar b) throws SQLException {
        return delegate.getDate(index, b);
    }

    @Override
    public Date getDate(int index) throws SQLException {
        return delegate.getDate(index);
    }

    @Override
    public double getDouble(String name) throws SQLException {
        return delegate.getDouble(name);
    }

    @Override
    public double getDouble(int index) throws SQLException {
        return delegate.getDouble(index);
    }

    @Override
    public int getFetchDirection() throws SQLException {
        return delegate.getFetchDirection();
    }

    @Override
    public int getFetchSize() throws SQLException {
        return delegate.getFetchSize();
    }

    @Override
    public float getFloat(String name) throws SQLException {
        return delegate.getFloat(name);
    }

    @Override
    public float getFloat(int index) throws SQLException {
        return delegate.getFloat(index);
    }

    @Override
    public int getHoldability() throws SQLException {
        return delegate.getHoldability();
    }

    @Override
    public int getInt(String name) throws SQLException {
        return delegate.getInt(name);
    }

    @Override
    public int getInt(int index) throws SQLException {
        return delegate.getInt(index);
    }

    @Override
    public long getLong(String name) throws SQLException {
        return delegate.getLong(name);
    }

    @Override
    public long getLong(int index) throws SQLException {
        return delegate.getLong(index);
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        return delegate.getMetaData();
    }

    @Override
    public Reader getNCharacterStream(String name) throws SQLException {
        return delegate.getNCharacterStream(name);
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        return delegate.getNCharacterStream(index);
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        return delegate.getNClob(name);
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        return delegate.getNClob(index);
    }

    @Override
    public String getNString(String name) throws SQLException {
        return delegate.getNString(name);
    }

    @Override
    public String getNString(int index) throws SQLException {
        return delegate.getNString(index);
    }

    @Override
    public <T> T getObject(String name, Class<T> b) throws SQLException {
        return delegate.getObject(name, b);
    }

    @Override
    public Object getObject(String name, Map<String, Class<?>> b) throws SQLException {
        return delegate.getObject(name, b);
    }

    @Override
    public Object getObject(String name) throws SQLException {
        return delegate.getObject(name);
    }

    @Override
    public <T> T getObject(int index, Class<T> b) throws SQLException {
        return delegate.getObject(index, b);
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> b) throws SQLException {
        return delegate.getObject(index, b);
    }

    @Override
    public Object getObject(int index) throws SQLException {
        return delegate.getObject(index);
    }

    @Override
    public Ref getRef(String name) throws SQLException {
        return delegate.getRef(name);
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        return delegate.getRef(index);
    }

    @Override
    public int getRow() throws SQLException {
        return delegate.getRow();
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        return delegate.getRowId(name);
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        return delegate.getRowId(index);
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        return delegate.getSQLXML(name);
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        return delegate.getSQLXML(index);
    }

    @Override
    public short getShort(String name) throws SQLException {
        return delegate.getShort(name);
    }

    @Override
    public short getShort(int index) throws SQLException {
        return delegate.getShort(index);
    }

    @Override
    public String getString(String name) throws SQLException {
        return delegate.getString(name);
    }

    @Override
    public String getString(int index) throws SQLException {
        return delegate.getString(index);
    }

    @Override
    public Time getTime(String name, Calendar b) throws SQLException {
        return delegate.getTime(name, b);
    }

    @Override
    public Time getTime(String name) throws SQLException {
        return delegate.getTime(name);
    }

    @Override
    public Time getTime(int index, Calendar b) throws SQLException {
        return delegate.getTime(index, b);
    }

    @Override
    public Time getTime(int index) throws SQLException {
        return delegate.getTime(index);
    }

    @Override
    public Timestamp getTimestamp(String name, Calendar b) throws SQLException {
        return delegate.getTimestamp(name, b);
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        return delegate.getTimestamp(name);
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar b) throws SQLException {
        return delegate.getTimestamp(index, b);
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        return delegate.getTimestamp(index);
    }

    @Override
    public int getType() throws SQLException {
        return delegate.getType();
    }

    @Override
    public URL getURL(String name) throws SQLException {
        return delegate.getURL(name);
    }

    @Override
    public URL getURL(int index) throws SQLException {
        return delegate.getURL(index);
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(String name) throws SQLException {
        return delegate.getUnicodeStream(name);
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int index) throws SQLException {
        return delegate.getUnicodeStream(index);
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        return delegate.getWarnings();
    }

    @Override
    public void insertRow() throws SQLException {
        delegate.insertRow();
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        return delegate.isAfterLast();
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        return delegate.isBeforeFirst();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return delegate.isClosed();
    }

    @Override
    public boolean isFirst() throws SQLException {
        return delegate.isFirst();
    }

    @Override
    public boolean isLast() throws SQLException {
        return delegate.isLast();
    }

    @Override
    public boolean last() throws SQLException {
        return delegate.last();
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        delegate.moveToCurrentRow();
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        delegate.moveToInsertRow();
    }

    @Override
    public boolean next() throws SQLException {
        return delegate.next();
    }

    @Override
    public boolean previous() throws SQLException {
        return delegate.previous();
    }

    @Override
    public void refreshRow() throws SQLException {
        delegate.refreshRow();
    }

    @Override
    public boolean relative(int a) throws SQLException {
        return delegate.relative(a);
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        return delegate.rowDeleted();
    }

    @Override
    public boolean rowInserted() throws SQLException {
        return delegate.rowInserted();
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        return delegate.rowUpdated();
    }

    @Override
    public void setFetchDirection(int index) throws SQLException {
        delegate.setFetchDirection(index);
    }

    @Override
    public void setFetchSize(int index) throws SQLException {
        delegate.setFetchSize(index);
    }

    @Override
    public void updateArray(String name, Array b) throws SQLException {
        delegate.updateArray(name, b);
    }

    @Override
    public void updateArray(int index, Array b) throws SQLException {
        delegate.updateArray(index, b);
    }

    @Override
    public void updateAsciiStream(String name, InputStream b, int c) throws SQLException {
        delegate.updateAsciiStream(name, b, c);
    }

    @Override
    public void updateAsciiStream(String name, InputStream b, long c) throws SQLException {
        delegate.updateAsciiStream(name, b, c);
    }

    @Override
    public void updateAsciiStream(String name, InputStream b) throws SQLException {
        delegate.updateAsciiStream(name, b);
    }

    @Override
    public void updateAsciiStream(int index, InputStream b, int c) throws SQLException {
        delegate.updateAsciiStream(index, b, c);
    }

    @Override
    public void updateAsciiStream(int index, InputStream b, long c) throws SQLException {
        delegate.updateAsciiStream(index, b, c);
    }

    @Override
    public void updateAsciiStream(int index, InputStream b) throws SQLException {
        delegate.updateAsciiStream(index, b);
    }

    @Override
    public void updateBigDecimal(String name, BigDecimal b) throws SQLException {
        delegate.updateBigDecimal(name, b);
    }

    @Override
    public void updateBigDecimal(int index, BigDecimal b) throws SQLException {
        delegate.updateBigDecimal(index, b);
    }

    @Override
    public void updateBinaryStream(String name, InputStream b, int c) throws SQLException {
        delegate.updateBinaryStream(name, b, c);
    }

    @Override
    public void updateBinaryStream(String name, InputStream b, long c) throws SQLException {
        delegate.updateBinaryStream(name, b, c);
    }

    @Override
    public void updateBinaryStream(String name, InputStream b) throws SQLException {
        delegate.updateBinaryStream(name, b);
    }

    @Override
    public void updateBinaryStream(int index, InputStream b, int c) throws SQLException {
        delegate.updateBinaryStream(index, b, c);
    }

    @Override
    public void updateBinaryStream(int index, InputStream b, long c) throws SQLException {
        delegate.updateBinaryStream(index, b, c);
    }

    @Override
    public void updateBinaryStream(int index, InputStream b) throws SQLException {
        delegate.updateBinaryStream(index, b);
    }

    @Override
    public void updateBlob(String name, InputStream b, long c) throws SQLException {
        delegate.updateBlob(name, b, c);
    }

    @Override
    public void updateBlob(String name, InputStream b) throws SQLException {
        delegate.updateBlob(name, b);
    }

    @Override
    public void updateBlob(String name, Blob b) throws SQLException {
        delegate.updateBlob(name, b);
    }

    @Override
    public void updateBlob(int index, InputStream b, long c) throws SQLException {
        delegate.updateBlob(index, b, c);
    }

    @Override
    public void updateBlob(int index, InputStream b) throws SQLException {
        delegate.updateBlob(index, b);
    }

    @Override
    public void updateBlob(int index, Blob b) throws SQLException {
        delegate.updateBlob(index, b);
    }

    @Override
    public void updateBoolean(String name, boolean b) throws SQLException {
        delegate.updateBoolean(name, b);
    }

    @Override
    public void updateBoolean(int index, boolean b) throws SQLException {
        delegate.updateBoolean(index, b);
    }

    @Override
    public void updateByte(String name, byte b) throws SQLException {
        delegate.updateByte(name, b);
    }

    @Override
    public void updateByte(int index, byte b) throws SQLException {
        delegate.updateByte(index, b);
    }

    @Override
    public void updateBytes(String name, byte[] b) throws SQLException {
        delegate.updateBytes(name, b);
    }

    @Override
    public void updateBytes(int index, byte[] b) throws SQLException {
        delegate.updateBytes(index, b);
    }

    @Override
    public void updateCharacterStream(String name, Reader b, int c) throws SQLException {
        delegate.updateCharacterStream(name, b, c);
    }

    @Override
    public void updateCharacterStream(String name, Reader b, long c) throws SQLException {
        delegate.updateCharacterStream(name, b, c);
    }

    @Override
    public void updateCharacterStream(String name, Reader b) throws SQLException {
        delegate.updateCharacterStream(name, b);
    }

    @Override
    public void updateCharacterStream(int index, Reader b, int c) throws SQLException {
        delegate.updateCharacterStream(index, b, c);
    }

    @Override
    public void updateCharacterStream(int index, Reader b, long c) throws SQLException {
        delegate.updateCharacterStream(index, b, c);
    }

    @Override
    public void updateCharacterStream(int index, Reader b) throws SQLException {
        delegate.updateCharacterStream(index, b);
    }

    @Override
    public void updateClob(String name, Reader b, long c) throws SQLException {
        delegate.updateClob(name, b, c);
    }

    @Override
    public void updateClob(String name, Reader b) throws SQLException {
        delegate.updateClob(name, b);
    }

    @Override
    public void updateClob(String name, Clob b) throws SQLException {
        delegate.updateClob(name, b);
    }

    @Override
    public void updateClob(int index, Reader b, long c) throws SQLException {
        delegate.updateClob(index, b, c);
    }

    @Override
    public void updateClob(int index, Reader b) throws SQLException {
        delegate.updateClob(index, b);
    }

    @Override
    public void updateClob(int index, Clob b) throws SQLException {
        delegate.updateClob(index, b);
    }

    @Override
    public void updateDate(String name, Date b) throws SQLException {
        delegate.updateDate(name, b);
    }

    @Override
    public void updateDate(int index, Date b) throws SQLException {
        delegate.updateDate(index, b);
    }

    @Override
    public void updateDouble(String name, double b) throws SQLException {
        delegate.updateDouble(name, b);
    }

    @Override
    public void updateDouble(int index, double b) throws SQLException {
        delegate.updateDouble(index, b);
    }

    @Override
    public void updateFloat(String name, float b) throws SQLException {
        delegate.updateFloat(name, b);
    }

    @Override
    public void updateFloat(int index, float b) throws SQLException {
        delegate.updateFloat(index, b);
    }

    @Override
    public void updateInt(String name, int b) throws SQLException {
        delegate.updateInt(name, b);
    }

    @Override
    public void updateInt(int index, int b) throws SQLException {
        delegate.updateInt(index, b);
    }

    @Override
    public void updateLong(String name, long b) throws SQLException {
        delegate.updateLong(name, b);
    }

    @Override
    public void updateLong(int index, long b) throws SQLException {
        delegate.updateLong(index, b);
    }

    @Override
    public void updateNCharacterStream(String name, Reader b, long c) throws SQLException {
        delegate.updateNCharacterStream(name, b, c);
    }

    @Override
    public void updateNCharacterStream(String name, Reader b) throws SQLException {
        delegate.updateNCharacterStream(name, b);
    }

    @Override
    public void updateNCharacterStream(int index, Reader b, long c) throws SQLException {
        delegate.updateNCharacterStream(index, b, c);
    }

    @Override
    public void updateNCharacterStream(int index, Reader b) throws SQLException {
        delegate.updateNCharacterStream(index, b);
    }

    @Override
    public void updateNClob(String name, Reader b, long c) throws SQLException {
        delegate.updateNClob(name, b, c);
    }

    @Override
    public void updateNClob(String name, Reader b) throws SQLException {
        delegate.updateNClob(name, b);
    }

    @Override
    public void updateNClob(String name, NClob b) throws SQLException {
        delegate.updateNClob(name, b);
    }

    @Override
    public void updateNClob(int index, Reader b, long c) throws SQLException {
        delegate.updateNClob(index, b, c);
    }

    @Override
    public void updateNClob(int index, Reader b) throws SQLException {
        delegate.updateNClob(index, b);
    }

    @Override
    public void updateNClob(int index, NClob b) throws SQLException {
        delegate.updateNClob(index, b);
    }

    @Override
    public void updateNString(String name, String b) throws SQLException {
        delegate.updateNString(name, b);
    }

    @Override
    public void updateNString(int index, String b) throws SQLException {
        delegate.updateNString(index, b);
    }

    @Override
    public void updateNull(String name) throws SQLException {
        delegate.updateNull(name);
    }

    @Override
    public void updateNull(int index) throws SQLException {
        delegate.updateNull(index);
    }

    @Override
    public void updateObject(String name, Object b, int c) throws SQLException {
        delegate.updateObject(name, b, c);
    }

    @Override
    public void updateObject(String name, Object b, SQLType c, int d) throws SQLException {
        delegate.updateObject(name, b, c, d);
    }

    @Override
    public void updateObject(String name, Object b, SQLType c) throws SQLException {
        delegate.updateObject(name, b, c);
    }

    @Override
    public void updateObject(String name, Object b) throws SQLException {
        delegate.updateObject(name, b);
    }

    @Override
    public void updateObject(int index, Object b, int c) throws SQLException {
        delegate.updateObject(index, b, c);
    }

    @Override
    public void updateObject(int index, Object b, SQLType c, int d) throws SQLException {
        delegate.updateObject(index, b, c, d);
    }

    @Override
    public void updateObject(int index, Object b, SQLType c) throws SQLException {
        delegate.updateObject(index, b, c);
    }

    @Override
    public void updateObject(int index, Object b) throws SQLException {
        delegate.updateObject(index, b);
    }

    @Override
    public void updateRef(String name, Ref b) throws SQLException {
        delegate.updateRef(name, b);
    }

    @Override
    public void updateRef(int index, Ref b) throws SQLException {
        delegate.updateRef(index, b);
    }

    @Override
    public void updateRow() throws SQLException {
        delegate.updateRow();
    }

    @Override
    public void updateRowId(String name, RowId b) throws SQLException {
        delegate.updateRowId(name, b);
    }

    @Override
    public void updateRowId(int index, RowId b) throws SQLException {
        delegate.updateRowId(index, b);
    }

    @Override
    public void updateSQLXML(String name, SQLXML b) throws SQLException {
        delegate.updateSQLXML(name, b);
    }

    @Override
    public void updateSQLXML(int index, SQLXML b) throws SQLException {
        delegate.updateSQLXML(index, b);
    }

    @Override
    public void updateShort(String name, short b) throws SQLException {
        delegate.updateShort(name, b);
    }

    @Override
    public void updateShort(int index, short b) throws SQLException {
        delegate.updateShort(index, b);
    }

    @Override
    public void updateString(String name, String b) throws SQLException {
        delegate.updateString(name, b);
    }

    @Override
    public void updateString(int index, String b) throws SQLException {
        delegate.updateString(index, b);
    }

    @Override
    public void updateTime(String name, Time b) throws SQLException {
        delegate.updateTime(name, b);
    }

    @Override
    public void updateTime(int index, Time b) throws SQLException {
        delegate.updateTime(index, b);
    }

    @Override
    public void updateTimestamp(String name, Timestamp b) throws SQLException {
        delegate.updateTimestamp(name, b);
    }

    @Override
    public void updateTimestamp(int index, Timestamp b) throws SQLException {
        delegate.updateTimestamp(index, b);
    }

    @Override
    public boolean wasNull() throws SQLException {
        return delegate.wasNull();
    }
}
