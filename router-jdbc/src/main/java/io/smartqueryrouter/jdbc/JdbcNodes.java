package io.smartqueryrouter.jdbc;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.jdbc.internal.ConnectionRouter;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The nodes of a {@link RoutingDataSource}'s router: one {@link DataSource} (usually a pool) per
 * database node, its {@linkplain NodeRole role} held in the node's {@value #ROLE_LABEL} label, so
 * that nobody has to spell the label:
 *
 * <pre>{@code
 * Router<DataSource> router = Router.<DataSource>builder("orders-db")
 *     .node(JdbcNodes.primary("pg-primary", primaryPool))
 *     .node(JdbcNodes.replica("pg-replica-1", replicaPool1))
 *     .node(JdbcNodes.replica("pg-replica-2", replicaPool2, 2))
 *     .build();
 * }</pre>
 *
 * For a node with more settings (a zone, other labels), use {@link Node#builder} and add the label
 * yourself: {@code .label(JdbcNodes.ROLE_LABEL, NodeRole.REPLICA.label())}.
 */
public final class JdbcNodes {
    /** The node label holding a node's role: {@code primary} or {@code replica}. */
    public static final String ROLE_LABEL = ConnectionRouter.ROLE_LABEL;

    private JdbcNodes() {
    }

    /**
     * Returns a primary (writes go here) of weight 1.
     *
     * @param id the node's id
     * @param dataSource the node's data source, usually a pool
     * @return the node, its role in its {@value #ROLE_LABEL} label
     * @throws IllegalArgumentException if the id is not a valid node id
     * @throws NullPointerException if an argument is null
     */
    public static Node<DataSource> primary(String id, DataSource dataSource) {
        return node(id, dataSource, NodeRole.PRIMARY, 1);
    }

    /**
     * Returns a replica (reads go here) of weight 1.
     *
     * @param id the node's id
     * @param dataSource the node's data source, usually a pool
     * @return the node, its role in its {@value #ROLE_LABEL} label
     * @throws IllegalArgumentException if the id is not a valid node id
     * @throws NullPointerException if an argument is null
     */
    public static Node<DataSource> replica(String id, DataSource dataSource) {
        return node(id, dataSource, NodeRole.REPLICA, 1);
    }

    /**
     * Returns a replica with a weight: the policy gives it reads in proportion.
     *
     * @param id the node's id
     * @param dataSource the node's data source, usually a pool
     * @param weight its share of reads relative to the other replicas, > 0
     * @return the node, its role in its {@value #ROLE_LABEL} label
     * @throws IllegalArgumentException if the id is not a valid node id or the weight is not positive
     * @throws NullPointerException if an argument is null
     */
    public static Node<DataSource> replica(String id, DataSource dataSource, int weight) {
        return node(id, dataSource, NodeRole.REPLICA, weight);
    }

    /**
     * Returns a node with a role and a weight.
     *
     * @param id the node's id
     * @param dataSource the node's data source, usually a pool
     * @param role primary or replica
     * @param weight its weight, > 0
     * @return the node, its role in its {@value #ROLE_LABEL} label
     * @throws IllegalArgumentException if the id is not a valid node id or the weight is not positive
     * @throws NullPointerException if an argument is null
     */
    public static Node<DataSource> node(String id, DataSource dataSource, NodeRole role, int weight) {
        Objects.requireNonNull(role, () -> "node '" + id + "': role must not be null");
        Objects.requireNonNull(dataSource, () -> "node '" + id + "': data source must not be null");
        return Node.builder(id, dataSource).weight(weight).label(ROLE_LABEL, role.label()).build();
    }
}
