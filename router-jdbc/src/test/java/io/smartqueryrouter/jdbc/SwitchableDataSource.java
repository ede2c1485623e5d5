package io.smartqueryrouter.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A real data source that a test can make refuse connections with a chosen SQLException. */
final class SwitchableDataSource implements DataSource {
    private final DataSource target;
    private final String description;
    private volatile SQLException failure;
    private volatile SQLException statementFailure;
    final AtomicInteger getConnectionCalls = new AtomicInteger();

    SwitchableDataSource(DataSource target, String description) {
        this.target = target;
        this.description = description;
    }

    void fail(SQLException e) {
        this.failure = e;
    }

    void heal() {
        this.failure = null;
        this.statementFailure = null;
    }

    /** Makes every statement executed on this node's connections (old and new) throw a copy of {@code e}. */
    void failStatements(SQLException e) {
        this.statementFailure = e;
    }

    @Override
    public Connection getConnection() throws SQLException {
        getConnectionCalls.incrementAndGet();
        SQLException f = failure;
        if (f != null) {
            throw new SQLException(f.getMessage(), f.getSQLState());
        }
        Connection real = target.getConnection();
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (result instanceof Statement statement) {
                        Class<?> type = method.getReturnType();
                        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type},
                                (p, m, a) -> {
                                    SQLException broken = statementFailure;
                                    if (broken != null && m.getName().startsWith("execute")) {
                                        throw new SQLException(broken.getMessage(), broken.getSQLState());
                                    }
                                    return invoke(statement, m, a);
                                });
                    }
                    return result;
                });
    }

    /** Calls {@code method} on {@code target}, throwing what it threw. */
    static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }

    @Override
    public String toString() {
        return description;
    }
}
