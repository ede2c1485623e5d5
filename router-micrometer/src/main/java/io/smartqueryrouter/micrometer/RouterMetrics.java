package io.smartqueryrouter.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.micrometer.internal.RouterMeters;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Micrometer {@link MeterBinder} for one or more {@link Router}s that follows their nodes: the
 * meters of a node are registered when it joins and removed from the registry when it leaves.
 *
 * <pre>{@code
 * RouterMetrics metrics = RouterMetrics.of(ordersRouter, usersRouter);
 * metrics.bindTo(registry);
 * ...
 * metrics.close();   // before the routers go away: removes the listeners and the meters
 * }</pre>
 *
 * <table>
 *   <caption>Meters (names as Micrometer sees them; registries add their own suffixes)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code smartqueryrouter.requests}</td><td>timer</td><td>router, node, outcome</td>
 *       <td>every completed attempt, from its start to its completion; outcome is {@code success},
 *       {@code failure}, {@code overloaded}, {@code client_error} or {@code cancelled}</td></tr>
 *   <tr><td>{@code smartqueryrouter.retries}</td><td>counter</td><td>router, node</td>
 *       <td>retries on another node; node is the one whose attempt failed</td></tr>
 *   <tr><td>{@code smartqueryrouter.hedges}</td><td>counter</td><td>router, node</td>
 *       <td>hedges (see {@link io.smartqueryrouter.core.HedgePolicy}); node is the one the hedge went to</td></tr>
 *   <tr><td>{@code smartqueryrouter.extras.refused}</td><td>counter</td><td>router, attempt, reason</td>
 *       <td>retries and hedges not sent: {@code attempt=retry, reason=budget} (the retry budget was spent); for a
 *       router that hedges, {@code attempt=hedge, reason=budget} (the hedge budget was spent) and, with an adaptive
 *       delay, {@code attempt=hedge, reason=unpaid} (its hedges rarely win, {@link io.smartqueryrouter.core.HedgePolicy});
 *       the concurrency limit's
 *       refusals are {@code smartqueryrouter.concurrency.rejected}</td></tr>
 *   <tr><td>{@code smartqueryrouter.no.available.node}</td><td>counter</td><td>router</td>
 *       <td>calls that found no node</td></tr>
 *   <tr><td>{@code smartqueryrouter.concurrency.limit}</td><td>gauge</td><td>router</td>
 *       <td>the adaptive concurrency limit (only for a router with a
 *       {@link io.smartqueryrouter.core.ConcurrencyLimit}, as are the next two)</td></tr>
 *   <tr><td>{@code smartqueryrouter.concurrency.inflight}</td><td>gauge</td><td>router</td>
 *       <td>attempts in flight the limit counts (not untimed calls, not bound work)</td></tr>
 *   <tr><td>{@code smartqueryrouter.concurrency.rejected}</td><td>counter</td><td>router, attempt</td>
 *       <td>refused by the limit: {@code first} attempts (calls not sent), {@code extra} (retries and hedges)</td></tr>
 *   <tr><td>{@code smartqueryrouter.health.checks}</td><td>timer</td><td>router, node, result</td>
 *       <td>active health probes; result is {@code healthy} or {@code unhealthy}; registered at a
 *       node's first probe, so a router without health checking has none</td></tr>
 *   <tr><td>{@code smartqueryrouter.ejections}</td><td>counter</td><td>router, node</td>
 *       <td>outlier ejections</td></tr>
 *   <tr><td>{@code smartqueryrouter.node.healthy}</td><td>gauge</td><td>router, node</td>
 *       <td>1 if health checking considers the node healthy (always 1 without it), else 0</td></tr>
 *   <tr><td>{@code smartqueryrouter.node.ejected}</td><td>gauge</td><td>router, node</td>
 *       <td>1 while ejected, else 0</td></tr>
 *   <tr><td>{@code smartqueryrouter.node.inflight}</td><td>gauge</td><td>router, node</td>
 *       <td>attempts begun and not completed</td></tr>
 *   <tr><td>{@code smartqueryrouter.node.latency}</td><td>time gauge (seconds)</td><td>router, node</td>
 *       <td>the Peak-EWMA latency cost the routing policy sees</td></tr>
 * </table>
 *
 * <p><b>Cost.</b> Meters are registered once per node (and outcome), never per call; recording an
 * attempt allocates nothing and takes no lock. Gauges read the router's live statistics through
 * weak references, so a registry never keeps a removed node alive.
 *
 * <p><b>Removed nodes.</b> An attempt that was in flight on a node when it was removed, and
 * completes after, is not recorded: its meters are gone, and registering them again would leave
 * them in the registry for good. The router's own totals ({@link Router#snapshot()}) count it.
 *
 * <p><b>Several registries.</b> {@link #bindTo} may be called for several registries; each
 * binding is independent (its own listener on every router, its own meters, counting from the
 * moment it was bound, but for {@code smartqueryrouter.extras.refused} and the {@code concurrency} meters, which
 * read the router's snapshot when scraped and count from the router's start). Binding again to a registry already bound is a no-op. For a
 * {@code CompositeMeterRegistry}, bind to the composite, not also to its members. Do not bind two
 * {@code RouterMetrics} for the same router to the same registry: their meters would be the same
 * meters, and one removing a node's meters would remove the other's.
 *
 * <p>Thread-safe. A router's {@link Router#close()} does not remove its meters; {@link #close()} does.
 */
public final class RouterMetrics implements MeterBinder, AutoCloseable {
    private static final Set<String> RESERVED_TAGS = Set.of(RouterMeters.TAG_ROUTER, RouterMeters.TAG_NODE,
            RouterMeters.TAG_OUTCOME, RouterMeters.TAG_RESULT, RouterMeters.TAG_ATTEMPT, RouterMeters.TAG_REASON);

    private final List<Router<?>> routers;
    private final boolean percentileHistogram;
    private final Tags tags;
    private final Object lock = new Object();
    private final Map<MeterRegistry, List<RouterMeters>> bindings = new IdentityHashMap<>();
    private boolean closed;

    private RouterMetrics(Builder b) {
        this.routers = List.copyOf(b.routers.values());
        this.percentileHistogram = b.percentileHistogram;
        this.tags = b.tags;
    }

    /**
     * Returns metrics for the given routers, with the defaults: no percentile histogram, no extra tags.
     *
     * @param routers the routers to follow, at least one, names distinct
     * @return metrics not yet bound to any registry
     * @throws IllegalArgumentException if no router is given, or two have the same name (the
     *     {@code router} tag would not tell them apart)
     * @throws NullPointerException if a router is null
     */
    public static RouterMetrics of(Router<?>... routers) {
        Objects.requireNonNull(routers, "routers");
        if (routers.length == 0) {
            throw new IllegalArgumentException("RouterMetrics needs at least one router");
        }
        Builder b = builder();
        for (Router<?> r : routers) {
            b.router(r);
        }
        return b.build();
    }

    /**
     * Returns a builder; add at least one router.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the meters of every router's current nodes in {@code registry} and follows the
     * routers' nodes from now on. A registry already bound is left as it is.
     *
     * @param registry the registry to register the meters in
     * @throws IllegalStateException if this was closed
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("RouterMetrics of " + names() + " is closed");
            }
            if (bindings.containsKey(registry)) {
                return;
            }
            List<RouterMeters> bound = new ArrayList<>(routers.size());
            for (Router<?> router : routers) {
                RouterMeters meters = new RouterMeters(router, registry, tags, percentileHistogram);
                bound.add(meters);
                meters.start();
            }
            bindings.put(registry, bound);
        }
    }

    /**
     * Stops recording into {@code registry} and removes from it every meter this registered.
     *
     * @param registry a registry given to {@link #bindTo} before
     * @return whether the registry was bound
     */
    public boolean unbindFrom(MeterRegistry registry) {
        List<RouterMeters> bound;
        synchronized (lock) {
            bound = bindings.remove(registry);
        }
        if (bound == null) {
            return false;
        }
        bound.forEach(RouterMeters::close);
        return true;
    }

    /**
     * Unregisters from every router and removes every meter this registered from every registry it
     * was bound to. Later {@link #bindTo} calls throw. Idempotent.
     */
    @Override
    public void close() {
        List<List<RouterMeters>> all;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(bindings.values());
            bindings.clear();
        }
        for (List<RouterMeters> bound : all) {
            bound.forEach(RouterMeters::close);
        }
    }

    /**
     * Returns the routers, in the order they were given.
     *
     * @return the routers, unmodifiable
     */
    public List<Router<?>> routers() {
        return routers;
    }

    private List<String> names() {
        return routers.stream().map(Router::name).toList();
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "RouterMetrics[routers=" + names() + ", percentileHistogram=" + percentileHistogram + ", tags="
                    + tags + ", registries=" + bindings.size() + (closed ? ", closed" : "") + "]";
        }
    }

    /** Builds {@link RouterMetrics}; every setter validates at once. */
    public static final class Builder {
        private final Map<String, Router<?>> routers = new LinkedHashMap<>();
        private boolean percentileHistogram;
        private Tags tags = Tags.empty();

        private Builder() {
        }

        /**
         * Adds a router.
         *
         * @param router a router whose name no router added before has
         * @return this builder
         * @throws IllegalArgumentException if a router of the same name was added (the
         *     {@code router} tag would not tell them apart)
         */
        public Builder router(Router<?> router) {
            Objects.requireNonNull(router, "router must not be null");
            Router<?> before = routers.putIfAbsent(router.name(), router);
            if (before != null) {
                throw new IllegalArgumentException("router '" + router.name() + "' was already added"
                        + (before == router ? "" : " (another router of that name)")
                        + "; the router tag must tell routers apart");
            }
            return this;
        }

        /**
         * Adds routers, as {@link #router} does each.
         *
         * @param routers the routers to add
         * @return this builder
         * @throws IllegalArgumentException if two routers, or one and a router added before, share a name
         */
        public Builder routers(Iterable<? extends Router<?>> routers) {
            Objects.requireNonNull(routers, "routers must not be null").forEach(this::router);
            return this;
        }

        /**
         * Publishes a percentile histogram for {@code smartqueryrouter.requests} (default off: the
         * timers then have count, total time and max only, unless a {@code MeterFilter} of the
         * registry configures more). Each histogram adds dozens of buckets per node and outcome.
         * Turn it on for the p99 panels of the shipped Grafana dashboard: Prometheus computes them
         * from the histogram's buckets.
         *
         * @param enabled whether to publish the histogram
         * @return this builder
         */
        public Builder percentileHistogram(boolean enabled) {
            this.percentileHistogram = enabled;
            return this;
        }

        /**
         * Adds tags to every meter (an application or region, say). Later tags with the same key replace earlier ones.
         *
         * @param tags the tags to add
         * @return this builder
         * @throws IllegalArgumentException if a key is one this module sets: router, node, outcome, result, attempt,
         *     reason
         */
        public Builder tags(Iterable<Tag> tags) {
            Objects.requireNonNull(tags, "tags must not be null");
            for (Tag t : tags) {
                Objects.requireNonNull(t, "tags must not contain null");
                if (RESERVED_TAGS.contains(t.getKey())) {
                    throw new IllegalArgumentException("tag key '" + t.getKey() + "' is set by RouterMetrics itself; "
                            + "reserved keys are " + RESERVED_TAGS.stream().sorted().toList());
                }
            }
            this.tags = this.tags.and(tags);
            return this;
        }

        /**
         * Adds tags given as key, value, key, value...
         *
         * @param keyValues keys and values, alternating
         * @return this builder
         * @throws IllegalArgumentException if the count is odd, or a key is reserved (see {@link #tags(Iterable)})
         */
        public Builder tags(String... keyValues) {
            Objects.requireNonNull(keyValues, "tags must not be null");
            if (keyValues.length % 2 != 0) {
                throw new IllegalArgumentException("tags must be key, value pairs, but " + keyValues.length
                        + " strings were given");
            }
            return tags(Tags.of(keyValues));
        }

        /**
         * Returns the metrics; bind them with {@link RouterMetrics#bindTo}.
         *
         * @return metrics for the routers added, with these settings
         * @throws IllegalStateException if no router was added
         */
        public RouterMetrics build() {
            if (routers.isEmpty()) {
                throw new IllegalStateException("RouterMetrics needs at least one router");
            }
            return new RouterMetrics(this);
        }
    }
}
