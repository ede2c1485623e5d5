package io.smartqueryrouter.micrometer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one router in one registry, kept up to date as a {@link RouterListener}.
 *
 * <p>Per node the meters are registered once, when the router reports the node (or, if an event
 * for a registered node arrives first, at that event), and held in a {@link NodeMeters} found by
 * node id in a {@link ConcurrentHashMap}; recording an attempt is a map read, an array read and
 * {@link Timer#record(long, TimeUnit)}, with no allocation and no lock. Membership changes (node
 * added, removed, re-added under the same id; {@link #close()}) take {@link #lock}, so a meter is
 * never registered for a node after its removal has been handled, and the registry never keeps
 * the meters of a node that left.
 *
 * <p>An event about a node that is no longer registered (an attempt that was in flight when its
 * node was removed) is dropped: re-registering its meters would leave them in the registry for
 * good. The router's own totals ({@link io.smartqueryrouter.core.RouterSnapshot}) still count it.
 *
 * <p>Gauges read the router's live {@link NodeStats} through Micrometer's weak reference, so a
 * registry never keeps a removed node's statistics alive.
 */
public final class RouterMeters implements RouterListener {
    /** Timer: router, node, outcome. */
    public static final String REQUESTS = "smartqueryrouter.requests";
    /** Counter: router, node (the node whose failed attempt is retried elsewhere). */
    public static final String RETRIES = "smartqueryrouter.retries";
    /** Counter: router, node (the node the hedge went to). */
    public static final String HEDGES = "smartqueryrouter.hedges";
    /** Counter: router. */
    public static final String NO_AVAILABLE_NODE = "smartqueryrouter.no.available.node";
    /** Gauge: router; only for a router with a concurrency limit. */
    public static final String CONCURRENCY_LIMIT = "smartqueryrouter.concurrency.limit";
    /** Gauge: router; only for a router with a concurrency limit. */
    public static final String CONCURRENCY_INFLIGHT = "smartqueryrouter.concurrency.inflight";
    /** Function counter: router, attempt ({@code first} or {@code extra}); only for a router with a concurrency limit. */
    public static final String CONCURRENCY_REJECTED = "smartqueryrouter.concurrency.rejected";
    /** Tag key of what the concurrency limit refused: a call's first attempt, or a retry or hedge. */
    public static final String TAG_ATTEMPT = "attempt";
    /**
     * Function counter: router, attempt ({@code retry} or {@code hedge}), reason: the retries the retry budget refused
     * ({@code budget}), and for a router that hedges, the hedges its budget refused ({@code budget}) and, with an
     * adaptive delay, those refused because its hedges rarely win ({@code unpaid}).
     */
    public static final String EXTRAS_REFUSED = "smartqueryrouter.extras.refused";
    /** Tag key of why a retry or hedge was refused. */
    public static final String TAG_REASON = "reason";
    /** Timer: router, node, result. */
    public static final String HEALTH_CHECKS = "smartqueryrouter.health.checks";
    /** Counter: router, node. */
    public static final String EJECTIONS = "smartqueryrouter.ejections";
    /** Gauge 1/0: router, node. */
    public static final String NODE_HEALTHY = "smartqueryrouter.node.healthy";
    /** Gauge 1/0: router, node. */
    public static final String NODE_EJECTED = "smartqueryrouter.node.ejected";
    /** Gauge: router, node. */
    public static final String NODE_INFLIGHT = "smartqueryrouter.node.inflight";
    /** Time gauge, seconds: router, node. */
    public static final String NODE_LATENCY = "smartqueryrouter.node.latency";

    /** Tag keys this module sets itself; extra tags may not use them. */
    public static final String TAG_ROUTER = "router";
    /** Tag key of the node id. */
    public static final String TAG_NODE = "node";
    /** Tag key of the attempt outcome. */
    public static final String TAG_OUTCOME = "outcome";
    /** Tag key of the health-check result. */
    public static final String TAG_RESULT = "result";

    private static final Outcome[] OUTCOMES = Outcome.values();
    private static final String[] OUTCOME_TAGS = new String[OUTCOMES.length];

    static {
        for (Outcome o : OUTCOMES) {
            OUTCOME_TAGS[o.ordinal()] = o.name().toLowerCase(Locale.ROOT);
        }
    }

    private final Router<?> router;
    private final MeterRegistry registry;
    private final Tags routerTags;
    private final boolean percentileHistogram;
    private final Ticker ticker;
    private final Map<String, NodeMeters> nodes = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Counter noAvailableNode;
    /** The meters read from the router's snapshot when scraped: the refusals, and the concurrency limit's. */
    private final List<Meter> snapshotMeters = new ArrayList<>();
    private boolean started;
    private volatile boolean closed;

    /**
     * Registers the router-wide meters; nothing is recorded until {@link #start()}.
     *
     * @param commonTags extra tags put on every meter; must not use the keys this module sets
     */
    public RouterMeters(Router<?> router, MeterRegistry registry, Tags commonTags, boolean percentileHistogram) {
        this.router = Objects.requireNonNull(router, "router");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.routerTags = Objects.requireNonNull(commonTags, "commonTags").and(TAG_ROUTER, router.name());
        this.percentileHistogram = percentileHistogram;
        this.ticker = router.ticker();
        this.noAvailableNode = Counter.builder(NO_AVAILABLE_NODE)
                .description("Calls that found no node to go to")
                .tags(routerTags)
                .register(registry);
        // read from the snapshot when scraped: nothing on the call path
        refused("retry", "budget", r -> r.snapshot().retriesRefusedByBudget());
        if (router.hedgePolicy().isEnabled()) {
            refused("hedge", "budget", r -> r.snapshot().hedgesRefusedByBudget());
        }
        if (router.hedgePolicy().isAdaptive()) {
            // only a router whose hedge delay is adaptive refuses a hedge for not paying
            refused("hedge", "unpaid", r -> r.snapshot().hedgesRefusedAsUnpaid());
        }
        if (router.concurrencyLimit().isEnabled()) {
            snapshotMeters.add(Gauge.builder(CONCURRENCY_LIMIT, router, r -> r.snapshot().concurrencyLimit())
                    .description("The router's adaptive limit on attempts in flight")
                    .tags(routerTags).register(registry));
            snapshotMeters.add(Gauge.builder(CONCURRENCY_INFLIGHT, router, r -> r.snapshot().limitedInFlight())
                    .description("Attempts in flight the concurrency limit counts")
                    .tags(routerTags).register(registry));
            snapshotMeters.add(FunctionCounter.builder(CONCURRENCY_REJECTED, router, r -> r.snapshot().callsRejectedByLimit())
                    .description("Calls the concurrency limit refused (first) and retries or hedges it refused (extra)")
                    .tags(routerTags).tag(TAG_ATTEMPT, "first").register(registry));
            snapshotMeters.add(FunctionCounter.builder(CONCURRENCY_REJECTED, router, r -> r.snapshot().extrasRefusedByLimit())
                    .description("Calls the concurrency limit refused (first) and retries or hedges it refused (extra)")
                    .tags(routerTags).tag(TAG_ATTEMPT, "extra").register(registry));
        }
    }

    private void refused(String attempt, String reason, ToDoubleFunction<Router<?>> count) {
        snapshotMeters.add(FunctionCounter.builder(EXTRAS_REFUSED, router, count)
                .description("Retries and hedges refused: by their budget, or (hedges) because the router's hedges rarely win")
                .tags(routerTags).tag(TAG_ATTEMPT, attempt).tag(TAG_REASON, reason).register(registry));
    }

    /** Registers this as the router's listener; the router replays {@code onNodeAdded} for the nodes it has. */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                throw new IllegalStateException("meters of router '" + router.name() + "' were already "
                        + (closed ? "closed" : "started"));
            }
            started = true;
        }
        router.addListener(this);
    }

    /**
     * Unregisters the listener and removes every meter this registered from the registry.
     * Idempotent; an event still in flight is dropped.
     */
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        router.removeListener(this);
        synchronized (lock) {
            for (NodeMeters m : nodes.values()) {
                m.removeFrom(registry);
            }
            nodes.clear();
            registry.remove(noAvailableNode);
            snapshotMeters.forEach(registry::remove);
        }
    }

    /** Returns the router. */
    public Router<?> router() {
        return router;
    }

    /** Returns the registry. */
    public MeterRegistry registry() {
        return registry;
    }

    // ------------------------------------------------------------------ events

    @Override
    public void onNodeAdded(String routerName, Node<?> node) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            NodeStats current = router.stats(node.id()).orElse(null);
            if (current == null) {
                return; // removed again already; its removal event finds nothing to do
            }
            NodeMeters m = nodes.get(node.id());
            if (m != null && m.isFor(current)) {
                return; // registered early by an event that came first, or replayed twice
            }
            if (m != null) {
                // the id was removed and re-added before this thread saw the removal: follow the new node
                nodes.remove(node.id());
                m.removeFrom(registry);
            }
            nodes.put(node.id(), register(node.id(), current));
        }
    }

    @Override
    public void onNodeRemoved(String routerName, Node<?> node) {
        synchronized (lock) {
            NodeMeters m = nodes.get(node.id());
            if (m == null) {
                return;
            }
            NodeStats current = router.stats(node.id()).orElse(null);
            if (current != null && m.isFor(current)) {
                return; // a late removal of an earlier node with this id; the meters belong to the one registered now
            }
            nodes.remove(node.id());
            m.removeFrom(registry);
        }
    }

    @Override
    public void onAttemptCompleted(String routerName, Node<?> node, Outcome outcome, long latencyNanos,
            int attempt) {
        NodeMeters m = meters(node);
        if (m != null) {
            m.requests[outcome.ordinal()].record(latencyNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onRetry(String routerName, Node<?> failedNode, int nextAttempt) {
        NodeMeters m = meters(failedNode);
        if (m != null) {
            m.retries.increment();
        }
    }

    @Override
    public void onHedge(String routerName, Node<?> from, Node<?> to, int hedgeAttempt) {
        NodeMeters m = meters(to);
        if (m != null) {
            m.hedges.increment();
        }
    }

    @Override
    public void onNoAvailableNode(String routerName) {
        noAvailableNode.increment();
    }

    @Override
    public void onHealthChecked(String routerName, Node<?> node, ProbeResult result, long durationNanos) {
        NodeMeters m = meters(node);
        if (m == null) {
            return;
        }
        Timer t = result.healthy() ? m.healthy : m.unhealthy;
        if (t == null) {
            t = healthTimers(m, result.healthy());
        }
        if (t != null) {
            t.record(durationNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void onEjected(String routerName, Node<?> node, Duration duration) {
        NodeMeters m = meters(node);
        if (m != null) {
            m.ejections.increment();
        }
    }

    // ------------------------------------------------------------------ meters

    /** The hot path: a map read; only a node this has not seen yet takes the lock. */
    private NodeMeters meters(Node<?> node) {
        NodeMeters m = nodes.get(node.id());
        return m != null ? m : late(node.id());
    }

    /**
     * An event for a node before its {@code onNodeAdded} (the router reports a node after it takes
     * calls, and a listener added while calls run sees them before the replay), or after its
     * removal: registers the meters if the router has the node, else drops the event.
     */
    private NodeMeters late(String id) {
        synchronized (lock) {
            if (closed) {
                return null;
            }
            NodeMeters m = nodes.get(id);
            if (m != null) {
                return m;
            }
            NodeStats current = router.stats(id).orElse(null);
            if (current == null) {
                return null;
            }
            m = register(id, current);
            nodes.put(id, m);
            return m;
        }
    }

    /** Health-check timers exist only for routers that check health: registered at a node's first probe. */
    private Timer healthTimers(NodeMeters m, boolean healthy) {
        synchronized (lock) {
            if (m.removed) {
                return null;
            }
            if (m.healthy == null) {
                Tags tags = nodeTags(m.id);
                m.unhealthy = m.add(healthTimer(tags, "unhealthy"));
                m.healthy = m.add(healthTimer(tags, "healthy"));
            }
            return healthy ? m.healthy : m.unhealthy;
        }
    }

    private Timer healthTimer(Tags tags, String result) {
        return Timer.builder(HEALTH_CHECKS)
                .description("Active health probes, by result")
                .tags(tags)
                .tag(TAG_RESULT, result)
                .register(registry);
    }

    private Tags nodeTags(String id) {
        return routerTags.and(TAG_NODE, id);
    }

    /** Registers one node's meters; the caller holds the lock. */
    private NodeMeters register(String id, NodeStats stats) {
        Tags tags = nodeTags(id);
        Timer[] requests = new Timer[OUTCOMES.length];
        NodeMeters m = new NodeMeters(id, stats, requests);
        for (Outcome o : OUTCOMES) {
            Timer.Builder b = Timer.builder(REQUESTS)
                    .description("Attempts on a node, by outcome, from start to completion")
                    .tags(tags)
                    .tag(TAG_OUTCOME, OUTCOME_TAGS[o.ordinal()]);
            if (percentileHistogram) {
                b.publishPercentileHistogram();
            }
            requests[o.ordinal()] = m.add(b.register(registry));
        }
        m.retries = m.add(Counter.builder(RETRIES)
                .description("Retries of a call on another node after a failed attempt on this node")
                .tags(tags)
                .register(registry));
        m.hedges = m.add(Counter.builder(HEDGES)
                .description("Hedges sent to this node while the call's attempt on another node had not answered")
                .tags(tags)
                .register(registry));
        m.ejections = m.add(Counter.builder(EJECTIONS)
                .description("Times outlier detection ejected the node")
                .tags(tags)
                .register(registry));
        // Micrometer holds the NodeStats weakly; the functions capture nothing of the node
        m.add(Gauge.builder(NODE_HEALTHY, stats, s -> s.healthy() ? 1 : 0)
                .description("1 if active health checking considers the node healthy (always 1 without it), else 0")
                .tags(tags)
                .register(registry));
        m.add(Gauge.builder(NODE_EJECTED, stats, s -> s.ejected() ? 1 : 0)
                .description("1 while outlier detection has the node ejected, else 0")
                .tags(tags)
                .register(registry));
        m.add(Gauge.builder(NODE_INFLIGHT, stats, NodeStats::inFlight)
                .description("Attempts begun on the node and not yet completed")
                .tags(tags)
                .register(registry));
        Ticker clock = ticker;
        m.add(TimeGauge.builder(NODE_LATENCY, stats, TimeUnit.NANOSECONDS, s -> s.peakEwmaNanos(clock.read()))
                .description("The node's Peak-EWMA latency cost, as the routing policy sees it")
                .tags(tags)
                .register(registry));
        return m;
    }

    /** The request timer this records into for a node and outcome, or {@code null} if the node has no meters. */
    Timer requestTimer(String nodeId, Outcome outcome) {
        NodeMeters m = nodes.get(nodeId);
        return m == null ? null : m.requests[outcome.ordinal()];
    }

    @Override
    public String toString() {
        return "RouterMeters[" + router.name() + ", " + nodes.size() + " nodes, " + registry.getClass().getSimpleName()
                + "]";
    }
}
