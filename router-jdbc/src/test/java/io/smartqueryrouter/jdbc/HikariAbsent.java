package io.smartqueryrouter.jdbc;

import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.RouterConfig;
import java.util.List;
import java.util.Map;

/**
 * Run in a class loader that cannot see HikariCP (see {@code RoutingDataSourceFromConfigTest}): what
 * {@link RoutingDataSource#fromConfig} says there. Uses nothing but this module and core.
 */
public final class HikariAbsent {
    private HikariAbsent() {
    }

    /** {@return the exception's simple class name and message, or "no exception"} */
    public static String fromConfig() {
        NodeConfig node = new NodeConfig("a", "jdbc:h2:mem:absent", 1, "", Map.of("role", "primary"), Map.of());
        RouterConfig config = new RouterConfig("orders-db", "p2c-peak-ewma", List.of(node), null,
                OutlierEjection.defaults(), null);
        try (RoutingDataSource ds = RoutingDataSource.fromConfig(config)) {
            return "no exception: " + ds;
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
