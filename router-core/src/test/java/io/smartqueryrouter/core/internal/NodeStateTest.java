package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.NodeStatistic;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Peak-EWMA and plain EWMA of one node, against values worked out by hand on a fake clock, with the
 * router's defaults: prior 30 ms, tau 10 s. Every expected value is written as its formula.
 *
 * <p>Reading an idle node's Peak-EWMA decays its cost toward zero, {@code cost * exp(-dt / tau)}, as
 * Finagle's and Linkerd's balancers do; only a node with no sample yet reads as the prior.
 */
class NodeStateTest {
    private static final double MS = 1e6;
    private static final double PRIOR = 30 * MS;
    private static final double TAU_SECONDS = 10;

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final Ticker ticker = now::get;
    private final long start = ticker.read();
    private final NodeState<String> node = new NodeState<>(Node.of("a", "http://a"), PRIOR, TAU_SECONDS * 1e9, start);

    /** Moves the fake clock to {@code seconds} after the node was created. */
    private void at(double seconds) {
        now.set(start + Math.round(seconds * 1e9));
    }

    /** Runs one attempt of {@code latencyMs} that ends at the current fake time. */
    private int attempt(Outcome outcome, double latencyMs) {
        node.begin();
        return node.complete(outcome, Math.round(latencyMs * MS), ticker.read());
    }

    /**
     * Gives the node a history of {@code latencyMs} answers, now: the 64 answers over which the steady EWMA is a
     * plain mean, all of that latency, so it and the Peak-EWMA read {@code latencyMs} and later answers blend in
     * at the steady weights.
     */
    private void history(double latencyMs) {
        for (int i = 0; i < 64; i++) {
            attempt(Outcome.SUCCESS, latencyMs);
        }
    }

    private double peakMs() {
        return node.peakEwmaNanos(ticker.read()) / MS;
    }

    private double ewmaMs() {
        return node.ewmaNanos() / MS;
    }

    /** w = exp(-dt/tau), the weight the old cost keeps after dt seconds. */
    private static double w(double dtSeconds) {
        return Math.exp(-dtSeconds / TAU_SECONDS);
    }

    /**
     * The EWMA's weight of a success dt seconds after the previous one: 1 - w(dt), at most 1/8 and at least 1/64
     * (the node here keeps every statistic, {@code STEADY_EWMA} among them).
     */
    private static double a(double dtSeconds) {
        return Math.max(1.0 / 64, Math.min(1 - w(dtSeconds), 1.0 / 8));
    }

    private static void assertMs(double actualMs, double expectedMs) {
        assertThat(actualMs).isCloseTo(expectedMs, within(Math.abs(expectedMs) * 1e-6));
    }

    // ---------------------------------------------------------------- Peak-EWMA

    @Test
    void anUnknownNodeCostsThePriorOf30msAndReadingDoesNotDecayIt() {
        assertMs(peakMs(), 30);
        assertMs(ewmaMs(), 30);
        at(3600);
        assertMs(peakMs(), 30);
        assertMs(ewmaMs(), 30);
    }

    @Test
    void hasLatencySampleIsFalseUntilTheFirstSampleAndStaysTrueWhileIdle() {
        assertThat(node.hasLatencySample()).isFalse();
        at(3600);
        // an hour of reads is not a sample: the node still reads as the prior
        assertThat(node.hasLatencySample()).isFalse();
        assertMs(peakMs(), 30);
        // cancelled after less than the prior: the node may still be as slow as an unknown one
        attempt(Outcome.CANCELLED, 5);
        assertThat(node.hasLatencySample()).isFalse();
        attempt(Outcome.SUCCESS, 10);
        assertThat(node.hasLatencySample()).isTrue();
        at(7200);
        // an hour idle after the sample: still sampled, and it reads 10 ms x exp(-360) (about 4.5e-156 ms), not the prior
        assertThat(node.hasLatencySample()).isTrue();
        assertMs(peakMs(), 10 * w(3600));
        assertThat(peakMs()).isLessThan(1e-150);
    }

    @Test
    void theFirstSampleReplacesThePriorInsteadOfBlendingWithIt() {
        at(5);
        attempt(Outcome.SUCCESS, 10);
        // blending with the prior would give 30*w(5) + 10*(1-w(5)) = 22.13 ms
        assertMs(peakMs(), 10);
        assertMs(ewmaMs(), 10);
    }

    @Test
    void aHigherSampleJumpsStraightUp() {
        at(1);
        history(10);
        at(2);
        attempt(Outcome.SUCCESS, 50);
        assertMs(peakMs(), 50);
        // the plain EWMA does not jump: 10*w(1) + 50*(1-w(1)) = 13.806 ms
        assertMs(ewmaMs(), 10 * w(1) + 50 * (1 - w(1)));
        assertThat(ewmaMs()).isCloseTo(13.806, within(0.001));
    }

