package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Recovery time, servers that drop abandoned work, health checking on the simulated clock, seeds aggregation. */
class RecoveryAndHealthTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void recoveryIsCountedFromTheReturnToTheFirstSecondAfterWhichEverySecondIsGood() {
        // capacity returns at 10 s; baseline p99 20 ms: a second is good under 1% failed and p99 < 40 ms
        double[] p99 = new double[20];
        double[] failed = new double[20];
        java.util.Arrays.fill(p99, 20 * MS);
        failed[10] = 0.5;       // bad: failures
        p99[11] = 39 * MS;      // good
        p99[12] = 45 * MS;      // bad: p99 over 2x
        failed[13] = 0.009;     // good
        p99[14] = Double.NaN;   // no calls: good

        assertThat(Recorder.recoveryNanos(10 * S, 20 * MS, p99, failed)).isEqualTo(3.0 * S);
        // stays: a single bad second later moves the recovery past it
        failed[17] = 0.02;
        assertThat(Recorder.recoveryNanos(10 * S, 20 * MS, p99, failed)).isEqualTo(8.0 * S);
        // bad in the last second: never
        failed[19] = 0.02;
        assertThat(Recorder.recoveryNanos(10 * S, 20 * MS, p99, failed)).isInfinite();
        // good from the first window at or after the return: 0; a return inside a second counts from the next one
        double[] fine = new double[20];
        double[] steady = new double[20];
        java.util.Arrays.fill(steady, 20 * MS);
        assertThat(Recorder.recoveryNanos(10 * S, 20 * MS, steady, fine)).isZero();
        assertThat(Recorder.recoveryNanos(10 * S + 300 * MS, 20 * MS, steady, fine)).isEqualTo(700.0 * MS);
    }

    @Test
    void aRatioIsNotQuotedAloneWhereMoreThanOnePercentOfCallsFailed() {
        assertThat(Reports.ratio(1.234, 0.01)).isEqualTo("1.23");
        assertThat(Reports.ratio(1.0, 0.4353)).isEqualTo("- (43.5% failed)");
        assertThat(Reports.recovery(Double.POSITIVE_INFINITY)).isEqualTo("never");
        assertThat(Reports.recovery(3 * S)).isEqualTo("3");
    }

    @Test
    void capacityLossRecoversWithinFiveSecondsWithEjectionOnAndWithinEightWithItOff() {
        // what issue 12 measured before: with ejection on, the default failed nearly every call from t = 65 s to
        // the end, as the overloaded halves of the cluster ejected each other in turn; ejection now only takes
        // outliers out and gives a node back when the rest fail too
        Scenario on = Scenarios.capacityLoss().toBuilder().duration(Duration.ofSeconds(90)).build();
        Scenario off = on.toBuilder().outlierEjection(false).build();

        RunResult withEjection = Simulation.run(on, SimPolicy.registered(SimPolicy.defaultName()));
        RunResult without = Simulation.run(off, SimPolicy.registered(SimPolicy.defaultName()));

        // the default (ejection on): under 1% failed from 5 s after the return on (it takes 4 s); without ejection the
        // run takes 7 s since pool-ewma's steady EWMA (4 s before it; benchmarks/POLICIES.md), so it gets 8 s here
        assertRecovers(withEjection, 5);
        assertRecovers(without, 8);
        // ejection on fails no more calls than the default without ejection did before pool-ewma's failure ratio (28.9%),
        // and at most 1.3x today's default without it: the failure ratio took the run without ejection from 28.9% to
        // 20.5% failed and left the run with it at 25.9% (26.0% before), so ejection cost calls here (issue 12); with the
        // concurrency limit on by default and the steady EWMA: 11.5% with it, 25.7% without
        assertThat(withEjection.failedShare()).as("calls failed with ejection on, against %s off", without.failedShare())
                .isLessThanOrEqualTo(Math.min(0.289, 1.3 * without.failedShare()));
    }

    /** Capacity returns at t = 60 s: from {@code seconds} later to the end, under 1% of calls fail each second. */
    private static void assertRecovers(RunResult r, int seconds) {
        for (int second = 60 + seconds; second < 90; second++) {
            assertThat(r.failedPerSecond()[second]).as("second " + second).isLessThan(0.01);
        }
        assertThat(r.recoveryNanos()).isLessThanOrEqualTo(seconds * S);
    }

    /** Calls of 100 ms on one server with 1 worker, sent every ~50 ms with a 120 ms timeout: a queue builds up. */
    private static Scenario.Builder backlog(String name) {
        return Scenario.builder(name)
                .servers(1).workers(1).clients(1)
                .serviceTime(ServiceTime.fixed(Duration.ofMillis(100)))
                .networkDelay(Duration.ofMillis(1))
                .timeout(Duration.ofMillis(120))
                .utilisation(1.4)
                .outlierEjection(false)
                .duration(Duration.ofSeconds(20))
                .seed(5);
    }

    @Test
    void serversThatDropAbandonedWorkAnswerMoreCallsInTimeThanServersThatDoAllOfIt() {
        RunResult keep = Simulation.run(backlog("keep").build(), SimPolicy.registered("round-robin"));
        RunResult drop = Simulation.run(backlog("drop").dropAbandoned(true).build(), SimPolicy.registered("round-robin"));

        // keeping every request, the queue grows without end and almost every call waits past its timeout
        assertThat(keep.failedShare()).isGreaterThan(0.9);
        // dropping, a request whose caller gave up never takes the worker: some are answered in time
        assertThat(drop.failedShare()).isLessThan(0.85);
        assertThat(drop.calls() - drop.failedCalls()).isGreaterThan(50);
    }

    @Test
    void healthChecksMarkACrashedServerDownWithinFallProbesAndUpWithinRiseProbesOfItsReturn() {
        // s1 is gone from 10 s to 20 s; probes every 1 s, fall 3, rise 2; ejection off, so only the health
        // check keeps calls away. Lightly loaded, so nothing else fails.
        Scenario s = Scenario.builder("health").servers(2).clients(1).utilisation(0.1)
                .outlierEjection(false)
                .server(1, ServerSpec.normal().down(Duration.ofSeconds(10), Duration.ofSeconds(20)))
                .duration(Duration.ofSeconds(30)).seed(4)
                .healthCheck(Scenario.Probing.defaults())
                .build();
        List<Long> sentToS1 = new ArrayList<>();

        RunResult r = Simulation.run(s, SimPolicy.registered("round-robin"), new SimTrace() {
            @Override
            public void begun(int client, long call, long nowNanos, String nodeId) {
                if (nodeId.equals("s1")) {
                    sentToS1.add(nowNanos);
                }
            }

            @Override
            public void completed(int client, long call, long nowNanos, Outcome outcome) {
            }

            @Override
            public void retried(int client, long call, long nowNanos, String nodeId) {
            }
        });

        // probes about every second (jitter 0): the three from 10 s on are refused, so s1 is down by about 12 s
        // (fall 3); it gets calls again once two probes from 20 s on have passed (rise 2), by about 21 s
        assertThat(sentToS1).anyMatch(t -> t > 10 * S && t < 12 * S);
        assertThat(sentToS1).noneMatch(t -> t > 12 * S + 100 * MS && t < 20 * S + 900 * MS);
        assertThat(sentToS1).anyMatch(t -> t > 20 * S && t < 22 * S + 100 * MS);
        assertThat(r.probes()).isBetween(2L * 30, 2L * 31);
        assertThat(r.failedCalls()).isZero();
    }

    @Test
    void aHealthCheckedRunIsDeterministic() {
        Scenario s = Scenarios.capacityLossHealth().toBuilder().duration(Duration.ofSeconds(70)).build();

        RunResult first = Simulation.run(s, SimPolicy.registered(SimPolicy.defaultName()));
        RunResult second = Simulation.run(s, SimPolicy.registered(SimPolicy.defaultName()));

        assertThat(first.sameOutcome(second)).as(first + "\n" + second).isTrue();
        assertThat(first.probes()).isPositive();
    }

    @Test
    void severalSeedsGiveTheMedianAndTheRange() {
        assertThat(Reports.cell(new double[] {3, 1, 2}, v -> Format.number(v, 0))).isEqualTo("2 [1-3]");
        assertThat(Reports.cell(new double[] {2, 2, 2}, v -> Format.number(v, 0))).isEqualTo("2");
        assertThat(Reports.cell(new double[] {5 * S, Double.POSITIVE_INFINITY, 1 * S}, Reports::recovery))
                .isEqualTo("5 [1-never]");

        Scenario s = Scenarios.homogeneous().toBuilder().duration(Duration.ofSeconds(5)).build();
        List<List<RunResult>> bySeed = new ArrayList<>();
        for (long seed : new long[] {42, 7, 1234}) {
            Scenario seeded = s.toBuilder().seed(seed).build();
            bySeed.add(List.of(Simulation.run(seeded, SimPolicy.registered("round-robin")), Simulation.run(seeded, SimPolicy.oracle())));
        }
        String table = Reports.markdownSeeds(s, bySeed);
        double[] p99 = bySeed.stream().mapToDouble(runs -> runs.get(0).p99Nanos()).sorted().toArray();

        assertThat(table).contains("| round-robin | ")
                .contains(Format.millis(p99[1]) + " [" + Format.millis(p99[0]) + "-" + Format.millis(p99[2]) + "]");
    }
}
