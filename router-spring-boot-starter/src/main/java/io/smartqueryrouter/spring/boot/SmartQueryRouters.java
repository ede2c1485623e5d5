package io.smartqueryrouter.spring.boot;

import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.TcpProbe;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.spring.boot.RouterSettings.Configured;
import io.smartqueryrouter.spring.boot.RouterSettings.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import javax.sql.DataSource;

/**
 * The routers the auto-configuration built from {@code smartqueryrouter.routers.*}, by name, and
 * what owns them: one {@code RoutingInterceptor} over the HTTP routers when router-okhttp is on the
 * class path, one {@code RoutingDataSource} per JDBC router. Each router is also a {@code Router}
 * bean of its own name; inject this bean to reach them all. Closed by the application context at
 * shutdown, which stops every router's health checks and closes the pools.
 */
public final class SmartQueryRouters implements AutoCloseable {
    private final Map<String, Router<?>> routers;
    private final Map<String, DataSource> dataSources;
    /** The RoutingInterceptor over the HTTP routers, or null; typed Object so OkHttp may be absent. */
    private final Object interceptor;
    private final List<AutoCloseable> owned;

    private SmartQueryRouters(Map<String, Router<?>> routers, Map<String, DataSource> dataSources, Object interceptor,
            List<AutoCloseable> owned) {
        this.routers = Collections.unmodifiableMap(routers);
        this.dataSources = Collections.unmodifiableMap(dataSources);
        this.interceptor = interceptor;
        this.owned = owned;
    }

    /** Builds every router; on a failure, closes what was built and rethrows. */
    static SmartQueryRouters build(Map<String, Configured> configured, boolean okHttp) {
        Map<String, Router<?>> routers = new LinkedHashMap<>();
        Map<String, DataSource> dataSources = new LinkedHashMap<>();
        List<AutoCloseable> owned = new ArrayList<>();
        Object interceptor = null;
        try {
            List<RouterConfig> http = new ArrayList<>();
            for (Configured c : configured.values()) {
                if (c.kind() == Kind.HTTP) {
                    http.add(c.config());
                }
            }
            if (okHttp && !http.isEmpty()) {
                interceptor = OkHttpRouters.interceptor(http, routers);
                owned.add((AutoCloseable) interceptor);
            }
            for (Configured c : configured.values()) {
                RouterConfig config = c.config();
                if (c.kind() == Kind.JDBC) {
                    DataSource ds = JdbcRouters.dataSource(config, routers);
                    owned.add((AutoCloseable) ds);
                    dataSources.put(config.name(), ds);
                } else if (!okHttp) {
                    // core alone: a Router<URI> for the application's own client, probed by TCP connect
                    Router<URI> router = config.<URI>newRouterBuilder(n -> URI.create(n.url()),
                            health -> TcpProbe.forUri()).build();
                    owned.add(router);
                    routers.put(config.name(), router);
                }
            }
            // in the order configured
            Map<String, Router<?>> ordered = new LinkedHashMap<>();
            configured.keySet().forEach(name -> ordered.put(name, routers.get(name)));
            return new SmartQueryRouters(ordered, dataSources, interceptor, owned);
        } catch (RuntimeException | Error e) {
            for (AutoCloseable c : owned) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Returns the router of this name.
     *
     * @param name the router's name, as under {@code smartqueryrouter.routers}
     * @return the router
     * @throws NoSuchElementException if no router has this name
     */
    public Router<?> router(String name) {
        Router<?> router = routers.get(name);
        if (router == null) {
            throw new NoSuchElementException("no router '" + name + "'; configured: " + String.join(", ", routers.keySet()));
        }
        return router;
    }

    /** {@return every router by name, in the order configured} */
    public Map<String, Router<?>> routers() {
        return routers;
    }

    /**
     * Returns the routing {@code DataSource} of a JDBC router.
     *
     * @param name the router's name
     * @return its data source, a {@code io.smartqueryrouter.jdbc.RoutingDataSource}
     * @throws NoSuchElementException if no JDBC router has this name
     */
    public DataSource dataSource(String name) {
        DataSource ds = dataSources.get(name);
        if (ds == null) {
            throw new NoSuchElementException("no JDBC router '" + name + "'; JDBC routers: "
                    + String.join(", ", dataSources.keySet()));
        }
        return ds;
    }

    /** Returns the RoutingInterceptor over the HTTP routers, or null when there is none. */
    Object interceptor() {
        return interceptor;
    }

    /** Closes the interceptor (and its routers), the data sources (their routers and pools) and the other routers. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the routers failed");
                }
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "SmartQueryRouters" + routers.keySet();
    }
}