    @Test
    void aLowerSampleLeavesTheDecayedCostAndBlendsIntoThePlainEwma() {
        history(30);
        at(5);
        attempt(Outcome.SUCCESS, 10);
        // 30 ms, then 10 ms 5 s later, tau 10 s: the cost read just before was 30*exp(-0.5) = 18.196 ms, and a
        // faster sample does not raise it (blending into the stored 30 ms would give 22.131 ms)
        assertMs(peakMs(), 30 * w(5));
        assertThat(peakMs()).isCloseTo(18.196, within(0.001));
        // the plain EWMA blends, the sample weighing 1-exp(-0.5) = 0.39 capped at 1/8: 30 + (10 - 30)/8 = 27.5 ms
        assertMs(ewmaMs(), 30 + (10 - 30) * a(5));
        assertThat(ewmaMs()).isCloseTo(27.5, within(0.001));
    }

    @Test
    void twoSamplesAtTheSameInstantDoNotBlendIntoThePeakAndMoveTheSteadyAverageASixtyFourth() {
        history(40);
        attempt(Outcome.SUCCESS, 10);
        // dt = 0, so w = 1: the lower sample has no weight in the Peak-EWMA yet
        assertMs(peakMs(), 40);
        // the steady EWMA takes at least 1/64 of each answer, however close together: 40 + (10 - 40) / 64
        assertMs(ewmaMs(), 40 + (10 - 40) / 64.0);
        assertThat(ewmaMs()).isCloseTo(39.53125, within(1e-9));
    }

    @Test
    void aBusyNodesSteadyAverageForgetsASlowSpellWithinAFewHundredAnswersNotTau() {
        // 100 ms answers, then 10 ms ones 1 ms apart (a busy node whose queue drained): time-weighted alone, each
        // would take 1 - exp(-0.0001) = 0.01% and 300 of them (0.3 s) 3% of the way; with the 1/64 floor each
        // takes 1/64, so after 300 the average is 10 + 90 x (63/64)^300 = 10.8 ms
        history(100);
        for (int i = 0; i < 300; i++) {
            at(0.001 * (i + 1));
            attempt(Outcome.SUCCESS, 10);
        }
        assertThat(ewmaMs()).isCloseTo(10 + 90 * Math.pow(63.0 / 64, 300), within(1e-6));
        assertThat(ewmaMs()).isLessThan(11);
    }

    @Test
    void readingAnIdleSlowNodeDecaysItsCostTowardZero() {
        attempt(Outcome.SUCCESS, 100);
        at(5);
        // 100*exp(-0.5) = 60.653 ms (it passes below the 30 ms prior without stopping there)
        assertMs(peakMs(), 100 * w(5));
        assertThat(peakMs()).isCloseTo(60.653, within(0.001));
        at(20);
        // 100*exp(-2) = 13.534 ms
        assertMs(peakMs(), 100 * w(20));
        assertThat(peakMs()).isCloseTo(13.534, within(0.001));
        at(300);
        // 100*exp(-30) = 9.4e-12 ms
        assertMs(peakMs(), 100 * w(300));
        assertThat(peakMs()).isCloseTo(0, within(1e-9));
        // reading changed nothing: the plain EWMA never decays on read
        assertMs(ewmaMs(), 100);
    }

    @Test
    void readingAnIdleFastNodeDecaysItsCostDownTowardZeroNotUpToThePrior() {
        attempt(Outcome.SUCCESS, 5);
        at(10);
        // 5*exp(-1) = 1.839 ms (decaying toward the prior would have read 30 - 25*exp(-1) = 20.803 ms)
        assertMs(peakMs(), 5 * w(10));
        assertThat(peakMs()).isCloseTo(1.839, within(0.001));
    }

    @Test
    void anIdleSlowNodeReadsBelowABusyFastNodeAfterTauTimesLn20() {
        // a fast node that keeps getting 5 ms samples reads 5 ms; the slow node had one 100 ms sample at 0 s
        NodeState<String> fast = new NodeState<>(Node.of("b", "http://b"), PRIOR, TAU_SECONDS * 1e9, start);
        attempt(Outcome.SUCCESS, 100);
        double crossingSeconds = TAU_SECONDS * Math.log(100 / 5.0); // 100*exp(-t/10) = 5  <=>  t = 10*ln(20) = 29.957 s
        assertThat(crossingSeconds).isCloseTo(29.957, within(0.001));
        for (int s = 0; s <= 31; s++) {
            at(s);
            fast.begin();
            fast.complete(Outcome.SUCCESS, Math.round(5 * MS), ticker.read());
            double fastMs = fast.peakEwmaNanos(ticker.read()) / MS;
            assertMs(fastMs, 5);
            if (s == 29) {
                // 100*exp(-2.9) = 5.502 ms: still dearer than the fast node
                assertMs(peakMs(), 100 * w(29));
                assertThat(peakMs()).isCloseTo(5.502, within(0.001)).isGreaterThan(fastMs);
            } else if (s == 31) {
                // 100*exp(-3.1) = 4.505 ms: now cheaper, so P2C gives it a call and its next sample decides
                assertMs(peakMs(), 100 * w(31));
                assertThat(peakMs()).isCloseTo(4.505, within(0.001)).isLessThan(fastMs);
            }
        }
        at(crossingSeconds);
        assertMs(peakMs(), 5);
    }

