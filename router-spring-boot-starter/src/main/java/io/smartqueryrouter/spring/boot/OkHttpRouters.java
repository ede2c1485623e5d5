package io.smartqueryrouter.spring.boot;

import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import java.util.List;
import java.util.Map;

/** What needs OkHttp: loaded only when router-okhttp and OkHttp are on the class path. */
final class OkHttpRouters {
    private OkHttpRouters() {
    }

    /** One interceptor routing each HTTP router's name as a logical host; puts the routers it built. */
    static RoutingInterceptor interceptor(List<RouterConfig> configs, Map<String, Router<?>> routers) {
        RoutingInterceptor.Builder builder = RoutingInterceptor.builder();
        RoutingInterceptor interceptor;
        try {
            for (RouterConfig config : configs) {
                builder.route(config);
            }
        } catch (RuntimeException | Error e) {
            // the routers added so far are owned by a builder that will never build: close them
            try {
                builder.build().close();
            } catch (IllegalStateException noneAdded) {
                e.addSuppressed(noneAdded);
            }
            throw e;
        }
        interceptor = builder.build();
        for (RouterConfig config : configs) {
            routers.put(config.name(), interceptor.router(config.name()).orElseThrow());
        }
        return interceptor;
    }
}
