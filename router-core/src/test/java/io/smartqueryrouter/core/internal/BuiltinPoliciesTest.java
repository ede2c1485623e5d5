package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The six built-in policies over many picks with fixed seeds. Shares are compared with the exact
 * expected share; a tolerance of 1 percentage point over 100,000 picks is at least 6 standard
 * deviations of a binomial share (sd = sqrt(p(1-p)/n) <= 0.16 points), so a seed change does not
 * make these tests flaky while a wrong rule (a share off by a few points) fails them.
 */
class BuiltinPoliciesTest {
    private static final int PICKS = 100_000;
    private static final double PRIOR = 30e6;
    private static final double TAU = 10e9;
    private static final long NOW = 0;

    private static final List<Supplier<RoutingPolicy>> ALL = List.of(BuiltinPolicies.P2cPeakEwma::new,
            BuiltinPolicies.LeastInFlight::new, () -> new BuiltinPolicies.LowestLatency(BuiltinPolicies.DEFAULT_EXPLORATION),
            BuiltinPolicies.RoundRobin::new, BuiltinPolicies.UniformRandom::new, BuiltinPolicies.WeightedRandom::new);

    private static NodeState<String> node(String id, int weight) {
        return new NodeState<>(Node.builder(id, "http://" + id).weight(weight).build(), PRIOR, TAU, NOW);
    }

    /** A node whose Peak-EWMA and EWMA are both {@code latencyMs}, with nothing in flight. */
    private static NodeState<String> node(String id, int weight, double latencyMs) {
        NodeState<String> s = node(id, weight);
        s.begin();
        s.complete(Outcome.SUCCESS, Math.round(latencyMs * 1e6), NOW);
        return s;
    }

    private static void raiseInFlight(NodeState<?> s, int n) {
        for (int i = 0; i < n; i++) {
            s.begin();
        }
    }

    /** Counts the picks of each candidate with a fixed seed; stats do not change between picks. */
    private static int[] picks(RoutingPolicy policy, Candidates candidates, int picks, long seed) {
        return picks(policy, candidates, picks, seed, NOW);
    }