    @Test
    void aFastSuccessAfterAnIdleSpellNeverRaisesTheCost() {
        attempt(Outcome.SUCCESS, 100);
        at(20);
        assertMs(peakMs(), 100 * w(20)); // 13.534 ms
        attempt(Outcome.SUCCESS, 10);
        // a 10 ms sample below the 13.534 ms reading leaves it (blending into the stored 100 ms gave 22.180 ms)
        assertMs(peakMs(), 100 * w(20));
        at(25);
        // and the decay goes on: 100*exp(-2.5) = 8.208 ms
        assertMs(peakMs(), 100 * w(25));
        assertThat(peakMs()).isCloseTo(8.208, within(0.001));
    }

    @Test
    void aRecoveredNodeCostsItsFirstFastAnswerNotMoreAfterAFailureAndAnIdleSpell() {
        // the case of issue 13: a failure raises the cost to the 30 ms prior, 20 s idle decay it to 4.06 ms
        attempt(Outcome.SUCCESS, 5);
        at(1);
        attempt(Outcome.FAILURE, 1);
        assertMs(peakMs(), 30);
        at(21);
        assertThat(peakMs()).isCloseTo(4.060, within(0.001));
        // one 5 ms success: the cost is 5 ms, the sample itself (blending into the stored 30 ms gave 8.38 ms)
        attempt(Outcome.SUCCESS, 5);
        assertMs(peakMs(), 5);
        // a 3 ms success a second later does not raise the 5 x exp(-0.1) = 4.524 ms it reads then
        at(22);
        attempt(Outcome.SUCCESS, 3);
        assertMs(peakMs(), 5 * w(1));
        assertThat(peakMs()).isCloseTo(4.524, within(0.001));
    }

    @Test
    void aSampleWithANegativeLatencyCountsAsZero() {
        node.begin();
        node.complete(Outcome.SUCCESS, -5_000_000, ticker.read());
        assertThat(node.peakEwmaNanos(ticker.read())).isZero();
        assertThat(node.ewmaNanos()).isZero();
    }

    // ---------------------------------------------------------------- failures

    @Test
    void aFastFailureBeforeAnySampleCostsThePriorAndEndsTheUnknownState() {
        at(1);
        attempt(Outcome.FAILURE, 1);
        // a node that failed is no longer unknown, and costs at least the prior
        assertThat(node.hasLatencySample()).isTrue();
        assertMs(peakMs(), 30);
        assertMs(ewmaMs(), 30);
        at(2);
        attempt(Outcome.SUCCESS, 10);
        // the faster success leaves the 30 ms the failure set 1 s ago, as read now: 30*exp(-0.1) = 27.145 ms
        assertMs(peakMs(), 30 * w(1));
        assertThat(peakMs()).isCloseTo(27.145, within(0.001));
        // the plain EWMA never saw the failure: the success is its first sample
        assertMs(ewmaMs(), 10);
    }

    @Test
    void aSlowFailureBeforeAnySampleRaisesTheCostAboveThePrior() {
        attempt(Outcome.FAILURE, 200);
        assertMs(peakMs(), 200);
        at(10);
        // 200*exp(-1) = 73.576 ms
        assertMs(peakMs(), 200 * w(10));
        assertThat(peakMs()).isCloseTo(73.576, within(0.001));
        // failures do not enter the plain EWMA
        assertMs(ewmaMs(), 30);
    }

    @Test
    void aFailureFasterThanTheCostLeavesItWhereItWas() {
        attempt(Outcome.SUCCESS, 50);
        at(1);
        double before = peakMs();
        attempt(Outcome.FAILURE, 5);
        assertMs(peakMs(), before);
        assertMs(peakMs(), 50 * w(1)); // 45.242 ms
        assertMs(ewmaMs(), 50);
        at(4);
        // and it did not restart the decay either: 50*exp(-0.4) = 33.516 ms
        assertMs(peakMs(), 50 * w(4));
        assertThat(peakMs()).isCloseTo(33.516, within(0.001));
    }

    @Test
    void aFailureSlowerThanTheCostJumpsStraightUp() {
        attempt(Outcome.SUCCESS, 50);
        at(2);
        attempt(Outcome.FAILURE, 200);
        assertMs(peakMs(), 200);
        at(7);
        attempt(Outcome.OVERLOADED, 400);
        assertMs(peakMs(), 400);
        assertMs(ewmaMs(), 50);
    }

