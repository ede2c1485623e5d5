package io.smartqueryrouter.core.internal;

import static io.smartqueryrouter.core.internal.Answers.answer;
import static io.smartqueryrouter.core.internal.Answers.history;
import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code pool-ewma} on real node statistics fed on a simulated clock (nanoseconds passed by hand). */
class PoolEwmaPolicyTest {
    private static final double PRIOR = 30e6;
    private static final double TAU = 10e9;
    private static final long MS = 1_000_000;

    private final PoolEwmaPolicy policy = new PoolEwmaPolicy();
    private final SplittableRandom random = new SplittableRandom(13);

    /** The service latency of this test's "router", shared by the nodes of {@link #routerNode} as a registry shares it. */
    private final ServiceLatency service = new ServiceLatency();

    /** A node alone: its service latency is its own, so its answers never discount its cost. */
    private static NodeState<String> node(String id) {
        return new NodeState<>(Node.of(id, id), PRIOR, TAU, 0, policyStatistics());
    }

    /** A node of this test's router: the service latency is every such node's answers'. */
    private NodeState<String> routerNode(String id) {
        return new NodeState<>(Node.of(id, id), PRIOR, TAU, 0, policyStatistics(), service);
    }

    private static java.util.Set<NodeStatistic> policyStatistics() {
        return new PoolEwmaPolicy().statistics();
    }

    @Test
    void aNodeSilentWithACallOutCostsAtLeastItsSilence() {
        NodeState<String> stalling = node("stalling");
        NodeState<String> steady = node("steady");
        history(stalling, 10, 0);
        answer(steady, 25, 0);
        stalling.begin(0);
        Candidates both = Candidates.of(stalling, steady);
        // after 10 ms without an answer: max(10 ms EWMA, 10 ms silent) x (1 + 2) = 30 ms against 25 ms x 2 = 50 ms
        assertThat(PoolEwmaPolicy.cost(stalling, 10 * MS) / MS).isEqualTo(10.0);
        assertThat(policy.select(both, 10 * MS, random)).isEqualTo(0);
        // after 20 ms it costs its 20 ms of silence: 20 x 3 = 60 ms against 50 ms, so the call goes elsewhere
        assertThat(PoolEwmaPolicy.cost(stalling, 20 * MS) / MS).isEqualTo(20.0);
        assertThat(policy.select(both, 20 * MS, random)).isEqualTo(1);
        // a 300 ms pause: 300 ms
        assertThat(PoolEwmaPolicy.cost(stalling, 300 * MS) / MS).isEqualTo(300.0);
        // its answer ends the silence: back to its EWMA, 10 ms x exp(-0.03) + 300 ms x (1 - exp(-0.03)) = 18.57 ms
        stalling.complete(Outcome.SUCCESS, 300 * MS, 300 * MS);
        assertThat(PoolEwmaPolicy.cost(stalling, 300 * MS) / MS).isCloseTo(18.57, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aSilenceBeginsWhenACallGoesToAnIdleNodeNotAtItsLastAnswer() {
        NodeState<String> s = node("idle");
        answer(s, 10, 0);
        // idle for 5 s, then one call: 1 ms later it has waited 1 ms, not 5 s
        s.begin(5_000 * MS);
        assertThat(PoolEwmaPolicy.cost(s, 5_001 * MS) / MS).isEqualTo(10.0);
        assertThat(PoolEwmaPolicy.cost(s, 5_030 * MS) / MS).isEqualTo(30.0);
        // a second call does not restart the wait; an answer does
        s.begin(5_030 * MS);
        assertThat(PoolEwmaPolicy.cost(s, 5_040 * MS) / MS).isEqualTo(40.0);
        s.complete(Outcome.SUCCESS, 40 * MS, 5_040 * MS);
        assertThat(s.waitingSinceNanos()).isEqualTo(5_040 * MS);
        // a cancelled attempt (a hedge that lost) is no answer
        s.complete(Outcome.CANCELLED, 20 * MS, 5_050 * MS);
        assertThat(s.waitingSinceNanos()).isEqualTo(5_040 * MS);
    }

    @Test
    void scoresCostTimesInFlightPlusTwoOverWeight() {
        NodeState<String> busy = node("busy");
        NodeState<String> idle = node("idle");
        answer(busy, 10, 0);
        answer(idle, 19, 0);
        busy.begin(0);
        busy.begin(0);
        // 10 ms x (2 + 2) = 40 ms against 19 ms x 2 = 38 ms
        assertThat(policy.select(Candidates.of(busy, idle), 0, random)).isEqualTo(1);
        NodeState<String> slower = node("slower");
        answer(slower, 21, 0);
        // against 21 ms x 2 = 42 ms
        assertThat(new PoolEwmaPolicy().select(Candidates.of(busy, slower), 0, random)).isEqualTo(0);
        NodeState<String> heavy = new NodeState<>(Node.builder("heavy", "heavy").weight(3).build(), PRIOR, TAU, 0, policyStatistics());
        answer(heavy, 25, 0);
        // weight 3: 25 / 3 = 8.33 ms x 2 = 16.7 ms against busy's 40 ms
        assertThat(new PoolEwmaPolicy().select(Candidates.of(busy, heavy), 0, random)).isEqualTo(1);
    }

    /**
     * {@code rounds} rounds of answers, each to an attempt that found 0, 1, ... {@code ahead.length - 1} of the
     * router's own attempts in flight: the i-th answered in {@code latencyMs[i]}.
     */
    private static long rounds(NodeState<?> s, int rounds, int[] ahead, double[] latencyMs, long now) {
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < ahead.length; i++) {
                s.begin(now);
                now += MS;
                s.complete(Outcome.SUCCESS, Math.round(latencyMs[i] * 1e6), now, ahead[i]);
            }
        }
        return now;
    }

