package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property-style checks of routing over 500 seeded random scenarios per built-in policy: 0 to 8
 * nodes of random weights and latencies, some ejected (passive outlier ejection after one failure,
 * under a random max-ejection percent; no ejection while half the other nodes in use failed their
 * latest attempt too, and then every ejection ends, nor while half of them have failed at least a
 * quarter as often lately; an ejected node that answers is back) and some
 * cooling down after an overloaded answer, one scenario in five with no available node at all, and
 * panic (calls across all nodes) while fewer than half are available. While calls run, attempts complete with random
 * outcomes, so nodes get ejected and cooled mid-call too. A model of which node is available is
 * kept by the test, from the rules of {@link OutlierEjection} and {@link Attempt#complete(Outcome,
 * Duration)}, and checked against the router's snapshot. For every attempt:
 *
 * <ul>
 *   <li>it goes to an available node not yet tried in the call whenever there is one, unless in panic;</li>
 *   <li>otherwise (fail open) to some node not yet tried in the call;</li>
 *   <li>a call ends at its first success, client error or cancelled attempt; while its attempts fail
 *       (FAILURE or OVERLOADED), with maxAttempts = nodes and an unlimited budget, every
 *       {@link RoutedCall#failed} answers RETRY and every {@link RoutedCall#retry()} begins an attempt
 *       until every node was tried exactly once, then the call stops with "max attempts n reached";</li>
 *   <li>with no node at all, {@link Router#begin()} throws {@link NoAvailableNodeException}.</li>
 * </ul>
 *
 * Deterministic: the scenarios, the router's randomness and the clock are all seeded or fake.
 */
class RouterInvariantsTest {
    private static final int SCENARIOS = 500;
    private static final int CALLS_PER_SCENARIO = 10;
    private static final Duration BASE_EJECTION = Duration.ofSeconds(30);
    private static final Duration MAX_COOL_DOWN = Duration.ofSeconds(30);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"p2c-peak-ewma", "least-in-flight", "lowest-latency", "predictive", "c3",
            "round-robin", "random", "weighted-random"})
    void picksRespectAvailabilityAndRetriesNeverRepeatANode(String policy) {
        int failOpenAttempts = 0;
        int picksAmongMixed = 0;
        int allUnavailableScenarios = 0;
        int ejectionsRefusedByTheCap = 0;
        int exhausted = 0;
        int panicPicks = 0;
        int restoredAll = 0;
        int notOutliers = 0;
        for (int seed = 0; seed < SCENARIOS; seed++) {
            Scenario s = new Scenario(policy, seed);
            s.run();
            failOpenAttempts += s.failOpenAttempts;
            picksAmongMixed += s.picksAmongMixed;
            allUnavailableScenarios += s.startedWithNoAvailableNode ? 1 : 0;
            ejectionsRefusedByTheCap += s.model.refusedEjections;
            exhausted += s.exhaustedCalls;
            panicPicks += s.panicPicks;
            restoredAll += s.model.restoredAll;
            notOutliers += s.model.notOutliers;
        }
        // the scenarios do reach the interesting cases (seeds 0 to 499 give 99 scenarios without an available
        // node, about 4,450 picks in panic, 17 fail-open attempts outside panic, about 1,600 picks with
        // available and unavailable untried nodes both left, about 600 ejections refused by the max-ejection
        // percent, about 350 times every ejection ended because the other nodes failed too, 10 to 180 ejections
        // held back because half the others failed at least a quarter as often, 243 calls that tried every node)
        assertThat(allUnavailableScenarios).isGreaterThan(SCENARIOS / 10);
        assertThat(panicPicks).isGreaterThan(1_000);
        assertThat(failOpenAttempts).isGreaterThan(10);
        assertThat(restoredAll).isGreaterThan(100);
        assertThat(picksAmongMixed).isGreaterThan(1_000);
        assertThat(ejectionsRefusedByTheCap).isGreaterThan(100);
        assertThat(notOutliers).as("ejections held back: the node fails like the others").isGreaterThan(5);
        assertThat(exhausted).as("calls whose every attempt failed, so every node was tried").isGreaterThan(100);
    }

    /** One random router, set up, then called {@link #CALLS_PER_SCENARIO} times. */
    private static final class Scenario {
        private final String policy;
        private final long seed;
        private final SplittableRandom random;
        private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));
        private final Model model;
        private final Router<String> router;
        int failOpenAttempts;
        int picksAmongMixed;
        int panicPicks;
        int exhaustedCalls;
        boolean startedWithNoAvailableNode;

        Scenario(String policy, long seed) {
            this.policy = policy;
            this.seed = seed;
            this.random = new SplittableRandom(seed);
            int n = random.nextInt(9);
            int[] percents = {0, 25, 50, 100, 100};
            int maxEjectionPercent = percents[random.nextInt(percents.length)];
            this.model = new Model(n, maxEjectionPercent);
            RouterBuilder<String> b = Router.<String>builder("r" + seed)
                    .policy(policy)
                    .ticker(now::get)
                    .random(new SplittableRandom(seed * 31 + 7))
                    .maxCoolDown(MAX_COOL_DOWN)
                    .outlierEjection(OutlierEjection.builder()
                            .consecutiveFailures(1)
                            .baseEjection(BASE_EJECTION)
                            .maxEjectionPercent(maxEjectionPercent)
                            // trial calls of ejected nodes are OutlierEjectionTest's: none opens in a run here
                            .trialInterval(Duration.ofHours(1))
                            .build())
                    .retry(RetryPolicy.builder().maxAttempts(Math.max(1, n)).budget(RetryBudget.unlimited()).build());
            for (int i = 0; i < n; i++) {
                b.node(Node.builder(id(i), "http://10.0.0." + i).weight(1 + random.nextInt(5)).build());
            }
            this.router = b.build();
        }

        private static String id(int i) {
            return "n" + i;
        }

        private static int index(Node<String> node) {
            return Integer.parseInt(node.id().substring(1));
        }

        private String where() {
            return "policy " + policy + ", scenario " + seed + ", " + model;
        }

        void run() {
            try (router) {
                if (model.n == 0) {
                    assertThatThrownBy(router::begin).as(where())
                            .isInstanceOfSatisfying(NoAvailableNodeException.class, e -> {
                                assertThat(e.registered()).isZero();
                                assertThat(e.healthy()).isZero();
                                assertThat(e.ejected()).isZero();
                            })
                            .hasMessage("router 'r" + seed + "' has no available node (0 registered, 0 healthy, 0 ejected)");
                    return;
                }
                setUp();
                startedWithNoAvailableNode = model.availableCount() == 0;
                for (int call = 0; call < CALLS_PER_SCENARIO; call++) {
                    call(call);
                    checkSnapshot("after call " + call);
                }
                assertThat(router.snapshot().nodes()).as(where()).allSatisfy(node -> assertThat(node.inFlight()).isZero());
                // every ejection ends within the 300 s cap (a node ejected again, after every ejection
                // ended, stays out twice as long) and every cool-down within 30 s: then every node is back
                now.addAndGet(TimeUnit.SECONDS.toNanos(301));
                assertThat(router.snapshot().nodes()).as(where()).allSatisfy(node -> assertThat(node.available()).isTrue());
            }
        }

        /**
         * Every node's failure ratio now, as the router's ejection reads it right after a completion (the
         * clock does not move in between): the ratio's arithmetic is NodeStateTest's, the decision the model's.
         */
        private double[] failureRatios() {
            double[] ratios = new double[model.n];
            for (int i = 0; i < model.n; i++) {
                ratios[i] = router.stats(id(i)).orElseThrow().failureRatio(now.get());
            }
            return ratios;
        }

        /** Gives some nodes a latency, ejects some and cools some down, with the call filter pinning the node. */
        private void setUp() {
            boolean noneAvailable = random.nextInt(5) == 0;
            for (int i = 0; i < model.n; i++) {
                String id = id(i);
                Attempt<String> a = router.newCall(node -> node.id().equals(id), null).begin();
                assertThat(a.node().id()).isEqualTo(id);
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1 + random.nextInt(50)));
                int what = noneAvailable ? 1 + random.nextInt(2) : random.nextInt(3);
                switch (what) {
                    case 0 -> {
                        a.complete(Outcome.SUCCESS);
                        model.answered(i);
                    }
                    case 1 -> {
                        a.complete(Outcome.FAILURE);
                        model.blamed(i, false, failureRatios());
                    }
                    default -> {
                        a.complete(Outcome.OVERLOADED, Duration.ofSeconds(1 + random.nextInt(30)));
                        model.blamed(i, true, failureRatios());
                    }
                }
            }
            checkSnapshot("after set-up");
        }

        private void call(int call) {
            RoutedCall<String> routed = router.newCall();
            Attempt<String> attempt = routed.begin();
            Set<Integer> tried = new LinkedHashSet<>();
            while (true) {
                int chosen = index(attempt.node());
                String context = where() + ", call " + call + ", attempt " + attempt.number() + " after " + tried;
                assertThat(tried).as("a retry went to a node already tried: %s", context).doesNotContain(chosen);
                assertThat(attempt.number()).as(context).isEqualTo(tried.size() + 1);
                List<Integer> availableUntried = new ArrayList<>();
                for (int i = 0; i < model.n; i++) {
                    if (model.available(i) && !tried.contains(i)) {
                        availableUntried.add(i);
                    }
                }
                if (model.panic()) {
                    panicPicks++;
                } else if (!availableUntried.isEmpty()) {
                    picksAmongMixed += availableUntried.size() < model.n - tried.size() ? 1 : 0;
                    assertThat(availableUntried).as("picked unavailable n%d while one was available: %s", chosen, context)
                            .contains(chosen);
                } else {
                    failOpenAttempts++;
                }
                tried.add(chosen);
                now.addAndGet(TimeUnit.MICROSECONDS.toNanos(random.nextInt(5_000)));
                Outcome outcome = complete(attempt, chosen);
                if (outcome == Outcome.SUCCESS) {
                    routed.succeeded(attempt);
                    assertThat(routed.isDone()).as(context).isTrue();
                    return;
                }
                RoutedCall.Decision decision = routed.failed(attempt, new IOException(outcome.toString()), null);
                if (!outcome.isRetryable()) {
                    // a client error or a cancelled attempt ends the call: another node would fare no better
                    assertThat(decision.action()).as(context).isEqualTo(RoutedCall.Action.STOP);
                    return;
                }
                if (decision.action() != RoutedCall.Action.RETRY) {
                    assertThat(decision).as(context)
                            .isEqualTo(new RoutedCall.Decision(RoutedCall.Action.STOP, 0, "max attempts " + model.n + " reached"));
                    break;
                }
                attempt = routed.retry();
                assertThat(attempt).as("a retry refused with %s: %s", routed.stopReason(), context).isNotNull();
            }
            assertThat(tried).as("with maxAttempts = %d and no budget limit every node is tried once: %s", model.n, where())
                    .hasSize(model.n);
            exhaustedCalls++;
        }

        private Outcome complete(Attempt<String> attempt, int chosen) {
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    attempt.complete(Outcome.SUCCESS);
                    model.answered(chosen);
                }
                case 2 -> {
                    attempt.complete(Outcome.CLIENT_ERROR);
                    model.answered(chosen);
                }
                case 3 -> attempt.complete(Outcome.CANCELLED);
                case 4 -> {
                    attempt.complete(Outcome.FAILURE);
                    model.blamed(chosen, false, failureRatios());
                }
                default -> {
                    attempt.complete(Outcome.OVERLOADED, Duration.ofSeconds(1 + random.nextInt(30)));
                    model.blamed(chosen, true, failureRatios());
                }
            }
            return attempt.outcome();
        }

        private void checkSnapshot(String when) {
            RouterSnapshot snapshot = router.snapshot();
            for (int i = 0; i < model.n; i++) {
                NodeSnapshot node = snapshot.node(id(i));
                assertThat(node.ejected()).as("n%d ejected %s, %s", i, when, where()).isEqualTo(model.ejected[i]);
                assertThat(node.coolingDown()).as("n%d cooling down %s, %s", i, when, where()).isEqualTo(model.cooling[i]);
                assertThat(node.healthy()).isTrue();
            }
        }
    }

    /** What the test expects of each node, from the documented rules, with a clock that never reaches a deadline. */
    private static final class Model {
        final int n;
        final int maxEjectionPercent;
        final boolean[] ejected;
        final boolean[] cooling;
        final boolean[] lastFailed;
        int refusedEjections;
        int restoredAll;
        int notOutliers;

        Model(int n, int maxEjectionPercent) {
            this.n = n;
            this.maxEjectionPercent = maxEjectionPercent;
            this.ejected = new boolean[n];
            this.cooling = new boolean[n];
            this.lastFailed = new boolean[n];
        }

        /**
         * A FAILURE or OVERLOADED: one in a row ejects, unless at least half of the other nodes in use
         * failed their latest attempt too (then every ejection ends), or at least half of them have a
         * failure ratio of at least a quarter of this node's (no outlier), or unless that would eject
         * more than the percent allows (rounded down).
         */
        void blamed(int i, boolean coolDown, double[] ratio) {
            cooling[i] |= coolDown;
            lastFailed[i] = true;
            if (ejected[i] || maxEjectionPercent == 0) {
                return;
            }
            int others = 0;
            int failing = 0;
            int asOften = 0;
            for (int j = 0; j < n; j++) {
                if (j != i && !ejected[j] && !cooling[j]) {
                    others++;
                    failing += lastFailed[j] ? 1 : 0;
                    asOften += ratio[j] * 4 >= ratio[i] ? 1 : 0;
                }
            }
            if (others > 0 && failing * 2 >= others) {
                java.util.Arrays.fill(ejected, false);
                restoredAll++;
            } else if (others > 0 && asOften * 2 >= others) {
                notOutliers++;
            } else if (ejectedCount() < n * maxEjectionPercent / 100) {
                ejected[i] = true;
                lastFailed[i] = false;
            } else {
                refusedEjections++;
            }
        }

        /** A SUCCESS or CLIENT_ERROR: failures in a row end, and an ejected node that answers is back. */
        void answered(int i) {
            lastFailed[i] = false;
            ejected[i] = false;
        }

        /** Whether fewer than half of the nodes are available: then calls go across all of them. */
        boolean panic() {
            int available = availableCount();
            return available < n && available * 100 < 50 * n;
        }

        boolean available(int i) {
            return !ejected[i] && !cooling[i];
        }

        int ejectedCount() {
            int c = 0;
            for (boolean e : ejected) {
                c += e ? 1 : 0;
            }
            return c;
        }

        int availableCount() {
            int c = 0;
            for (int i = 0; i < n; i++) {
                c += available(i) ? 1 : 0;
            }
            return c;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(n + " nodes, maxEjectionPercent " + maxEjectionPercent + ", [");
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : " ").append('n').append(i).append(available(i) ? "" : ejected[i]
                        ? (cooling[i] ? ":ejected+cooling" : ":ejected") : ":cooling");
            }
            return sb.append(']').toString();
        }
    }
}