    @Test
    void aFastFailureRaisesAnIdleFastNodeBackToThePrior() {
        attempt(Outcome.SUCCESS, 5);
        at(10);
        assertMs(peakMs(), 5 * w(10)); // 1.839 ms, decaying toward zero
        attempt(Outcome.FAILURE, 1);
        // a 1 ms failure must not leave the node looking cheap: it costs the 30 ms prior again
        assertMs(peakMs(), 30);
        attempt(Outcome.OVERLOADED, 1);
        assertMs(peakMs(), 30);
        at(20);
        // and decays from there: 30*exp(-1) = 11.036 ms
        assertMs(peakMs(), 30 * w(10));
        assertThat(peakMs()).isCloseTo(11.036, within(0.001));
        assertMs(ewmaMs(), 5);
    }

    @Test
    void aFailureSlowerThanTheDecayedCostOfAnIdleNodeRaisesIt() {
        attempt(Outcome.SUCCESS, 100);
        at(20);
        assertMs(peakMs(), 100 * w(20)); // 13.534 ms
        attempt(Outcome.FAILURE, 60);
        // compared with the 13.534 ms reading, not the stored 100 ms: a 60 ms failure must cost at least what a
        // 60 ms success would, and the node is not cheaper than 60 ms
        assertMs(peakMs(), 60);
        at(30);
        // 60*exp(-1) = 22.073 ms
        assertMs(peakMs(), 60 * w(10));
        assertThat(peakMs()).isCloseTo(22.073, within(0.001));
    }

    @Test
    void cancelledRaisesTheCostToItsWaitAndBlamesNothing() {
        history(20);
        at(1);
        assertThat(attempt(Outcome.FAILURE, 5)).isEqualTo(1);
        assertThat(attempt(Outcome.FAILURE, 5)).isEqualTo(2);
        at(3);
        // cancelled after 10 ms: below the cost read now (30 x exp(-0.2) = 24.562 ms), changes nothing
        assertThat(attempt(Outcome.CANCELLED, 10)).isEqualTo(2);
        assertThat(peakMs()).isCloseTo(24.562, within(0.001));
        // cancelled after 500 ms (a hedge that lost, a caller that gave up): the node takes at least that long
        assertThat(attempt(Outcome.CANCELLED, 500)).isEqualTo(2);
        assertThat(node.consecutiveFailures()).isEqualTo(2);
        assertMs(peakMs(), 500);
        // the 500 ms wait says more than the 20 ms average, so the plain EWMA takes it as a sample too (else a
        // node that stalls while hedges win elsewhere would keep its old average): 20*w(3) + 500*(1-w(3)) =
        // 144.407 ms; the 10 ms wait, below the average, said nothing
        double ewma = 20 * w(3) + 500 * (1 - w(3));
        assertMs(ewmaMs(), ewma);
        assertThat(ewmaMs()).isCloseTo(144.407, within(0.001));
        assertThat(node.completed(Outcome.CANCELLED)).isEqualTo(2);
        assertThat(node.inFlight()).isZero();
        at(5);
        attempt(Outcome.SUCCESS, 10);
        // a success after 2 s weighs 1/8 (1 - w(2) = 0.18 is over the cap)
        assertMs(ewmaMs(), ewma + (10 - ewma) * a(2));
        assertMs(peakMs(), 500 * w(2));
    }

    @Test
    void cancelledBeforeAnySampleKeepsThePriorUnlessItWaitedLonger() {
        attempt(Outcome.CANCELLED, 5);
        assertMs(peakMs(), 30);
        assertMs(ewmaMs(), 30);
        assertThat(node.hasLatencySample()).isFalse();
        attempt(Outcome.CANCELLED, 500);
        assertMs(peakMs(), 500);
        assertMs(ewmaMs(), 30);
        assertThat(node.forecastNanos(0) / 1e6).isCloseTo(500, within(1e-3));
    }

    /** Ends an attempt begun {@code latencyMs} before the current fake time (begun with {@link NodeState#begin()}). */
    private void end(Outcome outcome, double latencyMs) {
        node.complete(outcome, Math.round(latencyMs * MS), ticker.read());
    }

    private int outstanding() {
        return node.outstanding(ticker.read());
    }

    @Test
    void aCancelledAttemptKeepsCountingInTheLoadUntilTheNodeAnswersAnAttemptBegunAfterIt() {
        attempt(Outcome.SUCCESS, 20);
        at(1);
        node.begin(); // "ahead": begun before the attempt that will be cancelled
        at(1.010);
        node.begin(); // "lost": its hedge will win elsewhere
        at(1.110);
        end(Outcome.CANCELLED, 100);
        // the caller stopped waiting, the server did not: out of flight, still in the load a policy weighs
        assertThat(node.inFlight()).isEqualTo(1);
        assertThat(outstanding()).isEqualTo(2);
        at(1.120);
        end(Outcome.SUCCESS, 120); // "ahead" answers: it was before "lost" in the node's queue, which says nothing
        assertThat(node.inFlight()).isZero();
        assertThat(outstanding()).as("the cancelled attempt, still on the node").isEqualTo(1);
        node.begin();
        at(1.130);
        end(Outcome.FAILURE, 10); // a failure is no answer: a server that fails may still be busy
        assertThat(outstanding()).isEqualTo(1);
        node.begin();
        at(1.140);
        end(Outcome.SUCCESS, 10); // begun at 1.130 s, after "lost" (1.010 s): a node serving in order has done it
        assertThat(node.inFlight()).isZero();
        assertThat(outstanding()).isZero();
        assertThat(node.completed(Outcome.CANCELLED)).isEqualTo(1);
    }