    /** Counts the picks of each candidate with a fixed seed, all at {@code nowNanos}. */
    private static int[] picks(RoutingPolicy policy, Candidates candidates, int picks, long seed, long nowNanos) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] counts = new int[candidates.size()];
        for (int i = 0; i < picks; i++) {
            counts[policy.select(candidates, nowNanos, random)]++;
        }
        return counts;
    }

    private static double[] shares(int[] counts) {
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        double[] shares = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            shares[i] = counts[i] / (double) total;
        }
        return shares;
    }

    private static void assertShares(int[] counts, double toleranceInPoints, double... expected) {
        double[] actual = shares(counts);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("share of candidate %d (counts %s)", i, Arrays.toString(counts))
                    .isCloseTo(expected[i], within(toleranceInPoints / 100));
        }
    }

    private static Candidates weights123() {
        return Candidates.of(node("w1", 1), node("w2", 2), node("w3", 3));
    }

    // ---------------------------------------------------------------- baselines

    @Test
    void weightedRandomSharesFollowWeights1To2To3() {
        int[] counts = picks(new BuiltinPolicies.WeightedRandom(), weights123(), PICKS, 42);
        assertShares(counts, 1, 1 / 6.0, 2 / 6.0, 3 / 6.0);
    }

    @Test
    void roundRobinGivesEachNodeExactlyItsWeightInEveryCycleOfTotalWeightPicks() {
        RoutingPolicy rr = new BuiltinPolicies.RoundRobin();
        Candidates c = weights123();
        SplittableRandom random = new SplittableRandom(42);
        int[] total = new int[3];
        int cycles = PICKS / 6;
        for (int cycle = 0; cycle < cycles; cycle++) {
            int[] inCycle = new int[3];
            for (int i = 0; i < 6; i++) {
                inCycle[rr.select(c, NOW, random)]++;
            }
            assertThat(inCycle).as("cycle %d", cycle).containsExactly(1, 2, 3);
            for (int i = 0; i < 3; i++) {
                total[i] += inCycle[i];
            }
        }
        assertThat(total).containsExactly(cycles, 2 * cycles, 3 * cycles);
    }

    @Test
    void roundRobinWithEqualWeightsAlternates() {
        RoutingPolicy rr = new BuiltinPolicies.RoundRobin();
        Candidates c = Candidates.of(node("a", 1), node("b", 1));
        SplittableRandom random = new SplittableRandom(1);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            order.add(rr.select(c, NOW, random));
        }
        assertThat(order).containsExactly(0, 1, 0, 1, 0, 1);
    }

    @Test
    void randomIsUniformAndIgnoresWeights() {
        int[] counts = picks(new BuiltinPolicies.UniformRandom(), weights123(), PICKS, 42);
        assertShares(counts, 1, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    // ---------------------------------------------------------------- power of two choices

    /**
     * Without load nothing feeds back: P2C always takes the heavier of its two nodes, so among
     * weights 1, 2, 3 the weight-1 node never wins a pair (share 0), the weight-2 node wins only the
     * pair {1, 2} (1/3) and the weight-3 node every pair it is in (2/3). The p2c-peak-ewma nodes each
     * have one equal 30 ms sample (30 ms x 1 / weight); without one they would all score 0.
     */
    @Test
    void p2cPoliciesWithEqualStatsAndNoLoadTakeTheHeavierOfEachPair() {
        Candidates sampled = Candidates.of(node("w1", 1, 30), node("w2", 2, 30), node("w3", 3, 30));
        int[] counts = picks(new BuiltinPolicies.P2cPeakEwma(), sampled, PICKS, 42);
        assertThat(counts[0]).as("p2c-peak-ewma").isZero();
        assertShares(counts, 1, 0, 1 / 3.0, 2 / 3.0);

        counts = picks(new BuiltinPolicies.LeastInFlight(), weights123(), PICKS, 42);
        assertThat(counts[0]).as("least-in-flight").isZero();
        assertShares(counts, 1, 0, 1 / 3.0, 2 / 3.0);
    }

    @Test
    void p2cPeakEwmaScoresUnsampledIdleNodesZeroWhateverTheirWeight() {
        // every score is 0, so each pair goes to the first node drawn: uniform, 1/3 each, weights not yet counted
        int[] counts = picks(new BuiltinPolicies.P2cPeakEwma(), weights123(), PICKS, 42);
        assertShares(counts, 1, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    @Test
    void p2cPeakEwmaTriesAnUnsampledIdleNodeAtOnceEvenAgainstA1msNode() {
        NodeState<String> fresh = node("fresh", 1);
        Candidates c = Candidates.of(fresh, node("known", 1, 1));
        // fresh scores 0 < known 1 ms x (0 + 1) / 1
        assertThat(picks(new BuiltinPolicies.P2cPeakEwma(), c, 1_000, 42)).containsExactly(1_000, 0);
    }

    @Test
    void p2cPeakEwmaScoresAnUnsampledNodeWithACallInFlightAsThePriorTimesTwo() {
        NodeState<String> fresh = node("fresh", 1);
        raiseInFlight(fresh, 1);
        assertThat(fresh.hasLatencySample()).isFalse();
        // fresh: 30 ms prior x (1 + 1) / 1 = 60 ms
        RoutingPolicy p2c = new BuiltinPolicies.P2cPeakEwma();
        assertThat(picks(p2c, Candidates.of(fresh, node("known", 1, 1)), 1_000, 42)).containsExactly(0, 1_000);
        assertThat(picks(p2c, Candidates.of(fresh, node("known", 1, 59)), 1_000, 42)).containsExactly(0, 1_000);
        assertThat(picks(p2c, Candidates.of(fresh, node("known", 1, 61)), 1_000, 42)).containsExactly(1_000, 0);
    }

    @Test
    void p2cPeakEwmaSendsToAnIdleSlowNodeAgainOnceItsCostDecaysBelowAFastNodes() {
        // slow: one 100 ms sample at 0 s, then idle; fast: a fresh 5 ms sample at the moment of the picks.
        // 100 ms x exp(-t / 10 s) falls below 5 ms after 10 s x ln(20) = 29.957 s
        NodeState<String> slow = node("slow", 1, 100);
        long at29 = 29_000_000_000L;
        long at31 = 31_000_000_000L;
        assertThat(slow.peakEwmaNanos(at29)).isCloseTo(100e6 * Math.exp(-2.9), within(100e6 * Math.exp(-2.9) * 1e-6));
        assertThat(slow.peakEwmaNanos(at31)).isCloseTo(100e6 * Math.exp(-3.1), within(100e6 * Math.exp(-3.1) * 1e-6));
        RoutingPolicy p2c = new BuiltinPolicies.P2cPeakEwma();
        // at 29 s: slow 5.502 ms > fast 5 ms
        assertThat(picks(p2c, Candidates.of(slow, sampledAt("fast", 5, at29)), 1_000, 42, at29)).containsExactly(0, 1_000);
        // at 31 s: slow 4.505 ms < fast 5 ms
        assertThat(picks(p2c, Candidates.of(slow, sampledAt("fast", 5, at31)), 1_000, 42, at31)).containsExactly(1_000, 0);
    }

    private static NodeState<String> sampledAt(String id, double latencyMs, long nowNanos) {
        NodeState<String> s = node(id, 1);
        s.begin();
        s.complete(Outcome.SUCCESS, Math.round(latencyMs * 1e6), nowNanos);
        return s;
    }

    /**
     * Under load, in-flight counts feed back into (in-flight + 1) / weight and the shares approach
     * the weights: a closed loop keeps 30 attempts in flight, finishing a random one (with the
     * prior's latency, so all Peak-EWMAs stay equal at 30 ms) before each new pick. Measured over
     * seeds 1 to 3: every share within 0.75 points of 1/6, 2/6, 3/6 (at 300 in flight within 0.25;
     * at 1 in flight the weight-1 node gets only 7%). The residual bias comes from comparing small
     * integer in-flight counts; 1.5 points is twice the largest deviation measured.
     */
    @Test
    void p2cPoliciesWithEqualStatsUnderLoadHonourWeightsApproximately() {
        for (Supplier<RoutingPolicy> policy : List.<Supplier<RoutingPolicy>>of(BuiltinPolicies.P2cPeakEwma::new,
                BuiltinPolicies.LeastInFlight::new)) {
            NodeState<?>[] nodes = {node("w1", 1), node("w2", 2), node("w3", 3)};
            int[] counts = closedLoop(policy.get(), nodes, 30, PICKS, 42);
            assertShares(counts, 1.5, 1 / 6.0, 2 / 6.0, 3 / 6.0);
            for (NodeState<?> n : nodes) {
                assertThat(n.peakEwmaNanos(NOW)).isEqualTo(PRIOR);
            }
        }
    }

    private static int[] closedLoop(RoutingPolicy policy, NodeState<?>[] nodes, int inFlight, int picks, long seed) {
        Candidates candidates = Candidates.of(nodes);
        SplittableRandom random = new SplittableRandom(seed);
        SplittableRandom finishing = new SplittableRandom(seed + 1);
        int[] outstanding = new int[inFlight + 1];
        int size = 0;
        int[] counts = new int[nodes.length];
        for (int k = 0; k < picks; k++) {
            int i = policy.select(candidates, NOW, random);
            counts[i]++;
            nodes[i].begin();
            outstanding[size++] = i;
            if (size > inFlight) {
                int j = finishing.nextInt(size);
                int done = outstanding[j];
                outstanding[j] = outstanding[--size];
                nodes[done].complete(Outcome.SUCCESS, (long) PRIOR, NOW);
            }
        }
        return counts;
    }

    @Test
    void p2cPeakEwmaNeverSendsToANodeTenTimesSlowerWhenNothingIsInFlight() {
        // every pair with the slow node has a fast one, and 10 ms x 1 < 100 ms x 1: the slow node's share is exactly 0
        Candidates c = Candidates.of(node("fast1", 1, 10), node("slow", 1, 100), node("fast2", 1, 10));
        int[] counts = picks(new BuiltinPolicies.P2cPeakEwma(), c, PICKS, 42);
        assertThat(counts[1]).isZero();
        // the pair {fast1, fast2} ties and goes either way, so the fast nodes split 50/50
        assertShares(counts, 1, 0.5, 0, 0.5);
    }

    @Test
    void p2cPeakEwmaWeighsLatencyByInFlight() {
        // fast1: 10 ms x (14 + 1) = 150 > slow: 100 ms x 1 > fast2: 10 ms x 1
        NodeState<String> busy = node("fast1", 1, 10);
        raiseInFlight(busy, 14);
        Candidates c = Candidates.of(busy, node("slow", 1, 100), node("fast2", 1, 10));
        int[] counts = picks(new BuiltinPolicies.P2cPeakEwma(), c, PICKS, 42);
        // pairs {fast1, slow} -> slow, {fast1, fast2} -> fast2, {slow, fast2} -> fast2
        assertThat(counts[0]).isZero();
        assertShares(counts, 1, 0, 1 / 3.0, 2 / 3.0);
    }

    @Test
    void p2cPeakEwmaDividesTheCostByWeight() {
        // 100 ms / weight 20 = 5 ms beats 10 ms / weight 1
        Candidates c = Candidates.of(node("fast", 1, 10), node("slowButBig", 20, 100));
        int[] counts = picks(new BuiltinPolicies.P2cPeakEwma(), c, 1_000, 42);
        assertThat(counts).containsExactly(0, 1_000);
    }

    @Test
    void leastInFlightPrefersTheNodeWithFewerInFlight() {
        NodeState<String> one = node("one", 1);
        NodeState<String> two = node("two", 1);
        raiseInFlight(one, 1);
        raiseInFlight(two, 2);
        Candidates c = Candidates.of(node("zero", 1), one, two);
        int[] counts = picks(new BuiltinPolicies.LeastInFlight(), c, PICKS, 42);
        // zero wins both its pairs (2/3), one wins {one, two} (1/3), two wins none
        assertThat(counts[2]).isZero();
        assertShares(counts, 1, 2 / 3.0, 1 / 3.0, 0);
    }

    @Test
    void leastInFlightIgnoresLatency() {
        Candidates c = Candidates.of(node("fast", 1, 1), node("slow", 1, 1000));
        int[] counts = picks(new BuiltinPolicies.LeastInFlight(), c, PICKS, 42);
        assertShares(counts, 1, 0.5, 0.5);
    }

    // ---------------------------------------------------------------- lowest latency

    @Test
    void lowestLatencyPicksTheLowestEwmaAndExplores2Percent() {
        Candidates c = Candidates.of(node("fast", 1, 10), node("mid", 1, 20), node("slow", 1, 30));
        int[] counts = picks(new BuiltinPolicies.LowestLatency(BuiltinPolicies.DEFAULT_EXPLORATION), c, PICKS, 42);
        // 98% exploit the fastest; the 2% exploring pick uniformly (equal weights), so each node gets 2%/3 of that
        double explore = 0.02 / 3;
        assertShares(counts, 0.2, 0.98 + explore, explore, explore);
        // the exploration share itself: picks of the two slower nodes are 2/3 of the exploring picks
        double slower = (counts[1] + counts[2]) / (double) PICKS;
        assertThat(slower * 3 / 2).isCloseTo(0.02, within(0.002));
    }

    @Test
    void lowestLatencyExploresInProportionToWeight() {
        Candidates c = Candidates.of(node("fast", 1, 10), node("slowHeavy", 3, 100));
        int[] counts = picks(new BuiltinPolicies.LowestLatency(0.5), c, PICKS, 42);
        // half the picks explore, 3/4 of those land on the heavy node: 0.5 x 3/4 = 37.5%
        assertShares(counts, 1, 0.625, 0.375);
    }

    @Test
    void lowestLatencyWithoutExplorationAlwaysPicksTheLowestEwmaPerWeight() {
        // 20 ms / 3 = 6.7 ms beats 10 ms / 1
        Candidates c = Candidates.of(node("a", 1, 10), node("b", 3, 20), node("c", 1, 30));
        int[] counts = picks(new BuiltinPolicies.LowestLatency(0), c, 1_000, 42);
        assertThat(counts).containsExactly(0, 1_000, 0);
    }

    @Test
    void lowestLatencyBreaksTiesWithinTwentyFivePercentAtRandomSoEqualNodesShareTheCalls() {
        // 10, 11 and 12.4 ms are within 25% of the lowest: a tie, a third each; 12.6 ms is not
        Candidates c = Candidates.of(node("a", 1, 10), node("b", 1, 11), node("c", 1, 12.4), node("d", 1, 12.6));
        int[] counts = picks(new BuiltinPolicies.LowestLatency(0), c, PICKS, 42);
        assertShares(counts, 1, 1 / 3.0, 1 / 3.0, 1 / 3.0, 0);
    }

    @Test
    void lowestLatencyReadsThePlainEwmaNotThePeak() {
        // "spiky": EWMA 10 ms, then one 1 s sample 1 ms later: Peak-EWMA jumps to 1 s, the plain EWMA (what
        // lowest-latency keeps: not the steady one, whose 1/64 floor would move it 15 ms) barely moves
        NodeState<String> spiky = new NodeState<>(Node.of("spiky", "http://spiky"), PRIOR, TAU, NOW,
                new BuiltinPolicies.LowestLatency(0).statistics());
        spiky.begin();
        spiky.complete(Outcome.SUCCESS, 10_000_000L, NOW);
        spiky.begin();
        spiky.complete(Outcome.SUCCESS, 1_000_000_000L, 1_000_000);
        assertThat(spiky.ewmaNanos()).isLessThan(11e6);
        Candidates c = Candidates.of(node("steady", 1, 15), spiky);
        assertThat(picks(new BuiltinPolicies.LowestLatency(0), c, 100, 42)).containsExactly(0, 100);
        assertThat(picks(new BuiltinPolicies.P2cPeakEwma(), c, 100, 42)).containsExactly(100, 0);
    }

    @Test
    void lowestLatencySharesTheCallsWithNodesBackFromAnOutageInsteadOfSendingThemEveryCall() {
        // the survivors' EWMAs still hold the outage (60 ms); the pair back has forgotten its history.
        // Read as the prior (30 ms) it was the only choice: 98% + 1% exploring for each of the pair,
        // 0.5% for each survivor (the herd that kept capacity-loss from recovering). Tied with the
        // lowest known node, it gets its share of a four-way tie
        NodeState<String> back1 = node("back1", 1, 10);
        NodeState<String> back2 = node("back2", 1, 10);
        back1.forgetLatency();
        back2.forgetLatency();
        Candidates c = Candidates.of(node("survivor1", 1, 60), node("survivor2", 1, 62), back1, back2);
        int[] counts = picks(new BuiltinPolicies.LowestLatency(BuiltinPolicies.DEFAULT_EXPLORATION), c, PICKS, 42);
        assertShares(counts, 1, 0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void lowestLatencyTiesUnknownNodesWithTheFastestKnownOneNotBeforeIt() {
        // a new node in a cluster faster than the prior is tried at once (half the calls here), and
        // in a cluster slower than the prior it does not take every call
        Candidates fastCluster = Candidates.of(node("fast", 1, 5), node("new", 1));
        assertShares(picks(new BuiltinPolicies.LowestLatency(0), fastCluster, PICKS, 42), 1, 0.5, 0.5);
        Candidates slowCluster = Candidates.of(node("slow", 1, 100), node("slower", 1, 200), node("new", 1));
        assertShares(picks(new BuiltinPolicies.LowestLatency(0), slowCluster, PICKS, 42), 1, 0.5, 0, 0.5);
        // nothing known of any node: all tied
        Candidates unknown = Candidates.of(node("a", 1), node("b", 1), node("c", 1));
        assertShares(picks(new BuiltinPolicies.LowestLatency(0), unknown, PICKS, 42), 1, 1 / 3.0, 1 / 3.0, 1 / 3.0);
    }

    @Test
    void lowestLatencySendsNoCallButExplorationToANodeSilentLongerThanItsAverage() {
        // both answered in 10 ms; "stalled" then took a call at t = 0 that is unanswered at t = 500 ms.
        // Its EWMA still reads 10 ms (a tie: half the calls went on waiting there); the 500 ms it owes
        // is its latency now, so only exploration (1% of the picks) goes there
        NodeState<String> stalled = node("stalled", 1, 10);
        stalled.begin(NOW);
        long later = NOW + 500_000_000L;
        assertThat(stalled.ewmaNanos()).isEqualTo(10e6);
        assertThat(stalled.silentNanos(later)).isEqualTo(500_000_000L);
        Candidates c = Candidates.of(node("steady", 1, 10), stalled);
        int[] counts = picks(new BuiltinPolicies.LowestLatency(BuiltinPolicies.DEFAULT_EXPLORATION), c, PICKS, 42,
                later);
        assertShares(counts, 0.2, 0.99, 0.01);
        // once it answers (in 500 ms) it is not silent, and its EWMA decides again
        stalled.complete(Outcome.SUCCESS, 500_000_000L, later);
        assertThat(stalled.silentNanos(later)).isZero();
        assertThat(new BuiltinPolicies.LowestLatency(0).statistics())
                .containsExactlyInAnyOrder(NodeStatistic.EWMA, NodeStatistic.SERVICE_DISCOUNT, NodeStatistic.SILENCE);
    }

    @Test
    void lowestLatencySharesAgainANodeItLeftWhileEveryNodeWasSlowButNotANodeSlowOnItsOwn() {
        // issue 12: every node answers in 200 ms (an overload, a shared dependency); then "used" takes every call,
        // 20 ms, one per 10 ms for 5 s, while "left" keeps its 200 ms average. "used" has forgotten only 39% of its
        // 200 ms (time-weighted, tau 10 s): 20 + 180 x exp(-0.5) = 129 ms, and "left" is not within 25% of that
        ServiceLatency service = new ServiceLatency();
        java.util.Set<NodeStatistic> kept = new BuiltinPolicies.LowestLatency(0).statistics();
        NodeState<String> left = new NodeState<>(Node.of("left", "http://left"), PRIOR, TAU, NOW, kept, service);
        NodeState<String> used = new NodeState<>(Node.of("used", "http://used"), PRIOR, TAU, NOW, kept, service);
        NodeState<String> slow = new NodeState<>(Node.of("slow", "http://slow"), PRIOR, TAU, NOW, kept, service);
        long now = Answers.leftDuringServiceSlowdown(used, left);
        // "slow" answers in 100 ms while the others answer in 20 ms: slow on its own
        Answers.answer(slow, 100, now);
        assertThat(used.ewmaNanos() / 1e6).isCloseTo(20 + 180 * Math.exp(-0.5), within(0.5));
        assertThat(left.ewmaNanos() / 1e6).isEqualTo(200.0);
        // the service answers in 20 ms now and did in 200 ms when "left" learnt its average, so it reads 20 ms;
        // "used" learnt its 129 ms as the service went from 200 to 20 ms, and reads 20 ms too: tied, half each
        assertThat(left.serviceDiscount()).isCloseTo(0.1, within(1e-9));
        assertThat(slow.serviceDiscount()).isEqualTo(1.0);
        assertShares(picks(new BuiltinPolicies.LowestLatency(0), Candidates.of(left, used, slow), PICKS, 42, now), 1,
                0.5, 0.5, 0);
    }

    @Test
    void lowestLatencyRejectsAnExplorationShareOutsideZeroToOne() {
        for (double bad : new double[] {-0.01, 1.01, Double.NaN}) {
            assertThatThrownBy(() -> new BuiltinPolicies.LowestLatency(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("lowest-latency: exploration must be in [0, 1], but was " + bad);
        }
    }

    // ---------------------------------------------------------------- one and two candidates

    @Test
    void everyPolicyReturnsZeroForASingleCandidate() {
        Candidates single = Candidates.of(node("only", 5, 10));
        for (Supplier<RoutingPolicy> policy : ALL) {
            int[] counts = picks(policy.get(), single, 1_000, 42);
            assertThat(counts).as(policy.get().name()).containsExactly(1_000);
        }
    }

    @Test
    void withTwoCandidatesEveryPolicyAnswersWithinRangeAndAsItsRuleSays() {
        // a: weight 1, 10 ms, idle; b: weight 3, 20 ms, 1 in flight
        NodeState<String> b = node("b", 3, 20);
        raiseInFlight(b, 1);
        Candidates c = Candidates.of(node("a", 1, 10), b);
        // p2c sees both every time: a 10 x 1 / 1 = 10 < b 20 x 2 / 3 = 13.3
        assertThat(picks(new BuiltinPolicies.P2cPeakEwma(), c, PICKS, 42)).containsExactly(PICKS, 0);
        // least-in-flight: a (0 + 1) / 1 = 1 > b (1 + 1) / 3 = 0.67
        assertThat(picks(new BuiltinPolicies.LeastInFlight(), c, PICKS, 42)).containsExactly(0, PICKS);
        // lowest-latency: a 10 / 1 > b 20 / 3; exploring 2% splits 1:3
        assertShares(picks(new BuiltinPolicies.LowestLatency(0.02), c, PICKS, 42), 0.2, 0.02 / 4, 1 - 0.02 / 4);
        // round-robin: exactly 1:3 in every 4 picks
        assertThat(picks(new BuiltinPolicies.RoundRobin(), c, 4_000, 42)).containsExactly(1_000, 3_000);
        assertShares(picks(new BuiltinPolicies.UniformRandom(), c, PICKS, 42), 1, 0.5, 0.5);
        assertShares(picks(new BuiltinPolicies.WeightedRandom(), c, PICKS, 42), 1, 0.25, 0.75);
    }

    @Test
    void p2cDrawsEveryOrderedPairOfDistinctCandidatesAlike() {
        SplittableRandom random = new SplittableRandom(42);
        int[][] pairs = new int[4][4];
        for (int i = 0; i < PICKS; i++) {
            long pair = BuiltinPolicies.twoDistinct(4, random);
            pairs[(int) (pair >>> 32)][(int) pair]++;
        }
        for (int a = 0; a < 4; a++) {
            assertThat(pairs[a][a]).isZero();
            for (int b = 0; b < 4; b++) {
                if (a != b) {
                    // 12 ordered pairs, 1/12 each; sd 0.087 points
                    assertThat(pairs[a][b] / (double) PICKS).isCloseTo(1 / 12.0, within(0.005));
                }
            }
        }
    }

    @Test
    void theProvidersNamesMatchThePoliciesNames() {
        assertThat(new BuiltinPolicies.P2cPeakEwmaProvider().create().name()).isEqualTo("p2c-peak-ewma");
        assertThat(new BuiltinPolicies.LeastInFlightProvider().create().name()).isEqualTo("least-in-flight");
        assertThat(((BuiltinPolicies.LowestLatency) new BuiltinPolicies.LowestLatencyProvider().create()).exploration())
                .isEqualTo(0.02);
        assertThat(new BuiltinPolicies.RoundRobinProvider().create().name()).isEqualTo("round-robin");
        assertThat(new BuiltinPolicies.UniformRandomProvider().create().name()).isEqualTo("random");
        assertThat(new BuiltinPolicies.WeightedRandomProvider().create().name()).isEqualTo("weighted-random");
    }
}
