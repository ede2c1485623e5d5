package io.smartqueryrouter.core.spi;

/**
 * Registers a {@link RoutingPolicy} under a name, found through {@link java.util.ServiceLoader}:
 * list the implementation in {@code META-INF/services/io.smartqueryrouter.core.spi.RoutingPolicyProvider}
 * (class path) and with {@code provides} in {@code module-info.java} (module path). Then
 * {@code Router.builder(..).policy("my-policy")} and configuration files can select it by name.
 *
 * <p>Implementations need a public no-argument constructor.
 */
public interface RoutingPolicyProvider {

    /** {@return the policy's name: lowercase words joined by '-', unique among providers} */
    String name();

    /** {@return a new policy instance; each router gets its own} */
    RoutingPolicy create();
}