    @Test
    void aCancelledAttemptCountsForAsLongAgainAsItWaitedOrThePeakEwmaIfLonger() {
        attempt(Outcome.SUCCESS, 20);
        at(1);
        node.begin();
        at(1.1);
        end(Outcome.CANCELLED, 100);
        // its 100 ms wait raised the Peak-EWMA to 100 ms: it counts until 1.1 s + 100 ms
        assertMs(peakMs(), 100);
        at(1.199);
        assertThat(outstanding()).isEqualTo(1);
        at(1.2);
        assertThat(outstanding()).isZero();
        assertThat(node.outstanding(ticker.read() - Math.round(0.05e9))).isEqualTo(1);

        // a node that answered in 500 ms at 2 s: cancelled after 100 ms at 3 s, it counts for the node's Peak-EWMA,
        // 500 x w(1) = 452.4 ms, not its own wait; a second cancel at 3.1 s counts too, and its later end,
        // 3.1 s + 500 x w(1.1) = 3.548 s, holds for both
        at(2);
        attempt(Outcome.SUCCESS, 500);
        at(2.9);
        node.begin();
        node.begin();
        at(3);
        end(Outcome.CANCELLED, 100);
        assertThat(outstanding()).isEqualTo(2); // one in flight, one cancelled
        at(3.1);
        end(Outcome.CANCELLED, 200);
        double until = 3.1 + 500 * w(1.1) / 1000;
        assertThat(node.inFlight()).isZero();
        assertThat(outstanding()).isEqualTo(2);
        at(until - 0.001);
        assertThat(outstanding()).isEqualTo(2);
        at(until + 0.001);
        assertThat(outstanding()).isZero();
        // counted from one again after the earlier ones' time passed
        node.begin();
        at(until + 0.101);
        end(Outcome.CANCELLED, 100);
        assertThat(outstanding()).isEqualTo(1);
    }

    @Test
    void withoutCancelsTheLoadIsTheInFlightCount() {
        node.begin();
        node.begin();
        assertThat(outstanding()).isEqualTo(2);
        at(1);
        end(Outcome.FAILURE, 1000);
        end(Outcome.SUCCESS, 1000);
        assertThat(outstanding()).isZero();
    }

    @Test
    void clientErrorRecordsItsLatencyAndResetsConsecutiveFailures() {
        at(1);
        attempt(Outcome.FAILURE, 1);
        attempt(Outcome.OVERLOADED, 1);
        assertThat(attempt(Outcome.FAILURE, 1)).isEqualTo(3);
        assertThat(attempt(Outcome.CLIENT_ERROR, 12)).isZero();
        assertThat(node.consecutiveFailures()).isZero();
        // the failures set the cost to the prior at this very instant, so nothing blends yet; the plain EWMA
        // takes the client error as its first sample
        assertMs(peakMs(), 30);
        assertMs(ewmaMs(), 12);
        at(3);
        attempt(Outcome.CLIENT_ERROR, 4);
        assertMs(peakMs(), 30 * w(2));
        // its second answer: the mean of the two (the steady average's first 64 answers weigh alike)
        assertMs(ewmaMs(), (12 + 4) / 2.0);
    }

    // ---------------------------------------------------------------- plain EWMA

    @Test
    void plainEwmaBlendsEverySampleOverTime() {
        history(100);
        at(5);
        attempt(Outcome.SUCCESS, 10);
        // 5 s apart the sample would weigh 1 - w(5) = 0.39; one sample weighs at most 1/8: 88.75 ms
        double e1 = 100 + (10 - 100) * a(5);
        assertMs(ewmaMs(), e1);
        assertThat(ewmaMs()).isCloseTo(88.75, within(0.001));
        at(15);
        attempt(Outcome.SUCCESS, 200);
        double e2 = e1 + (200 - e1) * a(10); // a higher sample blends too, capped alike: 102.656 ms
        assertMs(ewmaMs(), e2);
        assertThat(ewmaMs()).isCloseTo(102.656, within(0.001));
        at(16);
        attempt(Outcome.CLIENT_ERROR, 20);
        // 1 s apart the sample weighs 1 - w(1) = 0.095, under the cap: the plain time-weighted blend
        assertMs(ewmaMs(), e2 * w(1) + 20 * (1 - w(1)));
        // Peak-EWMA over the same samples, for contrast: 200 jumps, and the 20 ms after it leaves 200 decayed
        assertMs(peakMs(), 200 * w(1));
    }

