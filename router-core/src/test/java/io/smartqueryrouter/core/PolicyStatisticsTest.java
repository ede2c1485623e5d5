package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A router keeps only the node statistics its policy reads ({@link RoutingPolicy#statistics()}),
 * plus the Peak-EWMA; the others are never computed and read as their documented fallback.
 */
class PolicyStatisticsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The router's default latency prior. */
    private static final double PRIOR = 30 * MS;

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));

    /**
     * Two answers on node "a", 20 ms then 10 ms, within the forecast's first 100 ms bucket, and one
     * server load report.
     */
    private Router<String> afterTwoAnswers(RoutingPolicy policy) {
        Router<String> r = Router.<String>builder("stats").policy(policy).ticker(now::get)
                .node(Node.of("a", "http://a")).build();
        for (long latency : new long[] {20 * MS, 10 * MS}) {
            Attempt<String> a = r.begin();
            now.addAndGet(latency);
            a.complete(Outcome.SUCCESS);
            r.reportServerLoad(a, 4, 8 * MS);
        }
        return r;
    }

    private NodeStats stats(Router<String> r) {
        return r.stats("a").orElseThrow();
    }

    @Test
    void aPolicyThatReadsNeitherTheForecastNorTheValleyEwmaDoesNotComputeThem() {
        for (RoutingPolicy policy : new RoutingPolicy[] {RoutingPolicies.roundRobin(), RoutingPolicies.p2cPeakEwma()}) {
            try (Router<String> r = afterTwoAnswers(policy)) {
                NodeStats s = stats(r);
                long t = now.get();
                // the Peak-EWMA is always kept: 20 ms, then 10 ms averaged in over 10 ms of a 10 s decay
                assertThat(s.peakEwmaNanos(t)).as(policy.name()).isBetween(19.9 * MS, 20.0 * MS);
                // before the fix the forecast read 15 ms, the mean of the open bucket, and the valley 10 ms
                assertThat(s.forecastNanos(t)).as(policy.name()).isEqualTo(s.peakEwmaNanos(t));
                assertThat(s.valleyEwmaNanos()).as(policy.name()).isEqualTo(PRIOR);
                assertThat(s.ewmaNanos()).as(policy.name()).isEqualTo(PRIOR);
                assertThat(s.serverQueueLength()).as(policy.name()).isNaN();
                assertThat(s.serverServiceTimeNanos()).as(policy.name()).isNaN();
                assertThat(s.lastSampleNanos()).as(policy.name()).isEqualTo(Long.MIN_VALUE);
                assertThat(s.loadGrowth()).as(policy.name()).isEqualTo(1.0);
                assertThat(r.snapshot().node("a").peakEwma().toNanos()).as(policy.name())
                        .isBetween(19_900_000L, 20_000_000L);
            }
        }
    }

    /**
     * Rounds of six attempts begun together on the one node of a {@code pool-ewma} router (each finds 0 to 5 of the
     * router's own in flight), answered {@code side by side} (all in 10 ms) or one at a time (10, 20, ... 60 ms);
     * {@code bound}: as statements on six connections bound to the node ({@link BoundNode#start()} and
     * {@link BoundNode#end}, the JDBC data source's form), else as routed attempts.
     */
    private double loadGrowthAfter(boolean sideBySide, boolean bound) {
        try (Router<String> r = Router.<String>builder("growth").policy(RoutingPolicies.poolEwma()).ticker(now::get)
                .node(Node.of("a", "http://a")).build()) {
            java.util.List<BoundNode<String>> connections = new java.util.ArrayList<>();
            for (int i = 0; bound && i < 6; i++) {
                BoundNode<String> c = r.bindFirst(n -> true);
                c.endFirst(Outcome.SUCCESS);
                connections.add(c);
            }
            for (int round = 0; round < 100; round++) {
                java.util.List<Runnable> ends = new java.util.ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    if (bound) {
                        BoundNode<String> c = connections.get(i);
                        long start = c.start();
                        ends.add(() -> c.end(start, Outcome.SUCCESS));
                    } else {
                        Attempt<String> a = r.begin();
                        ends.add(() -> a.complete(Outcome.SUCCESS));
                    }
                }
                if (sideBySide) {
                    now.addAndGet(10 * MS);
                }
                for (Runnable end : ends) {
                    if (!sideBySide) {
                        now.addAndGet(10 * MS);
                    }
                    end.run();
                }
                now.addAndGet(100 * MS);
            }
            connections.forEach(BoundNode::close);
            return stats(r).loadGrowth();
        }
    }

    @Test
    void theLoadGrowthIsLearntFromTheAttemptsEachAttemptFoundInFlight() {
        // a node that answers six calls in the time of one: the k + 1 calls there each took 1/(k + 1) of it
        assertThat(loadGrowthAfter(true, false)).isCloseTo(0.29, org.assertj.core.data.Offset.offset(0.03));
        // one call at a time: the attempt that found k waits k + 1 service times, one solo latency per call there
        assertThat(loadGrowthAfter(false, false)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void statementsOnBoundConnectionsTeachTheLoadGrowthAsAttemptsDo() {
        // they taught none before (1 whatever the node did): a JDBC replica serving four statements side by side
        // with four reads waiting for a connection looked five times its speed, and reads went to a 5x slow replica
        assertThat(loadGrowthAfter(true, true)).isCloseTo(0.29, org.assertj.core.data.Offset.offset(0.03));
        // and from the count each found at its start: one at a time, the first to end found none ahead of it (counted
        // at the ends, it would count the five still there, and a node serving one at a time would read as serving
        // them side by side)
        assertThat(loadGrowthAfter(false, true)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.05));
    }

    @Test
    void theForecastIsComputedForPredictive() {
        try (Router<String> r = afterTwoAnswers(RoutingPolicies.predictive())) {
            NodeStats s = stats(r);
            long t = now.get();
            // the open bucket's mean of 20 and 10 ms, not the Peak-EWMA's 20 ms
            assertThat(s.forecastNanos(t)).isEqualTo(15.0 * MS);
            assertThat(s.peakEwmaNanos(t)).isBetween(19.9 * MS, 20.0 * MS);
            // predictive reads nothing else
            assertThat(s.valleyEwmaNanos()).isEqualTo(PRIOR);
            assertThat(s.ewmaNanos()).isEqualTo(PRIOR);
            assertThat(s.serverQueueLength()).isNaN();
        }
    }

    @Test
    void theValleyEwmaAndTheServerLoadAreComputedForC3() {
        try (Router<String> r = afterTwoAnswers(RoutingPolicies.c3())) {
            NodeStats s = stats(r);
            long t = now.get();
            // the faster answer replaces the valley at once
            assertThat(s.valleyEwmaNanos()).isEqualTo(10.0 * MS);
            assertThat(s.ewmaNanos()).isBetween(19.9 * MS, 20.0 * MS);
            assertThat(s.serverQueueLength()).isEqualTo(4.0);
            assertThat(s.serverServiceTimeNanos()).isEqualTo(8.0 * MS);
            assertThat(s.lastSampleNanos()).isEqualTo(t);
            // c3 does not read the forecast
            assertThat(s.forecastNanos(t)).isEqualTo(s.peakEwmaNanos(t));
        }
    }

    @Test
    void aPolicyThatDeclaresNothingStillGetsEveryStatisticByDefault() {
        RoutingPolicy legacy = (candidates, nowNanos, random) -> 0;
        assertThat(legacy.statistics()).isEqualTo(EnumSet.allOf(NodeStatistic.class));
        try (Router<String> r = afterTwoAnswers(legacy)) {
            NodeStats s = stats(r);
            assertThat(s.forecastNanos(now.get())).isEqualTo(15.0 * MS);
            assertThat(s.valleyEwmaNanos()).isEqualTo(10.0 * MS);
            assertThat(s.serverQueueLength()).isEqualTo(4.0);
        }
    }

    @Test
    void aRoutersNodesLearnUnderOneServiceLatencySoWhatANodeLearntWhileAllWereSlowIsDiscountedOnceTheOthersAreFast() {
        // pool-ewma (SERVICE_DISCOUNT): "a" and "b" both answer in 200 ms (every node slow), then only "a" is called, 20 ms
        try (Router<String> r = Router.<String>builder("stats").policy(RoutingPolicies.poolEwma()).ticker(now::get)
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).build()) {
            answer(r, "a", 200 * MS);
            answer(r, "b", 200 * MS);
            assertThat(r.stats("b").orElseThrow().serviceDiscount()).isEqualTo(1.0);
            for (int i = 0; i < 100; i++) {
                answer(r, "a", 20 * MS);
            }
            // the service answers in 20 ms now, in 200 ms when "b" learnt: 20 / 200
            assertThat(r.stats("b").orElseThrow().serviceDiscount()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-6));
            // "a"'s own average still holds its 200 ms answer: 1/64 of it as the first of its first 64 answers (their
            // mean), (63/64)^37 of that after the 37 since; it is discounted as far as that weighs, 20 / (20 + 180 x
            // 1/64 x (63/64)^37) = 0.93
            assertThat(r.stats("a").orElseThrow().serviceDiscount())
                    .isCloseTo(20 / (20 + 180 / 64.0 * Math.pow(63.0 / 64, 37)), org.assertj.core.data.Offset.offset(0.005));
        }
        // a policy that does not declare SERVICE_DISCOUNT keeps none of it: always 1
        try (Router<String> r = Router.<String>builder("stats").policy(RoutingPolicies.p2cPeakEwma()).ticker(now::get)
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).build()) {
            answer(r, "a", 200 * MS);
            answer(r, "b", 200 * MS);
            for (int i = 0; i < 100; i++) {
                answer(r, "a", 20 * MS);
            }
            assertThat(r.stats("b").orElseThrow().serviceDiscount()).isEqualTo(1.0);
        }
    }

    /** One call on node {@code id} that takes {@code latencyNanos} on the fake clock. */
    private void answer(Router<String> r, String id, long latencyNanos) {
        RoutedCall<String> call = r.newCall(n -> n.id().equals(id), java.time.Duration.ofSeconds(10));
        Attempt<String> a = call.begin();
        now.addAndGet(latencyNanos);
        a.complete(Outcome.SUCCESS);
        call.succeeded(a);
    }
}
