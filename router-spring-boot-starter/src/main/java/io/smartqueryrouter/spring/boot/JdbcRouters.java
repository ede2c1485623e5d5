package io.smartqueryrouter.spring.boot;

import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.jdbc.RoutingDataSource;
import java.util.Map;

/** What needs router-jdbc: loaded only when it is on the class path. */
final class JdbcRouters {
    private JdbcRouters() {
    }

    /**
     * A routing data source over one HikariCP pool per node, as {@link RoutingDataSource#fromConfig} makes
     * it (no connection tried at start), each sized and timed by the configuration's pool settings
     * ({@link RouterConfig#poolOf}); puts its router.
     */
    static RoutingDataSource dataSource(RouterConfig config, Map<String, Router<?>> routers) {
        RoutingDataSource ds = RoutingDataSource.fromConfig(config);
        routers.put(config.name(), ds.router());
        return ds;
    }
}
