package io.smartqueryrouter.jdbc.internal;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.Outcome;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Wraps a physical {@link Statement}, {@code PreparedStatement} or {@code CallableStatement}:
 * every {@code execute*} call is timed as an attempt on the connection's node and classified
 * ({@link SqlFailures#classifyStatementFailure}); a connection-class failure marks the logical
 * connection broken. {@code getConnection()} answers the logical connection. Everything else goes
 * straight to the physical statement.
 */
final class TimedStatement implements InvocationHandler {
    private final Statement target;
    private final LogicalConnection owner;

    TimedStatement(Statement target, LogicalConnection owner) {
        this.target = target;
        this.owner = owner;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        String name = method.getName();
        switch (name) {
            case "getConnection":
                if (method.getParameterCount() == 0) {
                    return owner;
                }
                break;
            case "equals":
                return args != null && args.length == 1 && proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "unwrap":
                if (args.length == 1 && ((Class<?>) args[0]).isInstance(proxy)) {
                    return proxy;
                }
                break;
            case "isWrapperFor":
                if (args.length == 1 && ((Class<?>) args[0]).isInstance(proxy)) {
                    return true;
                }
                break;
            default:
                if (name.startsWith("execute")) {
                    return timed(method, args);
                }
        }
        return call(method, args);
    }

    private Object timed(Method method, Object[] args) throws Throwable {
        Attempt<DataSource> attempt = owner.beginStatement();
        Outcome outcome = Outcome.FAILURE;
        try {
            Object result = call(method, args);
            outcome = Outcome.SUCCESS;
            return result;
        } catch (SQLException e) {
            outcome = SqlFailures.classifyStatementFailure(e);
            if (SqlFailures.isConnectionFailure(e)) {
                owner.markBroken(e);
            }
            throw e;
        } finally {
            attempt.complete(Thread.currentThread().isInterrupted() && outcome != Outcome.SUCCESS
                    ? Outcome.CANCELLED : outcome);
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
