package io.smartqueryrouter.yaml;

import io.smartqueryrouter.core.config.RouterConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The routers a YAML file describes, by name, in file order. Immutable. Its {@code toString()}
 * shows no password (see {@link io.smartqueryrouter.core.config.NodeConfig#toString()}).
 *
 * <pre>{@code
 * RouterYamlConfig config = RouterYaml.load(Path.of("routers.yaml"));
 * RouterConfig orders = config.router("orders");
 * }</pre>
 *
 * @param source the file or stream it was read from ({@code <string>} for {@link RouterYaml#parse})
 * @param routers the routers by name, in file order; unmodifiable
 */
public record RouterYamlConfig(String source, Map<String, RouterConfig> routers) {

    /**
     * Copies the map, keeping its order.
     *
     * @param source the file or stream it was read from
     * @param routers the routers by name, in file order
     */
    public RouterYamlConfig {
        Objects.requireNonNull(source, "source");
        routers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(routers, "routers")));
    }

    /**
     * Returns the router with the given name.
     *
     * @param name the router's name, a key under {@code routers}
     * @return its configuration
     * @throws IllegalArgumentException if there is none; the message names the routers there are
     */
    public RouterConfig router(String name) {
        RouterConfig router = routers.get(Objects.requireNonNull(name, "name"));
        if (router == null) {
            throw new IllegalArgumentException(source + " has no router '" + name + "'; its routers are: "
                    + String.join(", ", routers.keySet()));
        }
        return router;
    }
}
