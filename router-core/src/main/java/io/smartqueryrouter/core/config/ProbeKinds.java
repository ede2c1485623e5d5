package io.smartqueryrouter.core.config;

import io.smartqueryrouter.core.spi.HealthProbe;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The probe kinds configuration may name ({@link HealthCheckConfig#probe()}), in one place: the
 * names of the built-in ones, and per adapter the registry that turns a kind into a probe for that
 * adapter's endpoints. The YAML reader accepts {@link #BUILT_IN} (plus kinds registered with it);
 * each adapter answers with its own registry, and names the kinds it supports when it refuses one.
 *
 * <pre>{@code
 * static final ProbeKinds<HttpUrl> PROBES = ProbeKinds.<HttpUrl>builder("an OkHttp router")
 *     .kind(ProbeKinds.HTTP, (router, health) -> HttpHealthProbe.get(health.path()))
 *     .build();
 * HealthProbe<HttpUrl> probe = PROBES.probe("router 'orders'", config.healthCheck());
 * }</pre>
 *
 * @param <E> the endpoint type the probes understand
 */
public final class ProbeKinds<E> {
    /** An HTTP GET of a path, healthy on a 2xx (router-okhttp). */
    public static final String HTTP = "http";
    /** A TCP connect to the node's host and port (core; router-okhttp for base URLs). */
    public static final String TCP = "tcp";
    /** JDBC {@code Connection.isValid} (router-jdbc). */
    public static final String JDBC = "jdbc";
    /** A PostgreSQL probe that also reports the node's role and replay lag (router-jdbc). */
    public static final String POSTGRES = "postgres";
    /** Every kind an adapter of this project supports. */
    public static final Set<String> BUILT_IN = Set.of(HTTP, TCP, JDBC, POSTGRES);

    private final String adapter;
    private final Map<String, BiFunction<String, HealthCheckConfig, HealthProbe<E>>> factories;

    private ProbeKinds(String adapter, Map<String, BiFunction<String, HealthCheckConfig, HealthProbe<E>>> factories) {
        this.adapter = adapter;
        this.factories = Map.copyOf(factories);
    }

    /**
     * Returns a builder of the registry of one adapter.
     *
     * @param adapter what the adapter's routers are called in messages, such as "an OkHttp router"
     * @param <E> the endpoint type
     * @return the builder
     */
    public static <E> Builder<E> builder(String adapter) {
        return new Builder<>(Objects.requireNonNull(adapter, "adapter"));
    }

    /** {@return the kinds this registry supports} */
    public Set<String> kinds() {
        return factories.keySet();
    }

    /**
     * Returns the probe a router's health check asks for.
     *
     * @param owner who asks, as messages name it: {@code router 'orders'}, {@code data source 'db'}
     * @param healthCheck the configured health check
     * @return the probe
     * @throws IllegalArgumentException if the kind is not supported here (the message names the
     *     owner, the kind and the kinds supported), or the factory refuses the configuration
     */
    public HealthProbe<E> probe(String owner, HealthCheckConfig healthCheck) {
        BiFunction<String, HealthCheckConfig, HealthProbe<E>> factory = factories.get(healthCheck.probe());
        if (factory == null) {
            throw new IllegalArgumentException(owner + ": health-check probe '" + healthCheck.probe()
                    + "' is not one " + adapter + " supports; supported: "
                    + String.join(", ", new java.util.TreeSet<>(factories.keySet())));
        }
        return factory.apply(owner, healthCheck);
    }

    @Override
    public String toString() {
        return "ProbeKinds[" + adapter + ": " + String.join(", ", new java.util.TreeSet<>(factories.keySet())) + "]";
    }

    /**
     * Builds a {@link ProbeKinds}.
     *
     * @param <E> the endpoint type
     */
    public static final class Builder<E> {
        private final String adapter;
        private final Map<String, BiFunction<String, HealthCheckConfig, HealthProbe<E>>> factories =
                new LinkedHashMap<>();

        private Builder(String adapter) {
            this.adapter = adapter;
        }

        /**
         * Registers a kind.
         *
         * @param kind the name configuration uses
         * @param factory makes the probe from the owner (as messages name it) and the health check;
         *     may throw {@link IllegalArgumentException} naming the owner and what is wrong
         * @return this builder
         * @throws IllegalArgumentException if the kind is registered already
         */
        public Builder<E> kind(String kind, BiFunction<String, HealthCheckConfig, HealthProbe<E>> factory) {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(factory, "factory");
            if (factories.putIfAbsent(kind, factory) != null) {
                throw new IllegalArgumentException("probe kind '" + kind + "' is registered already");
            }
            return this;
        }

        /** {@return the registry} */
        public ProbeKinds<E> build() {
            return new ProbeKinds<>(adapter, factories);
        }
    }
}
