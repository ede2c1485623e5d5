package io.smartqueryrouter.micrometer.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smartqueryrouter.core.spi.NodeStats;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters of one node in one registry. The fields the hot path reads are set before the
 * instance is published through the map (or, for the health timers, are volatile); the rest is
 * guarded by the lock of the owning {@link RouterMeters}.
 */
final class NodeMeters {
    final String id;
    /** Which registration of the id these meters follow; weak, like the gauges. */
    private final WeakReference<NodeStats> stats;
    /** Indexed by {@code Outcome.ordinal()}. */
    final Timer[] requests;
    Counter retries;
    Counter hedges;
    Counter ejections;
    volatile Timer healthy;
    volatile Timer unhealthy;
    /** Set once the meters left the registry; guarded by the owner's lock. */
    boolean removed;
    private final List<Meter> registered = new ArrayList<>(14);

    NodeMeters(String id, NodeStats stats, Timer[] requests) {
        this.id = id;
        this.stats = new WeakReference<>(stats);
        this.requests = requests;
    }

    boolean isFor(NodeStats current) {
        return stats.get() == current;
    }

    <M extends Meter> M add(M meter) {
        registered.add(meter);
        return meter;
    }

    void removeFrom(MeterRegistry registry) {
        removed = true;
        for (Meter meter : registered) {
            registry.remove(meter);
        }
        registered.clear();
    }
}
