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
 * {@code pool-ewma} as registered, watched, for {@link RealSocketJdbcBenchmark}; not registered. It
 * counts, for each pick of a given node (the faulty replica), how silent the other candidates looked
 * then ({@link NodeStats#silentNanos}, the least of them). As {@value #OBSERVED} it changes nothing.
 * As {@value #REPAIRED}, a measured alternative, it shows the policy each node's silence with one
 * defect of the core's repaired. When an untimed
 * attempt ends well ({@code RoutingDataSource} takes a pooled connection through {@code
 * Router.bindFirst} and ends it with {@code endFirst(SUCCESS)}), the core does not read its clock and
 * records the node's "waiting since" as 0; while another attempt is still in flight on that node,
 * {@link NodeStats#silentNanos} then returns the ticker's reading itself (hours, with the system
 * ticker), until the node's next timed answer. This view recognises that value (silence equal to
 * {@code nowNanos}) and shows the time since the node's latest timed answer instead, as if pool
 * checkouts did not count as answers. It counts how many candidate readings it repaired.
 */
final class SilenceRepairedPoolEwma implements RoutingPolicy {
    /** The name of the watched, unchanged {@code pool-ewma}. */
    static final String OBSERVED = "pool-ewma-observed";
    /** The name of the variant with the silence repaired. */
    static final String REPAIRED = "pool-ewma-silence-repaired";
    /** Upper bounds of the buckets of the other candidates' least silence, in ms; the last is "more". */
    private static final long[] BUCKET_MS = {0, 1, 10, 100, 3_600_000};

    private final RoutingPolicy delegate = RoutingPolicies.byName("pool-ewma");
    /** One view per node, so the delegate's pool of remembered nodes (kept by identity) still works. */
    private final Map<NodeStats, View> views = new ConcurrentHashMap<>();
    private final LongAdder repaired = new LongAdder();
    private final LongAdder readings = new LongAdder();
    private final boolean repair;
    private final String watched;
    private final LongAdder[] picksOfWatched = new LongAdder[BUCKET_MS.length + 1];

    /**
     * @param repair whether to repair the silence ({@value #REPAIRED}) or only watch ({@value #OBSERVED})
     * @param watched the id of the node whose picks are counted
     */
    SilenceRepairedPoolEwma(boolean repair, String watched) {
        this.repair = repair;
        this.watched = watched;
        for (int i = 0; i < picksOfWatched.length; i++) {
            picksOfWatched[i] = new LongAdder();
        }
    }

    @Override
    public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
        NodeStats[] shown = new NodeStats[candidates.size()];
        for (int i = 0; i < shown.length; i++) {
            shown[i] = views.computeIfAbsent(candidates.get(i), View::new);
        }
        int chosen = delegate.select(Candidates.of(shown), nowNanos, random);
        if (shown[chosen].node().id().equals(watched)) {
            long least = Long.MAX_VALUE;
            for (int i = 0; i < shown.length; i++) {
                if (i != chosen) {
                    least = Math.min(least, shown[i].silentNanos(nowNanos));
                }
            }
            int bucket = 0;
            while (bucket < BUCKET_MS.length && least > BUCKET_MS[bucket] * 1_000_000) {
                bucket++;
            }
            picksOfWatched[bucket].increment();
        }
        return chosen;
    }

    @Override
    public Set<NodeStatistic> statistics() {
        return delegate.statistics();
    }

    @Override
    public String name() {
        return repair ? REPAIRED : OBSERVED;
    }

    /** {@return what was seen: the silence readings that showed the defect, the picks of the watched node by bucket} */
    String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("silence readings with the defect: ").append(repaired.sum()).append(" of ").append(readings.sum())
                .append(repair ? " (repaired)" : " (as read)").append("; picks of ").append(watched)
                .append(" by the other candidates' least silence:");
        for (int i = 0; i < picksOfWatched.length; i++) {
            sb.append(' ').append(i == 0 ? "0" : i < BUCKET_MS.length ? "<=" + BUCKET_MS[i] + "ms" : "defect")
                    .append('=').append(picksOfWatched[i].sum());
        }
        return sb.toString();
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
                if (repair) {
                    return Math.max(0, nowNanos - s.lastSampleNanos());
                }
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
