package io.smartqueryrouter.benchmarks;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * A measured alternative for {@link RealSocketJdbcBenchmark}, not registered: {@code pool-ewma} as
 * registered, shown each node's silence with one defect of the core's repaired. When an untimed
 * attempt ends well ({@code RoutingDataSource} takes a pooled connection through {@code
 * Router.bindFirst} and ends it with {@code endFirst(SUCCESS)}), the core does not read its clock and
 * records the node's "waiting since" as 0; while another attempt is still in flight on that node,
 * {@link NodeStats#silentNanos} then returns the ticker's reading itself (hours, with the system
 * ticker), until the node's next timed answer. This view recognises that value (silence equal to
 * {@code nowNanos}) and shows the time since the node's latest timed answer instead, as if pool
 * checkouts did not count as answers. It counts how many candidate readings it repaired.
 */
final class SilenceRepairedPoolEwma implements RoutingPolicy {
    /** The name the benchmark knows this variant by. */
    static final String NAME = "pool-ewma-silence-repaired";

    private final RoutingPolicy delegate = RoutingPolicies.byName("pool-ewma");
    /** One view per node, so the delegate's pool of remembered nodes (kept by identity) still works. */
    private final Map<NodeStats, View> views = new ConcurrentHashMap<>();
    private final LongAdder repaired = new LongAdder();
    private final LongAdder readings = new LongAdder();

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        NodeStats[] shown = new NodeStats[candidates.size()];
        for (int i = 0; i < shown.length; i++) {
            shown[i] = views.computeIfAbsent(candidates.get(i), View::new);
        }
        return delegate.select(Candidates.of(shown), nowNanos, random);
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return delegate.statistics();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** {@return how many silence readings showed the defect, of how many: "repaired of read"} */
    String repairs() {
        return repaired.sum() + " of " + readings.sum();
    }

    /** A node's statistics as the core has them, but for the silence. */
    private final class View implements NodeStats {
        private final NodeStats s;

        View(NodeStats s) {
            this.s = s;
        }

        @Override
        public long silentNanos(long nowNanos) {
            long silent = s.silentNanos(nowNanos);
            readings.increment();
            if (silent != 0 && silent == nowNanos) {
                repaired.increment();
                return Math.max(0, nowNanos - s.lastSampleNanos());
            }
            return silent;
        }

        @Override
        public Node<?> node() {
            return s.node();
        }

        @Override
        public int weight() {
            return s.weight();
        }

        @Override
        public double peakEwmaNanos(long nowNanos) {
            return s.peakEwmaNanos(nowNanos);
        }

        @Override
        public boolean hasLatencySample() {
            return s.hasLatencySample();
        }

        @Override
        public double ewmaNanos() {
            return s.ewmaNanos();
        }

        @Override
        public double valleyEwmaNanos() {
            return s.valleyEwmaNanos();
        }

        @Override
        public double serverQueueLength() {
            return s.serverQueueLength();
        }

        @Override
        public double serverServiceTimeNanos() {
            return s.serverServiceTimeNanos();
        }

        @Override
        public double forecastNanos(long nowNanos) {
            return s.forecastNanos(nowNanos);
        }

        @Override
        public long lastSampleNanos() {
            return s.lastSampleNanos();
        }

        @Override
        public int inFlight() {
            return s.inFlight();
        }

        @Override
        public long requests() {
            return s.requests();
        }

        @Override
        public long completed(Outcome outcome) {
            return s.completed(outcome);
        }

        @Override
        public int consecutiveFailures() {
            return s.consecutiveFailures();
        }

        @Override
        public boolean healthy() {
            return s.healthy();
        }

        @Override
        public boolean ejected() {
            return s.ejected();
        }

        @Override
        public ProbeResult lastProbe() {
            return s.lastProbe();
        }
    }
}