    @Test
    void callsInFlightOnANodeThatServesThemSideBySideWeighLessOnceTheRouterIsMostOfItsLoad() {
        int[] ahead = {0, 1, 2, 3, 4, 5};
        NodeState<String> wide = node("wide");
        NodeState<String> narrow = node("narrow");
        long now = rounds(wide, 50, ahead, new double[] {10, 10, 10, 10, 10, 10}, 0);
        rounds(narrow, 50, ahead, new double[] {10, 20, 30, 40, 50, 60}, 0);
        // wide answers k + 1 calls in one solo latency: 1/2 to 1/6 of it each (0.29 on average); narrow one each
        assertThat(wide.loadGrowth()).isCloseTo(0.29, org.assertj.core.data.Offset.offset(0.02));
        assertThat(narrow.loadGrowth()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.01));
        NodeState<String> slow = node("slow");
        answer(slow, 30, now);
        for (int i = 0; i < 6; i++) {
            wide.begin(now);
        }
        // 10 ms x (6 x 0.29 + 2) = 37.4 ms against 30 ms x 2 = 60 ms: six calls on a node that serves them side by
        // side do not send the seventh to a node three times slower (counted as one each: 10 x 8 = 80 ms, they would)
        assertThat(policy.select(Candidates.of(wide, slow), now, random)).isEqualTo(0);
        for (int i = 0; i < 6; i++) {
            narrow.begin(now);
        }
        assertThat(policy.select(Candidates.of(narrow, slow), now, random)).isEqualTo(1);
    }

    @Test
    void aRouterWithFewOfItsOwnCallsOnANodeCountsEachOfThemAsOne() {
        // most attempts find none of the router's own in flight (many clients share the node): what little its
        // own calls add says nothing of the node's capacity, and counting each as one keeps clients from herding
        NodeState<String> shared = node("shared");
        rounds(shared, 100, new int[] {0, 0, 0, 1}, new double[] {10, 10, 10, 10}, 0);
        assertThat(shared.loadGrowth()).isEqualTo(1.0);
        // about one and a half on average: about half the learnt value (0.36: a third of a solo latency each) is taken
        NodeState<String> half = node("half");
        rounds(half, 100, new int[] {0, 1, 2, 3}, new double[] {10, 10, 10, 10}, 0);
        assertThat(half.loadGrowth()).isBetween(0.6, 0.75);
        // an answer whose attempt's count is unknown (a pooled connection's statement) teaches nothing
        NodeState<String> unknown = node("unknown");
        for (int i = 0; i < 100; i++) {
            unknown.begin(i * MS);
            unknown.complete(Outcome.SUCCESS, 10 * MS, i * MS);
        }
        assertThat(unknown.loadGrowth()).isEqualTo(1.0);
    }

    @Test
    void aStallRaisesTheLoadGrowthAgainAndARestoredNodeForgetsIt() {
        NodeState<String> s = node("s");
        long now = rounds(s, 50, new int[] {0, 1, 2, 3, 4, 5}, new double[] {10, 10, 10, 10, 10, 10}, 0);
        assertThat(s.loadGrowth()).isLessThan(0.35);
        // calls caught behind a 300 ms pause (15 to 75 solo latencies per call there): each sample is cut to 2, and
        // twenty such answers take the average past 1, where it is read as 1
        rounds(s, 4, new int[] {0, 1, 2, 3, 4, 5}, new double[] {10, 300, 300, 300, 300, 300}, now);
        assertThat(s.loadGrowth()).isEqualTo(1.0);
        s.forgetLatency();
        assertThat(s.loadGrowth()).isEqualTo(1.0);
    }

    @Test
    void aFailedNodeCostsItsPeakEwmaUntilItsNextSuccess() {
        NodeState<String> flaky = node("flaky");
        NodeState<String> slow = node("slow");
        answer(flaky, 5, 0);
        answer(slow, 20, 0);
        flaky.begin(MS);
        flaky.complete(Outcome.FAILURE, MS, MS);
        // a failure raises its cost to at least the 30 ms prior (its EWMA of answers stays 5 ms), over
        // 1 - its failure ratio, 1/16 after one failure (1 ms of decay is negligible): 30 / (15/16) = 32 ms
        assertThat(PoolEwmaPolicy.cost(flaky, MS) / MS).isCloseTo(32.0, org.assertj.core.data.Offset.offset(0.001));
        assertThat(policy.select(Candidates.of(flaky, slow), MS, random)).isEqualTo(1);
        // its next success: back to its 5 ms EWMA, over 1 - (1/16 x 15/16)
        answer(flaky, 5, 2 * MS);
        assertThat(PoolEwmaPolicy.cost(flaky, 2 * MS) / MS).isCloseTo(5.0 / (1 - 15.0 / 256), org.assertj.core.data.Offset.offset(0.001));
        assertThat(policy.select(Candidates.of(flaky, slow), 2 * MS, random)).isEqualTo(0);
    }

    @Test
    void aNodeFailingAShareOfItsCallsCostsItsExpectedTimeToASuccessEvenRightAfterASuccess() {
        NodeState<String> flaky = node("flaky");
        NodeState<String> steady = node("steady");
        answer(steady, 24, 0);
        // 300 calls, each answering in 20 ms, every third fails (503), the last a success: a microsecond apart
        long now = 0;
        double ratio = 0;
        for (int i = 0; i < 300; i++) {
            now += 1_000;
            boolean fails = i % 3 == 1;
            flaky.begin(now);
            flaky.complete(fails ? Outcome.OVERLOADED : Outcome.SUCCESS, 20 * MS, now);
            ratio += ((fails ? 1 : 0) - ratio) / 16;
        }
        assertThat(flaky.consecutiveFailures()).isEqualTo(0);
        // the ratio follows about the last 16 answers: near 1/3 (after a success, a little under)
        assertThat(flaky.failureRatio(now)).isCloseTo(ratio, org.assertj.core.data.Offset.offset(1e-6)).isBetween(0.28, 0.34);
        // its EWMA of answers is 20 ms; its cost the expected time to a success, 20 / (1 - ratio), about 28.6 ms
        assertThat(PoolEwmaPolicy.cost(flaky, now) / MS).isCloseTo(20 / (1 - ratio), org.assertj.core.data.Offset.offset(1e-3));
        // so a steady node answering in 24 ms wins, where the EWMA alone (20 ms) would not
        assertThat(policy.select(Candidates.of(flaky, steady), now, random)).isEqualTo(1);
        // idle 20 s, the ratio fades with tau (x exp(-2)), and its average over 30 s (x exp(-2/3))
        long later = now + 20_000 * MS;
        double w = Math.exp(-2);
        assertThat(flaky.failureRatio(later)).isCloseTo(ratio * w, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(PoolEwmaPolicy.cost(flaky, later) / MS)
                .isCloseTo(20 * Math.exp(-2.0 / 3) / (1 - ratio * w), org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void aNodeFailingEveryCallCostsAtMostTwiceAsMuchForItsFailureRatio() {
        NodeState<String> failing = node("failing");
        answer(failing, 20, 0);
        for (int i = 1; i <= 100; i++) {
            failing.begin(i * 1_000L);
            failing.completeUntimed(Outcome.FAILURE, i * 1_000L);
        }
        long now = 100_000;
        assertThat(failing.failureRatio(now)).isGreaterThan(0.99);
        // its cost after failures is its Peak-EWMA (30 ms prior), doubled for the ratio, not x 100
        assertThat(PoolEwmaPolicy.cost(failing, now) / MS).isCloseTo(2 * failing.peakEwmaNanos(now) / MS,
                org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void anIdleNodesAverageFadesOver30SecondsSoItIsTriedAgainUnderSequentialLoad() {
        NodeState<String> lost = node("lost");
        NodeState<String> used = node("used");
        answer(lost, 3, 0);
        answer(used, 1, 0);
        // one call at a time: the node that answered 3 ms loses to the one that answers 1 ms ...
        long now = 0;
        for (int i = 0; i < 3200; i++) {
            now += 10 * MS;
            assertThat(policy.select(Candidates.of(lost, used), now, random)).isEqualTo(1);
            answer(used, 1, now);
        }
        // ... until its idle average, 3 ms x exp(-idle / 30 s), is under 1 ms: from 30 s x ln 3 = 32.96 s idle
        assertThat(PoolEwmaPolicy.cost(lost, 30_000 * MS) / MS).isCloseTo(3 * Math.exp(-1), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(PoolEwmaPolicy.cost(lost, 32_900 * MS) / MS).isGreaterThan(1.0);
        // (used has been idle 900 ms too: 1 ms x exp(-0.03); under 100 ms idle nothing fades)
        assertThat(PoolEwmaPolicy.cost(used, 32_900 * MS) / MS).isCloseTo(Math.exp(-0.03), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(PoolEwmaPolicy.cost(used, 32_099 * MS) / MS).isEqualTo(1.0);
        assertThat(policy.select(Candidates.of(lost, used), 32_900 * MS, random)).isEqualTo(1);
        answer(used, 1, 32_900 * MS);
        assertThat(PoolEwmaPolicy.cost(lost, 33_000 * MS) / MS).isLessThan(1.0);
        assertThat(policy.select(Candidates.of(lost, used), 33_000 * MS, random)).isEqualTo(0);
    }

    @Test
    void aKnownSlowNodeIdleTenSecondsStillLosesToABusyFastOne() {
        // 5x slow (100 ms) against 20 ms with two calls out: 100 x exp(-10 / 30) x 2 = 143 ms against 20 x 4 = 80 ms
        // (with the 10 s fade it was 100 x exp(-1) x 2 = 74 ms: the slow node got the call)
        NodeState<String> slow = node("slow");
        NodeState<String> fast = node("fast");
        answer(slow, 100, 0);
        answer(fast, 20, 10_000 * MS);
        fast.begin(10_000 * MS);
        fast.begin(10_000 * MS);
        assertThat(PoolEwmaPolicy.cost(slow, 10_000 * MS) / MS).isCloseTo(100 * Math.exp(-1.0 / 3),
                org.assertj.core.data.Offset.offset(1e-6));
        assertThat(policy.select(Candidates.of(slow, fast), 10_000 * MS, random)).isEqualTo(1);
    }

    @Test
    void aSlowNodeTriedAgainAfterAnIdleSpellDoesNotLookFastOnOneLuckyAnswer() {
        // issue 13: a 12 ms node, tried again after 20 s idle, answers once in 2 ms (exponential service times give
        // such a draw one time in five). Its average took that answer with weight 1 - exp(-2) = 86%, 3.35 ms, under
        // the 4 ms node's, and the calls after it, 10 ms apart, each moved it by 0.1%: it took 78 of the next 100
        NodeState<String> slow = routerNode("slow");
        NodeState<String> fast = routerNode("fast");
        answer(fast, 4, 0);
        history(slow, 12, 0);
        answer(fast, 4, 20_000 * MS);
        slow.begin(20_000 * MS);
        slow.complete(Outcome.SUCCESS, 2 * MS, 20_002 * MS);
        // one sample moves the average at most 1/8 of the way: 12 + (2 - 12) / 8 = 10.75 ms
        assertThat(PoolEwmaPolicy.cost(slow, 20_003 * MS) / MS).isCloseTo(10.75, org.assertj.core.data.Offset.offset(1e-6));
        int toSlow = 0;
        long now = 20_003 * MS;
        for (int i = 0; i < 100; i++) {
            now += 10 * MS;
            int pick = policy.select(Candidates.of(slow, fast), now, random);
            if (pick == 0) {
                toSlow++;
            }
            answer(pick == 0 ? slow : fast, pick == 0 ? 12 : 4, now);
        }
        assertThat(toSlow).isZero();
    }

    @Test
    void aNodeLeftDuringAServiceWideSlowdownIsTriedAgainOnceTheOthersAnswerFastButANodeSlowOnItsOwnIsNot() {
        // issue 12: every node answers in 200 ms (a shared dependency is slow); the policy then keeps to "used",
        // which answers in 20 ms every 10 ms for 5 s, while "left" gets nothing and keeps its 200 ms average
        NodeState<String> left = routerNode("left");
        NodeState<String> used = routerNode("used");
        long now = Answers.leftDuringServiceSlowdown(used, left);
        // the service answers in 20 ms now, in 200 ms when "left" learnt its average: 20 / 200 = 0.1, of which
        // pool-ewma takes the part beyond 2x: 2 x 0.1 = 0.2
        assertThat(left.serviceDiscount()).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(PoolEwmaPolicy.cost(left, now) / MS).isCloseTo(200 * Math.exp(-5.0 / 30) * 0.2,
                org.assertj.core.data.Offset.offset(1e-3));
        // "used" with two calls out: 20 ms x 4 = 80 ms against 33.9 ms x 2 = 68 ms, so "left" is tried again (without
        // the discount it would cost 169 ms x 2 and wait for the idle fade, some 40 s more)
        used.begin(now);
        used.begin(now);
        assertThat(policy.select(Candidates.of(left, used), now, random)).isEqualTo(0);
        // a node slow on its own (100 ms while the others answered in 20 ms), idle since: nothing is discounted
        NodeState<String> slow = routerNode("slow");
        answer(slow, 100, now);
        answer(used, 20, now + 5_000 * MS);
        assertThat(slow.serviceDiscount()).isEqualTo(1.0);
        assertThat(PoolEwmaPolicy.cost(slow, now + 5_000 * MS) / MS).isCloseTo(100 * Math.exp(-5.0 / 30),
                org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void triesANodeWithNothingKnownAtOnce() {
        NodeState<String> known = node("known");
        NodeState<String> fresh = node("fresh");
        answer(known, 1, 0);
        assertThat(PoolEwmaPolicy.cost(fresh, 0)).isZero();
        assertThat(policy.select(Candidates.of(known, fresh), 1, random)).isEqualTo(1);
    }

    @Test
    void remembersTheFastNodesOfALargeClusterThatThreeRandomChoicesMiss() {
        // 50 nodes, 10 of them (every fifth) answering in 2 ms, 40 in 10 ms: three random candidates include no
        // fast node in (40/50)^3 = 51% of picks; the pool of remembered cheap nodes finds them
        assertThat(fastPicksOfFiftyAfterLearning()).as("picks of a fast node, of 1000 after 100 to learn").isEqualTo(1000);
    }

    @Test
    void withThreeCandidatesOrFewerTheBestOfAllWinsAndThePoolFillsOnceTheClusterGrows() {
        NodeState<String> a = node("a");
        NodeState<String> b = node("b");
        NodeState<String> c = node("c");
        answer(a, 10, 0);
        answer(b, 3, 0);
        answer(c, 6, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(policy.select(Candidates.of(a, b, c), MS, random)).isEqualTo(1);
            assertThat(policy.select(Candidates.of(a, c), MS, random)).isEqualTo(1);
        }
        // the same policy over 50 nodes afterwards: the pool, never kept while three were all, now finds the fast
        assertThat(fastPicksOfFiftyAfterLearning()).as("picks of a fast node, of 1000 after 100 to learn").isEqualTo(1000);
    }

    /**
     * 50 nodes, every fifth answering in 2 ms and the rest in 10 ms: after 100 picks to learn, how many of the
     * next 1000 picks of {@link #policy} go to a fast node.
     */
    private int fastPicksOfFiftyAfterLearning() {
        NodeState<?>[] nodes = new NodeState<?>[50];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node("n" + i);
            answer(nodes[i], i % 5 == 0 ? 2 : 10, 0);
        }
        Candidates all = Candidates.of(nodes);
        for (int i = 0; i < 100; i++) {
            policy.select(all, MS, random);
        }
        int fast = 0;
        for (int i = 0; i < 1000; i++) {
            if (policy.select(all, MS, random) % 5 == 0) {
                fast++;
            }
        }
        return fast;
    }

    @Test
    void aPoolSlotWhoseIndexNowNamesAnotherNodeIsNotUsed() {
        NodeState<?>[] nodes = new NodeState<?>[20];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = node("n" + i);
            answer(nodes[i], i < 4 ? 2 : 10, 0);
        }
        for (int i = 0; i < 200; i++) {
            policy.select(Candidates.of(nodes), MS, random);
        }
        // the fast nodes leave: the remembered indexes 0 to 3 now name slow nodes, and fewer candidates remain
        NodeState<?>[] rest = java.util.Arrays.copyOfRange(nodes, 4, 7);
        Candidates three = Candidates.of(rest);
        for (int i = 0; i < 1000; i++) {
            assertThat(policy.select(three, MS, random)).isBetween(0, 2);
        }
        // a slow node at a remembered index is judged by its own statistics, like any other
        NodeState<String> fast = node("fast");
        answer(fast, 1, 0);
        assertThat(policy.select(Candidates.of(rest[0], rest[1], fast), MS, random)).isEqualTo(2);
    }

    @Test
    void anUntimedPickAmongIdleCleanNodesReadsNoClockAndChoosesAsATimedPickWould() {
        // three replicas answered at different times with different averages; whatever the time of the pick
        // (all idle past the fade's 100 ms threshold), the timed pick and the untimed one agree
        SplittableRandom shapes = new SplittableRandom(7);
        AtomicInteger reads = new AtomicInteger();
        Ticker counted = () -> {
            reads.incrementAndGet();
            return 0;
        };
        int agreed = 0;
        for (int round = 0; round < 500; round++) {
            NodeState<?>[] nodes = new NodeState<?>[2 + round % 2];
            long latest = 0;
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = node("r" + i);
                long at = shapes.nextLong(60_000) * MS;
                answer(nodes[i], 1 + shapes.nextInt(40), at);
                latest = Math.max(latest, at);
            }
            Candidates c = Candidates.of(nodes);
            long now = latest + (101 + shapes.nextLong(100_000)) * MS;
            int timed = policy.select(c, now, new SplittableRandom(round));
            int untimed = policy.selectUnread(c, counted, new SplittableRandom(round));
            if (timed == untimed) {
                agreed++;
            }
        }
        assertThat(agreed).as("picks the same replica in every round").isEqualTo(500);
        assertThat(reads.get()).as("never reads the clock").isZero();
    }

    @Test
    void anUntimedPickReadsTheClockWhenAReplicaOwesAnAnswerOrFailedOrTheClusterIsLarge() {
        AtomicInteger reads = new AtomicInteger();
        long[] now = {0};
        Ticker counted = () -> {
            reads.incrementAndGet();
            return now[0];
        };
        NodeState<String> stalled = node("stalled");
        NodeState<String> steady = node("steady");
        answer(stalled, 5, 0);
        answer(steady, 20, 0);
        Candidates both = Candidates.of(stalled, steady);
        assertThat(policy.selectUnread(both, counted, random)).as("both idle: the faster").isEqualTo(0);
        assertThat(reads.get()).isZero();

        // a statement on 'stalled' has waited 2 s: only the time says so, and the pick must not go there
        stalled.begin(0);
        now[0] = 2_000 * MS;
        assertThat(policy.selectUnread(both, counted, random)).isEqualTo(1);
        assertThat(reads.get()).as("read once: a replica has a call out").isEqualTo(1);

        // it answers at last and is idle, but its silence stays owed after a cancelled attempt
        stalled.complete(Outcome.SUCCESS, 2_000 * MS, 2_000 * MS);
        answer(stalled, 5, 2_000 * MS);
        stalled.begin(2_000 * MS);
        stalled.complete(Outcome.CANCELLED, 1_000 * MS, 3_000 * MS);
        now[0] = 3_500 * MS;
        assertThat(stalled.idleAndClean()).isFalse();
        policy.selectUnread(both, counted, random);
        assertThat(reads.get()).as("read again: silence owed until 4 s").isEqualTo(2);

        // a failure in memory fades with time: read
        NodeState<String> failed = node("failed");
        answer(failed, 5, 0);
        failed.begin(0);
        failed.complete(Outcome.FAILURE, MS, MS);
        answer(failed, 5, 2 * MS);
        assertThat(failed.consecutiveFailures()).isZero();
        assertThat(failed.idleAndClean()).as("its failure ratio remembers the failure").isFalse();
        policy.selectUnread(Candidates.of(failed, steady), counted, random);
        assertThat(reads.get()).isEqualTo(3);

        // more than three candidates: the pool's bookkeeping compares costs of nodes of several picks: read
        NodeState<?>[] many = new NodeState<?>[4];
        for (int i = 0; i < many.length; i++) {
            many[i] = node("n" + i);
            answer(many[i], 5, 0);
        }
        policy.selectUnread(Candidates.of(many), counted, random);
        assertThat(reads.get()).isEqualTo(4);
    }

    @Test
    void declaresTheStatisticsItReads() {
        assertThat(policy.statistics()).containsExactlyInAnyOrder(NodeStatistic.PEAK_EWMA, NodeStatistic.STEADY_EWMA,
                NodeStatistic.SERVICE_DISCOUNT,
                NodeStatistic.SILENCE, NodeStatistic.LAST_SAMPLE_TIME, NodeStatistic.FAILURE_RATIO,
                NodeStatistic.LOAD_GROWTH);
        assertThat(policy.name()).isEqualTo("pool-ewma");
        NodeState<String> without = new NodeState<>(Node.of("x", "x"), PRIOR, TAU, 0, java.util.EnumSet.noneOf(NodeStatistic.class));
        without.begin(5);
        assertThat(without.waitingSinceNanos()).isEqualTo(Long.MIN_VALUE);
    }
}