    @Test
    void theSteadyAverageOfAFreshNodeIsTheMeanOfItsFirstAnswersSoALuckyFirstOneDoesNotStandForIt() {
        // a 5x slow node (100 ms on average) whose first answer came in 5 ms (exponential service: one first answer
        // in five is under a fifth of the mean), then nine of 100 ms, 0.1 s apart: the mean, 90.5 ms; the first answer
        // standing for the average and each later one moving it 1/64 (their time weight, 1 - w(0.1) = 1%, is under the
        // floor) left 5 + 95 x (1 - (63/64)^9) = 17.6 ms, a fast node's
        attempt(Outcome.SUCCESS, 5);
        for (int i = 1; i <= 9; i++) {
            at(0.1 * i);
            attempt(Outcome.SUCCESS, 100);
        }
        assertMs(ewmaMs(), (5 + 9 * 100) / 10.0);
        // up to the 64th answer, the mean of them all
        for (int i = 10; i < 64; i++) {
            at(0.1 * i);
            attempt(Outcome.SUCCESS, 100);
        }
        double mean = (5 + 63 * 100) / 64.0;
        assertMs(ewmaMs(), mean);
        // from the 65th on, the steady weights: 1/64 for an answer 0.1 s later
        at(6.4);
        attempt(Outcome.SUCCESS, 36);
        assertMs(ewmaMs(), mean + (36 - mean) * a(0.1));
        assertThat(a(0.1)).isEqualTo(1.0 / 64);
        // a node whose latency is forgotten (back from an ejection) starts its mean again
        node.forgetLatency();
        attempt(Outcome.SUCCESS, 40);
        attempt(Outcome.SUCCESS, 10);
        assertMs(ewmaMs(), 25);
    }

    @Test
    void oneFastAnswerAfterALongIdleSpellMovesTheSteadyEwmaAnEighthOfTheWay() {
        // a node averaging 12 ms answers once, 20 s later, in 2 ms (an exponential service time's lucky draw: one
        // answer in five is under a quarter of the mean); time-weighted alone the sample weighed 1 - exp(-2) = 86%
        // and the average fell to 3.35 ms, a fast node's; capped at 1/8 it is 10.75 ms
        history(12);
        at(20);
        attempt(Outcome.SUCCESS, 2);
        assertMs(ewmaMs(), 12 + (2 - 12) / 8.0);
        assertThat(ewmaMs()).isGreaterThan(10);
        // a node that really became faster still shows it: ten more such answers 2 s apart bring it under 5 ms
        for (int i = 1; i <= 10; i++) {
            at(20 + 2 * i);
            attempt(Outcome.SUCCESS, 2);
        }
        assertMs(ewmaMs(), 2 + 10 * Math.pow(7.0 / 8, 11));
        assertThat(ewmaMs()).isLessThan(5);
    }

    @Test
    void withoutSteadyTheEwmaTakesASparseAnswerAtItsTimeWeight() {
        // lowest-latency's average (EWMA, not STEADY_EWMA): a node it left during a slowdown must look fast again at
        // its first fast answer, or every call stays on the node it moved to
        NodeState<String> plain = new NodeState<>(Node.of("b", "http://b"), PRIOR, TAU_SECONDS * 1e9, start,
                EnumSet.of(NodeStatistic.EWMA));
        plain.begin();
        plain.complete(Outcome.SUCCESS, Math.round(12 * MS), start);
        long later = start + Math.round(20e9);
        plain.begin();
        plain.complete(Outcome.SUCCESS, Math.round(2 * MS), later);
        assertMs(plain.ewmaNanos() / MS, 12 * w(20) + 2 * (1 - w(20)));
        assertThat(plain.ewmaNanos() / MS).isLessThan(4);
    }

    @Test
    void aSuccessAfterAFailureDecaysEachAverageOverItsOwnInterval() {
        history(10);
        at(0.5);
        // the failure raises the Peak-EWMA to 50 ms and moves its stamp; the plain EWMA takes no failure, nor its stamp
        attempt(Outcome.FAILURE, 50);
        at(1.2);
        attempt(Outcome.SUCCESS, 20);
        // a lower sample leaves the Peak-EWMA decayed over the 0.7 s since the raise ...
        assertMs(peakMs(), 50 * w(0.7));
        // ... and blends into the plain EWMA over the 1.2 s since its own last sample, not the Peak-EWMA's 0.7 s
        // (gaps under the 1/8 cap, 1.34 s at tau 10 s, so the weight is the plain 1 - w)
        assertMs(ewmaMs(), 10 * w(1.2) + 20 * (1 - w(1.2)));
        at(2.2);
        attempt(Outcome.SUCCESS, 20);
        // both stamps stood at 1.2 s: one decay over 1 s for both
        assertMs(peakMs(), 50 * w(0.7) * w(1));
        assertMs(ewmaMs(), (10 * w(1.2) + 20 * (1 - w(1.2))) * w(1) + 20 * (1 - w(1)));
    }

