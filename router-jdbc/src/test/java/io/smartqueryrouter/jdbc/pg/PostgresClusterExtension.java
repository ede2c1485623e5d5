package io.smartqueryrouter.jdbc.pg;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension giving tests the one {@link PostgresCluster} of this JVM ({@link
 * PostgresCluster#shared()}: a primary and 2 streaming replicas). Every IT class that registers it
 * shares the same cluster, started at first use and stopped when JUnit's root context closes.
 * Before each test it calls {@link PostgresCluster#restoreAll()}, so a test starts with every node
 * running, thawed, replaying and streaming, whatever the test before it did.
 *
 * <pre>{@code
 * @ExtendWith(PostgresClusterExtension.class)
 * class FailoverIT {
 *     @Test
 *     void readsSurviveAFrozenReplica(PostgresCluster pg) { ... pg.freeze(pg.replica(1)); ... }
 * }
 * }</pre>
 *
 * Parameters of type {@link PostgresCluster} are resolved in constructors, {@code @BeforeAll},
 * {@code @BeforeEach} and test methods.
 */
public final class PostgresClusterExtension implements ParameterResolver, BeforeEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresClusterExtension.class);

    /** Creates the extension; JUnit calls it through {@code @ExtendWith}. */
    public PostgresClusterExtension() {
    }

    /**
     * Supports parameters of type {@link PostgresCluster}.
     *
     * @param parameter the parameter to resolve
     * @param context the current extension context
     * @return true for a {@link PostgresCluster} parameter
     */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == PostgresCluster.class;
    }

    /**
     * Returns the shared cluster, starting it at first use.
     *
     * @param parameter the parameter to resolve
     * @param context the current extension context
     * @return the running shared cluster
     * @throws IllegalStateException if it cannot start (PostgreSQL missing, a server failing)
     */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return cluster(context);
    }

    /**
     * Restores the cluster before each test: thaws, starts, resumes and waits for streaming.
     *
     * @param context the current extension context
     * @throws IllegalStateException if a node cannot be brought back
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        cluster(context).restoreAll();
    }

    private static PostgresCluster cluster(ExtensionContext context) {
        // the root store lives until JUnit ends and closes AutoCloseable values then
        return context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(SharedCluster.class, key -> new SharedCluster(PostgresCluster.shared()), SharedCluster.class)
                .cluster;
    }

    /** Closes the shared cluster when JUnit closes the root store. */
    private static final class SharedCluster implements AutoCloseable {
        private final PostgresCluster cluster;

        SharedCluster(PostgresCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
