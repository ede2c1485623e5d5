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
        try {
            return delegate.absolute(a);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void afterLast() throws SQLException {
        try {
            delegate.afterLast();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void beforeFirst() throws SQLException {
        try {
            delegate.beforeFirst();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void cancelRowUpdates() throws SQLException {
        try {
            delegate.cancelRowUpdates();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void clearWarnings() throws SQLException {
        try {
            delegate.clearWarnings();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            delegate.close();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void deleteRow() throws SQLException {
        statement.owner.wrote();
        try {
            delegate.deleteRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int findColumn(String a) throws SQLException {
        try {
            return delegate.findColumn(a);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean first() throws SQLException {
        try {
            return delegate.first();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Array getArray(String name) throws SQLException {
        try {
            return delegate.getArray(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Array getArray(int index) throws SQLException {
        try {
            return delegate.getArray(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public InputStream getAsciiStream(String name) throws SQLException {
        try {
            return delegate.getAsciiStream(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public InputStream getAsciiStream(int index) throws SQLException {
        try {
            return delegate.getAsciiStream(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(String name, int b) throws SQLException {
        try {
            return delegate.getBigDecimal(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public BigDecimal getBigDecimal(String name) throws SQLException {
        try {
            return delegate.getBigDecimal(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    @Deprecated
    public BigDecimal getBigDecimal(int index, int b) throws SQLException {
        try {
            return delegate.getBigDecimal(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public BigDecimal getBigDecimal(int index) throws SQLException {
        try {
            return delegate.getBigDecimal(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public InputStream getBinaryStream(String name) throws SQLException {
        try {
            return delegate.getBinaryStream(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public InputStream getBinaryStream(int index) throws SQLException {
        try {
            return delegate.getBinaryStream(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Blob getBlob(String name) throws SQLException {
        try {
            return delegate.getBlob(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Blob getBlob(int index) throws SQLException {
        try {
            return delegate.getBlob(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean getBoolean(String name) throws SQLException {
        try {
            return delegate.getBoolean(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean getBoolean(int index) throws SQLException {
        try {
            return delegate.getBoolean(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public byte getByte(String name) throws SQLException {
        try {
            return delegate.getByte(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public byte getByte(int index) throws SQLException {
        try {
            return delegate.getByte(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public byte[] getBytes(String name) throws SQLException {
        try {
            return delegate.getBytes(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public byte[] getBytes(int index) throws SQLException {
        try {
            return delegate.getBytes(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Reader getCharacterStream(String name) throws SQLException {
        try {
            return delegate.getCharacterStream(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Reader getCharacterStream(int index) throws SQLException {
        try {
            return delegate.getCharacterStream(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Clob getClob(String name) throws SQLException {
        try {
            return delegate.getClob(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Clob getClob(int index) throws SQLException {
        try {
            return delegate.getClob(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getConcurrency() throws SQLException {
        try {
            return delegate.getConcurrency();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public String getCursorName() throws SQLException {
        try {
            return delegate.getCursorName();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Date getDate(String name, Calendar b) throws SQLException {
        try {
            return delegate.getDate(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Date getDate(String name) throws SQLException {
        try {
            return delegate.getDate(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Date getDate(int index, Calendar b) throws SQLException {
        try {
            return delegate.getDate(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Date getDate(int index) throws SQLException {
        try {
            return delegate.getDate(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public double getDouble(String name) throws SQLException {
        try {
            return delegate.getDouble(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public double getDouble(int index) throws SQLException {
        try {
            return delegate.getDouble(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getFetchDirection() throws SQLException {
        try {
            return delegate.getFetchDirection();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getFetchSize() throws SQLException {
        try {
            return delegate.getFetchSize();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public float getFloat(String name) throws SQLException {
        try {
            return delegate.getFloat(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public float getFloat(int index) throws SQLException {
        try {
            return delegate.getFloat(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getHoldability() throws SQLException {
        try {
            return delegate.getHoldability();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getInt(String name) throws SQLException {
        try {
            return delegate.getInt(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getInt(int index) throws SQLException {
        try {
            return delegate.getInt(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public long getLong(String name) throws SQLException {
        try {
            return delegate.getLong(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public long getLong(int index) throws SQLException {
        try {
            return delegate.getLong(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public ResultSetMetaData getMetaData() throws SQLException {
        try {
            return delegate.getMetaData();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Reader getNCharacterStream(String name) throws SQLException {
        try {
            return delegate.getNCharacterStream(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Reader getNCharacterStream(int index) throws SQLException {
        try {
            return delegate.getNCharacterStream(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public NClob getNClob(String name) throws SQLException {
        try {
            return delegate.getNClob(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public NClob getNClob(int index) throws SQLException {
        try {
            return delegate.getNClob(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public String getNString(String name) throws SQLException {
        try {
            return delegate.getNString(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public String getNString(int index) throws SQLException {
        try {
            return delegate.getNString(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public <T> T getObject(String name, Class<T> b) throws SQLException {
        try {
            return delegate.getObject(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Object getObject(String name, Map<String, Class<?>> b) throws SQLException {
        try {
            return delegate.getObject(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Object getObject(String name) throws SQLException {
        try {
            return delegate.getObject(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public <T> T getObject(int index, Class<T> b) throws SQLException {
        try {
            return delegate.getObject(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Object getObject(int index, Map<String, Class<?>> b) throws SQLException {
        try {
            return delegate.getObject(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Object getObject(int index) throws SQLException {
        try {
            return delegate.getObject(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Ref getRef(String name) throws SQLException {
        try {
            return delegate.getRef(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Ref getRef(int index) throws SQLException {
        try {
            return delegate.getRef(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getRow() throws SQLException {
        try {
            return delegate.getRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public RowId getRowId(String name) throws SQLException {
        try {
            return delegate.getRowId(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public RowId getRowId(int index) throws SQLException {
        try {
            return delegate.getRowId(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public SQLXML getSQLXML(String name) throws SQLException {
        try {
            return delegate.getSQLXML(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public SQLXML getSQLXML(int index) throws SQLException {
        try {
            return delegate.getSQLXML(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public short getShort(String name) throws SQLException {
        try {
            return delegate.getShort(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public short getShort(int index) throws SQLException {
        try {
            return delegate.getShort(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public String getString(String name) throws SQLException {
        try {
            return delegate.getString(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public String getString(int index) throws SQLException {
        try {
            return delegate.getString(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Time getTime(String name, Calendar b) throws SQLException {
        try {
            return delegate.getTime(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Time getTime(String name) throws SQLException {
        try {
            return delegate.getTime(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Time getTime(int index, Calendar b) throws SQLException {
        try {
            return delegate.getTime(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Time getTime(int index) throws SQLException {
        try {
            return delegate.getTime(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(String name, Calendar b) throws SQLException {
        try {
            return delegate.getTimestamp(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(String name) throws SQLException {
        try {
            return delegate.getTimestamp(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(int index, Calendar b) throws SQLException {
        try {
            return delegate.getTimestamp(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public Timestamp getTimestamp(int index) throws SQLException {
        try {
            return delegate.getTimestamp(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public int getType() throws SQLException {
        try {
            return delegate.getType();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public URL getURL(String name) throws SQLException {
        try {
            return delegate.getURL(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public URL getURL(int index) throws SQLException {
        try {
            return delegate.getURL(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(String name) throws SQLException {
        try {
            return delegate.getUnicodeStream(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    @Deprecated
    public InputStream getUnicodeStream(int index) throws SQLException {
        try {
            return delegate.getUnicodeStream(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        try {
            return delegate.getWarnings();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void insertRow() throws SQLException {
        statement.owner.wrote();
        try {
            delegate.insertRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean isAfterLast() throws SQLException {
        try {
            return delegate.isAfterLast();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean isBeforeFirst() throws SQLException {
        try {
            return delegate.isBeforeFirst();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        try {
            return delegate.isClosed();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean isFirst() throws SQLException {
        try {
            return delegate.isFirst();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean isLast() throws SQLException {
        try {
            return delegate.isLast();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean last() throws SQLException {
        try {
            return delegate.last();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void moveToCurrentRow() throws SQLException {
        try {
            delegate.moveToCurrentRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void moveToInsertRow() throws SQLException {
        try {
            delegate.moveToInsertRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean next() throws SQLException {
        try {
            return delegate.next();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean previous() throws SQLException {
        try {
            return delegate.previous();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void refreshRow() throws SQLException {
        try {
            delegate.refreshRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean relative(int a) throws SQLException {
        try {
            return delegate.relative(a);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean rowDeleted() throws SQLException {
        try {
            return delegate.rowDeleted();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean rowInserted() throws SQLException {
        try {
            return delegate.rowInserted();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean rowUpdated() throws SQLException {
        try {
            return delegate.rowUpdated();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void setFetchDirection(int index) throws SQLException {
        try {
            delegate.setFetchDirection(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void setFetchSize(int index) throws SQLException {
        try {
            delegate.setFetchSize(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateArray(String name, Array b) throws SQLException {
        try {
            delegate.updateArray(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateArray(int index, Array b) throws SQLException {
        try {
            delegate.updateArray(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateAsciiStream(String name, InputStream b, int c) throws SQLException {
        try {
            delegate.updateAsciiStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateAsciiStream(String name, InputStream b, long c) throws SQLException {
        try {
            delegate.updateAsciiStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateAsciiStream(String name, InputStream b) throws SQLException {
        try {
            delegate.updateAsciiStream(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateAsciiStream(int index, InputStream b, int c) throws SQLException {
        try {
            delegate.updateAsciiStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateAsciiStream(int index, InputStream b, long c) throws SQLException {
        try {
            delegate.updateAsciiStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateAsciiStream(int index, InputStream b) throws SQLException {
        try {
            delegate.updateAsciiStream(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBigDecimal(String name, BigDecimal b) throws SQLException {
        try {
            delegate.updateBigDecimal(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBigDecimal(int index, BigDecimal b) throws SQLException {
        try {
            delegate.updateBigDecimal(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBinaryStream(String name, InputStream b, int c) throws SQLException {
        try {
            delegate.updateBinaryStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBinaryStream(String name, InputStream b, long c) throws SQLException {
        try {
            delegate.updateBinaryStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBinaryStream(String name, InputStream b) throws SQLException {
        try {
            delegate.updateBinaryStream(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBinaryStream(int index, InputStream b, int c) throws SQLException {
        try {
            delegate.updateBinaryStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBinaryStream(int index, InputStream b, long c) throws SQLException {
        try {
            delegate.updateBinaryStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBinaryStream(int index, InputStream b) throws SQLException {
        try {
            delegate.updateBinaryStream(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBlob(String name, InputStream b, long c) throws SQLException {
        try {
            delegate.updateBlob(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBlob(String name, InputStream b) throws SQLException {
        try {
            delegate.updateBlob(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBlob(String name, Blob b) throws SQLException {
        try {
            delegate.updateBlob(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBlob(int index, InputStream b, long c) throws SQLException {
        try {
            delegate.updateBlob(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBlob(int index, InputStream b) throws SQLException {
        try {
            delegate.updateBlob(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBlob(int index, Blob b) throws SQLException {
        try {
            delegate.updateBlob(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBoolean(String name, boolean b) throws SQLException {
        try {
            delegate.updateBoolean(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBoolean(int index, boolean b) throws SQLException {
        try {
            delegate.updateBoolean(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateByte(String name, byte b) throws SQLException {
        try {
            delegate.updateByte(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateByte(int index, byte b) throws SQLException {
        try {
            delegate.updateByte(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBytes(String name, byte[] b) throws SQLException {
        try {
            delegate.updateBytes(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateBytes(int index, byte[] b) throws SQLException {
        try {
            delegate.updateBytes(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateCharacterStream(String name, Reader b, int c) throws SQLException {
        try {
            delegate.updateCharacterStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateCharacterStream(String name, Reader b, long c) throws SQLException {
        try {
            delegate.updateCharacterStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateCharacterStream(String name, Reader b) throws SQLException {
        try {
            delegate.updateCharacterStream(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateCharacterStream(int index, Reader b, int c) throws SQLException {
        try {
            delegate.updateCharacterStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateCharacterStream(int index, Reader b, long c) throws SQLException {
        try {
            delegate.updateCharacterStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateCharacterStream(int index, Reader b) throws SQLException {
        try {
            delegate.updateCharacterStream(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateClob(String name, Reader b, long c) throws SQLException {
        try {
            delegate.updateClob(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateClob(String name, Reader b) throws SQLException {
        try {
            delegate.updateClob(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateClob(String name, Clob b) throws SQLException {
        try {
            delegate.updateClob(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateClob(int index, Reader b, long c) throws SQLException {
        try {
            delegate.updateClob(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateClob(int index, Reader b) throws SQLException {
        try {
            delegate.updateClob(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateClob(int index, Clob b) throws SQLException {
        try {
            delegate.updateClob(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateDate(String name, Date b) throws SQLException {
        try {
            delegate.updateDate(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateDate(int index, Date b) throws SQLException {
        try {
            delegate.updateDate(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateDouble(String name, double b) throws SQLException {
        try {
            delegate.updateDouble(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateDouble(int index, double b) throws SQLException {
        try {
            delegate.updateDouble(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateFloat(String name, float b) throws SQLException {
        try {
            delegate.updateFloat(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateFloat(int index, float b) throws SQLException {
        try {
            delegate.updateFloat(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateInt(String name, int b) throws SQLException {
        try {
            delegate.updateInt(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateInt(int index, int b) throws SQLException {
        try {
            delegate.updateInt(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateLong(String name, long b) throws SQLException {
        try {
            delegate.updateLong(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateLong(int index, long b) throws SQLException {
        try {
            delegate.updateLong(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNCharacterStream(String name, Reader b, long c) throws SQLException {
        try {
            delegate.updateNCharacterStream(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNCharacterStream(String name, Reader b) throws SQLException {
        try {
            delegate.updateNCharacterStream(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNCharacterStream(int index, Reader b, long c) throws SQLException {
        try {
            delegate.updateNCharacterStream(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNCharacterStream(int index, Reader b) throws SQLException {
        try {
            delegate.updateNCharacterStream(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNClob(String name, Reader b, long c) throws SQLException {
        try {
            delegate.updateNClob(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNClob(String name, Reader b) throws SQLException {
        try {
            delegate.updateNClob(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNClob(String name, NClob b) throws SQLException {
        try {
            delegate.updateNClob(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNClob(int index, Reader b, long c) throws SQLException {
        try {
            delegate.updateNClob(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNClob(int index, Reader b) throws SQLException {
        try {
            delegate.updateNClob(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNClob(int index, NClob b) throws SQLException {
        try {
            delegate.updateNClob(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNString(String name, String b) throws SQLException {
        try {
            delegate.updateNString(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNString(int index, String b) throws SQLException {
        try {
            delegate.updateNString(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNull(String name) throws SQLException {
        try {
            delegate.updateNull(name);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateNull(int index) throws SQLException {
        try {
            delegate.updateNull(index);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(String name, Object b, int c) throws SQLException {
        try {
            delegate.updateObject(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(String name, Object b, SQLType c, int d) throws SQLException {
        try {
            delegate.updateObject(name, b, c, d);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(String name, Object b, SQLType c) throws SQLException {
        try {
            delegate.updateObject(name, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(String name, Object b) throws SQLException {
        try {
            delegate.updateObject(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(int index, Object b, int c) throws SQLException {
        try {
            delegate.updateObject(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(int index, Object b, SQLType c, int d) throws SQLException {
        try {
            delegate.updateObject(index, b, c, d);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(int index, Object b, SQLType c) throws SQLException {
        try {
            delegate.updateObject(index, b, c);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateObject(int index, Object b) throws SQLException {
        try {
            delegate.updateObject(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateRef(String name, Ref b) throws SQLException {
        try {
            delegate.updateRef(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateRef(int index, Ref b) throws SQLException {
        try {
            delegate.updateRef(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateRow() throws SQLException {
        statement.owner.wrote();
        try {
            delegate.updateRow();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateRowId(String name, RowId b) throws SQLException {
        try {
            delegate.updateRowId(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateRowId(int index, RowId b) throws SQLException {
        try {
            delegate.updateRowId(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateSQLXML(String name, SQLXML b) throws SQLException {
        try {
            delegate.updateSQLXML(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateSQLXML(int index, SQLXML b) throws SQLException {
        try {
            delegate.updateSQLXML(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateShort(String name, short b) throws SQLException {
        try {
            delegate.updateShort(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateShort(int index, short b) throws SQLException {
        try {
            delegate.updateShort(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateString(String name, String b) throws SQLException {
        try {
            delegate.updateString(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateString(int index, String b) throws SQLException {
        try {
            delegate.updateString(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateTime(String name, Time b) throws SQLException {
        try {
            delegate.updateTime(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateTime(int index, Time b) throws SQLException {
        try {
            delegate.updateTime(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateTimestamp(String name, Timestamp b) throws SQLException {
        try {
            delegate.updateTimestamp(name, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public void updateTimestamp(int index, Timestamp b) throws SQLException {
        try {
            delegate.updateTimestamp(index, b);
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }

    @Override
    public boolean wasNull() throws SQLException {
        try {
            return delegate.wasNull();
        } catch (SQLException e) {
            throw statement.owner.failed(statement.generation, e);
        }
    }
}