    @Test
    void concurrentSuccessesLeaveEachAverageABlendOfTheirSamplesAndTheCountsExact() throws InterruptedException {
        // successes store their samples into the averages without a CAS (NodeState's class comment): one that races
        // another may be lost, but every value written is a blend of samples, and the counts stay exact
        int threads = 4;
        int each = 50_000;
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    long begun = now.addAndGet(1_000);
                    node.begin(begun);
                    long latency = Math.round((i % 2 == 0 ? 2 : 8) * MS);
                    node.complete(Outcome.SUCCESS, latency, now.addAndGet(1_000));
                }
            });
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(w.isAlive()).isFalse();
        }
        assertThat(node.inFlight()).isZero();
        assertThat(node.completed(Outcome.SUCCESS)).isEqualTo((long) threads * each);
        assertThat(node.requests()).isEqualTo((long) threads * each);
        assertThat(ewmaMs()).isBetween(2.0, 8.0);
        // the Peak-EWMA follows the 8 ms samples, decayed by at most the 0.4 s of fake time the run took
        assertThat(peakMs()).isBetween(8 * w(0.4), 8.0);
    }

    @Test
    void plainEwmaDoesNotDecayWhileIdle() {
        attempt(Outcome.SUCCESS, 80);
        at(1000);
        assertMs(ewmaMs(), 80);
    }

    // ---------------------------------------------------------------- counts

    @Test
    void countsInFlightRequestsAndEachOutcome() {
        for (int i = 0; i < 7; i++) {
            node.begin();
        }
        assertThat(node.inFlight()).isEqualTo(7);
        assertThat(node.requests()).isEqualTo(7);
        long t = ticker.read();
        assertThat(node.complete(Outcome.SUCCESS, 1, t)).isZero();
        assertThat(node.complete(Outcome.FAILURE, 1, t)).isEqualTo(1);
        assertThat(node.complete(Outcome.OVERLOADED, 1, t)).isEqualTo(2);
        assertThat(node.complete(Outcome.CANCELLED, 1, t)).isEqualTo(2);
        assertThat(node.inFlight()).isEqualTo(3);
        assertThat(node.complete(Outcome.FAILURE, 1, t)).isEqualTo(3);
        assertThat(node.complete(Outcome.CLIENT_ERROR, 1, t)).isZero();
        assertThat(node.complete(Outcome.SUCCESS, 1, t)).isZero();
        assertThat(node.inFlight()).isZero();
        assertThat(node.requests()).isEqualTo(7);
        assertThat(node.completed(Outcome.SUCCESS)).isEqualTo(2);
        assertThat(node.completed(Outcome.FAILURE)).isEqualTo(2);
        assertThat(node.completed(Outcome.OVERLOADED)).isEqualTo(1);
        assertThat(node.completed(Outcome.CLIENT_ERROR)).isEqualTo(1);
        assertThat(node.completed(Outcome.CANCELLED)).isEqualTo(1);
        assertThat(node.consecutiveFailures()).isZero();
    }

    @Test
    void theSuccessCountSharingTheInFlightWordStaysExactPastTwoToThe31And32() {
        long t = ticker.read();
        for (long from : new long[] {(1L << 31) - 2, (1L << 32) - 2, 3 * (1L << 31) - 2, (5L << 32) - 2}) {
            NodeState<String> n = new NodeState<>(Node.of("a", "http://a"), PRIOR, TAU_SECONDS * 1e9, start);
            n.presetSuccesses(from);
            n.begin();
            n.begin();
            n.begin();
            n.complete(Outcome.SUCCESS, 1, t);
            n.complete(Outcome.FAILURE, 1, t);
            assertThat(n.inFlight()).isEqualTo(1);
            n.complete(Outcome.SUCCESS, 1, t);
            n.begin();
            n.complete(Outcome.SUCCESS, 1, t);
            assertThat(n.inFlight()).as("from %d", from).isZero();
            assertThat(n.completed(Outcome.SUCCESS)).as("from %d", from).isEqualTo(from + 3);
            assertThat(n.completed(Outcome.FAILURE)).isEqualTo(1);
            assertThat(n.completedTotal()).isEqualTo(from + 4);
            assertThat(n.requests()).isEqualTo(from + 4);
            n.begin();
            assertThat(n.requests()).isEqualTo(from + 5);
            n.complete(Outcome.SUCCESS, 1, t);
            assertThat(n.inFlight()).isZero();
            assertThat(n.completed(Outcome.SUCCESS)).isEqualTo(from + 4);
            assertThat(n.requests()).isEqualTo(from + 5);
        }
    }

    @Test
    void aReaderCountsACrossingOfTwoToThe31WhoseCompletionHasNotSaidSoYet() {
        // the completion that carries the count across 2^31 adds one to "halves" just after its add to the word
        assertThat(NodeState.successes(0, (1L << 31) << 32)).isEqualTo(1L << 31);
        assertThat(NodeState.successes(1, (1L << 31) << 32)).isEqualTo(1L << 31);
        assertThat(NodeState.successes(1, ((1L << 31) + 7) << 32 | 3)).isEqualTo((1L << 31) + 7);
        assertThat(NodeState.successes(1, 0)).as("the wrap past 2^32 not yet said").isEqualTo(1L << 32);
        assertThat(NodeState.successes(2, 5L << 32)).isEqualTo((1L << 32) + 5);
        assertThat(NodeState.successes(2, 5L << 32 | 9)).as("in flight does not count").isEqualTo((1L << 32) + 5);
    }

    @Test
    void concurrentCompletionsCountExactlyAcrossTwoToThe31() throws InterruptedException {
        long from = (1L << 31) - 5_000;
        node.presetSuccesses(from);
        int threads = 4;
        int each = 20_000;
        Thread[] workers = new Thread[threads];
        for (int w = 0; w < threads; w++) {
            int id = w;
            workers[w] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    node.begin();
                    node.complete(i % 10 == id ? Outcome.FAILURE : Outcome.SUCCESS, 1_000, ticker.read());
                }
            });
            workers[w].start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(w.isAlive()).isFalse();
        }
        long failures = (long) threads * (each / 10);
        assertThat(node.inFlight()).isZero();
        assertThat(node.completed(Outcome.FAILURE)).isEqualTo(failures);
        assertThat(node.completed(Outcome.SUCCESS)).isEqualTo(from + (long) threads * each - failures);
        assertThat(node.requests()).isEqualTo(from + (long) threads * each);
    }

    @Test
    void aNewNodeIsHealthyAvailableAndHasNoCounts() {
        assertThat(node.inFlight()).isZero();
        assertThat(node.requests()).isZero();
        for (Outcome o : Outcome.values()) {
            assertThat(node.completed(o)).isZero();
        }
        assertThat(node.healthy()).isTrue();
        assertThat(node.ejected()).isFalse();
        assertThat(node.available()).isTrue();
        assertThat(node.weight()).isEqualTo(1);
    }

    @Test
    void theFailureRatioIsAMovingAverageOverAboutSixteenAnswersThatFadesWhileIdle() {
        // nothing counted yet
        assertThat(node.failureRatio(ticker.read())).isEqualTo(0.0);
        // each answered attempt moves it 1/16 of the way to 1 (failed) or 0 (answered)
        attempt(Outcome.FAILURE, 20);
        assertThat(node.failureRatio(ticker.read())).isCloseTo(1.0 / 16, within(1e-9));
        attempt(Outcome.OVERLOADED, 20);
        double expected = 1.0 / 16 + (1 - 1.0 / 16) / 16;
        assertThat(node.failureRatio(ticker.read())).isCloseTo(expected, within(1e-9));
        attempt(Outcome.SUCCESS, 20);
        expected *= 15.0 / 16;
        assertThat(node.failureRatio(ticker.read())).isCloseTo(expected, within(1e-9));
        // a client error is an answer; a cancelled attempt is no answer: unchanged
        attempt(Outcome.CLIENT_ERROR, 20);
        expected *= 15.0 / 16;
        attempt(Outcome.CANCELLED, 20);
        assertThat(node.failureRatio(ticker.read())).isCloseTo(expected, within(1e-9));
        // idle 10 s (one tau): x exp(-1), and the next answer moves that
        at(10);
        assertThat(node.failureRatio(ticker.read())).isCloseTo(expected * Math.exp(-1), within(1e-9));
        attempt(Outcome.FAILURE, 20);
        expected = expected * Math.exp(-1) + (1 - expected * Math.exp(-1)) / 16;
        assertThat(node.failureRatio(ticker.read())).isCloseTo(expected, within(1e-9));
        // about 100 answers after a lone failure it is below 1e-4 and reads exactly 0 again
        for (int i = 0; i < 110; i++) {
            attempt(Outcome.SUCCESS, 20);
        }
        assertThat(node.failureRatio(ticker.read())).isEqualTo(0.0);
        // forgetting the node's latency (it rejoins after an ejection) forgets its failures too
        attempt(Outcome.FAILURE, 20);
        node.forgetLatency();
        assertThat(node.failureRatio(ticker.read())).isEqualTo(0.0);
    }

    @Test
    void theFailureRatioIsZeroWhenThePolicyDoesNotDeclareIt() {
        NodeState<String> without = new NodeState<>(Node.of("b", "http://b"), PRIOR, TAU_SECONDS * 1e9, start,
                java.util.EnumSet.of(io.smartqueryrouter.core.spi.NodeStatistic.EWMA));
        without.begin();
        without.complete(Outcome.FAILURE, 1_000_000, ticker.read());
        assertThat(without.failureRatio(ticker.read())).isEqualTo(0.0);
    }
}
