package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.RoutedCall.Action;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** A router's concurrency limit as its callers see it: refusals, their message, what is and is not limited. */
class ConcurrencyLimitTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final List<String> events = new ArrayList<>();

    private RouterBuilder<String> router(ConcurrencyLimit limit) {
        return Router.<String>builder("orders").ticker(now::get).outlierEjection(OutlierEjection.disabled())
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).node(Node.of("c", "http://c"))
                .concurrencyLimit(limit)
                .listener(new RouterListener() {
                    @Override
                    public void onConcurrencyLimitExceeded(String router, int limit, int inFlight) {
                        events.add(router + " " + inFlight + "/" + limit);
                    }
                });
    }

    /** Runs {@code concurrent} calls at a time that all answer in 10 ms, for 3 s of the fake clock. */
    private void calm(Router<String> r, int concurrent) {
        for (int i = 0; i < 300; i++) {
            List<Attempt<String>> running = new ArrayList<>();
            for (int j = 0; j < concurrent; j++) {
                running.add(r.newCall().begin());
            }
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            running.forEach(a -> a.complete(Outcome.SUCCESS));
        }
    }

    private static ConcurrencyLimit fixed(int limit) {
        return ConcurrencyLimit.builder().initialLimit(limit).minLimit(limit).maxLimit(limit).build();
    }

    @Test
    void aBurstBeyondTheLimitIsRefusedAtOnceWithTheLimitAndTheAttemptsInFlight() {
        try (Router<String> r = router(fixed(24)).build()) {
            List<Attempt<String>> running = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                running.add(r.newCall().begin());
            }
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                RoutedCall<String> call = r.newCall();
                assertThatThrownBy(call::begin).isInstanceOf(ConcurrencyLimitExceededException.class)
                        .hasMessage("router 'orders' is at its concurrency limit: 24 attempts in flight, limit 24; "
                                + "the call was not sent")
                        .satisfies(e -> {
                            ConcurrencyLimitExceededException c = (ConcurrencyLimitExceededException) e;
                            assertThat(c.router()).isEqualTo("orders");
                            assertThat(c.limit()).isEqualTo(24);
                            assertThat(c.inFlight()).isEqualTo(24);
                        });
                refused++;
            }
            assertThatThrownBy(r::begin).isInstanceOf(ConcurrencyLimitExceededException.class);
            RouterSnapshot s = r.snapshot();
            assertThat(s.concurrencyLimit()).isEqualTo(24);
            assertThat(s.limitedInFlight()).isEqualTo(24);
            assertThat(s.callsRejectedByLimit()).isEqualTo(refused + 1);
            assertThat(s.attemptsStarted()).as("nothing was sent for a refused call").isEqualTo(24);
            assertThat(events).hasSize(11).allMatch("orders 24/24"::equals);
            assertThat(s.toString()).contains("concurrency limit 24, 24 in flight, 11 calls rejected");

            // one ends: one more call may go
            running.get(0).complete(Outcome.SUCCESS);
            assertThat(r.snapshot().limitedInFlight()).isEqualTo(23);
            running.set(0, r.newCall().begin());
            assertThatThrownBy(() -> r.newCall().begin()).isInstanceOf(ConcurrencyLimitExceededException.class);
            running.forEach(a -> a.complete(Outcome.SUCCESS));
            assertThat(r.snapshot().limitedInFlight()).isZero();
        }
    }

    @Test
    void retriesAndHedgesAreRefusedBeforeFirstAttempts() throws Exception {
        // limit 10, retries and hedges stop at 80%: while 8 attempts or more would run, none begins
        try (Router<String> r = router(fixed(10)).hedge(HedgePolicy.afterDelay(Duration.ofMillis(5))).build()) {
            List<Attempt<String>> others = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                others.add(r.newCall().begin());
            }
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            // 8 in flight: a hedge would be the 9th
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("the router is near its concurrency limit (8 attempts in "
                    + "flight, limit 10; retries and hedges stop at 8)");
            first.complete(Outcome.FAILURE);
            // 7 in flight: the retry is the 8th, allowed
            assertThat(call.failed(first, new IOException("reset"), null).action()).isEqualTo(Action.RETRY);
            Attempt<String> retry = call.retry();
            assertThat(retry).isNotNull();
            others.add(r.newCall().begin()); // 9 in flight
            retry.complete(Outcome.FAILURE);
            // 8 in flight: another retry would be the 9th, refused; a first attempt still goes (9th and 10th)
            assertThat(call.failed(retry, new IOException("reset"), null).action()).isEqualTo(Action.RETRY);
            assertThat(call.retry()).isNull();
            assertThat(call.isDone()).isTrue();
            assertThat(call.stopReason()).isEqualTo("the router is near its concurrency limit (8 attempts in "
                    + "flight, limit 10; retries and hedges stop at 8)");
            assertThat(call.exception()).hasMessageContaining("the router is near its concurrency limit");
            others.add(r.newCall().begin());
            others.add(r.newCall().begin());
            assertThatThrownBy(() -> r.newCall().begin()).isInstanceOf(ConcurrencyLimitExceededException.class)
                    .hasMessageContaining("10 attempts in flight, limit 10");
            RouterSnapshot s = r.snapshot();
            assertThat(s.extrasRefusedByLimit()).isEqualTo(2);
            assertThat(s.callsRejectedByLimit()).isEqualTo(1);
            assertThat(s.retriesRefusedByBudget()).as("the budget was not touched by a refused retry").isZero();
            others.forEach(a -> a.complete(Outcome.SUCCESS));
            assertThat(r.snapshot().limitedInFlight()).isZero();
        }
    }

    @Test
    void untimedCallsAndBoundWorkAreNotLimited() {
        try (Router<String> r = router(fixed(2)).build()) {
            Attempt<String> a1 = r.newCall().begin();
            Attempt<String> a2 = r.newCall().begin();
            // a JDBC connection taken from a pool, and the statements on it
            List<Attempt<String>> untimed = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                untimed.add(r.newCall().untimed().begin());
            }
            BoundNode<String> bound = r.bind(untimed.get(0));
            List<Attempt<String>> statements = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statements.add(bound.begin());
            }
            assertThat(r.snapshot().limitedInFlight()).isEqualTo(2);
            assertThat(r.snapshot().attemptsStarted() - r.snapshot().attemptsCompleted()).isEqualTo(12);
            untimed.forEach(a -> a.complete(Outcome.SUCCESS));
            statements.forEach(a -> a.complete(Outcome.SUCCESS));
            assertThat(r.snapshot().limitedInFlight()).isEqualTo(2);
            a1.complete(Outcome.SUCCESS);
            a2.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().limitedInFlight()).isZero();
        }
    }

    @Test
    void aCallRefusedForAnotherReasonGivesItsPlaceBack() {
        try (Router<String> r = router(fixed(1)).build()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> r.newCall(n -> false, null).begin()).isInstanceOf(NoAvailableNodeException.class);
            }
            assertThat(r.snapshot().limitedInFlight()).isZero();
            r.newCall().begin().complete(Outcome.SUCCESS);
        }
    }

    @Test
    void byDefaultABurstOfTwoHundredCallsFromIdleOnAHealthyClusterIsNotRefused() {
        try (Router<String> r = Router.<String>builder("orders").ticker(now::get)
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).node(Node.of("c", "http://c")).build()) {
            // a steady trickle first: 4 calls at a time answering in 10 ms, for 5 s
            for (int i = 0; i < 500; i++) {
                List<Attempt<String>> running = new ArrayList<>();
                for (int j = 0; j < 4; j++) {
                    running.add(r.newCall().begin());
                }
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
                running.forEach(a -> a.complete(Outcome.SUCCESS));
            }
            assertThat(r.snapshot().concurrencyLimit()).isEqualTo(1000);
            // idle for a minute, then 200 calls at once; they queue at the servers and answer in 20 to 400 ms
            now.addAndGet(TimeUnit.SECONDS.toNanos(60));
            List<Attempt<String>> burst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                burst.add(r.newCall().begin());
            }
            for (int i = 0; i < 200; i++) {
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
                burst.get(i).complete(Outcome.SUCCESS);
            }
            // and a second burst right after the first
            burst.clear();
            for (int i = 0; i < 200; i++) {
                burst.add(r.newCall().begin());
            }
            burst.forEach(a -> a.complete(Outcome.SUCCESS));
            RouterSnapshot s = r.snapshot();
            assertThat(s.callsRejectedByLimit()).isZero();
            assertThat(s.attemptsStarted()).isEqualTo(2000 + 400);
            assertThat(events).isEmpty();
        }
    }

    @Test
    void afterEjectingASlowNodeFromACalmClusterTheLimitLetsItsShareSettleUntilItsCallsFailedAndASecondThenShedsAQueueThatLasts() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        try (Router<String> r = Router.<String>builder("orders").ticker(now::get).policy(RoutingPolicies.roundRobin())
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).node(Node.of("c", "http://c"))
                .node(Node.of("d", "http://d")).node(Node.of("e", "http://e")).build()) {
            // calm: 5 calls at a time answering in 10 ms, for 3 s
            calm(r, 5);
            // e hangs: its five calls time out after 1 s (the others answer in 10 ms) and eject it
            List<Attempt<String>> onE = new ArrayList<>();
            List<Attempt<String>> others = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                Attempt<String> a = r.newCall().begin();
                (a.node().id().equals("e") ? onE : others).add(a);
            }
            assertThat(onE).hasSize(5);
            now.addAndGet(10 * ms);
            others.forEach(a -> a.complete(Outcome.SUCCESS));
            now.addAndGet(990 * ms);
            onE.forEach(a -> a.complete(Outcome.FAILURE));
            assertThat(r.snapshot().nodes().stream().filter(NodeSnapshot::ejected).map(NodeSnapshot::id)).containsExactly("e");

            // its share moves onto a-d, which answer in 50 ms (5x the no-load latency) for a while; the calls sent
            // to e just before the ejection would fail over the next second (the 1 s the failed attempt took) and
            // be retried there too
            List<Integer> limits = new ArrayList<>();
            for (int w = 0; w < 30; w++) {
                for (int half = 0; half < 2; half++) {
                    List<Attempt<String>> running = new ArrayList<>();
                    for (int j = 0; j < 20; j++) {
                        try {
                            running.add(r.newCall().begin());
                        } catch (ConcurrencyLimitExceededException e) {
                            // shed, once the limit shrinks
                        }
                    }
                    now.addAndGet(50 * ms);
                    running.forEach(a -> a.complete(Outcome.SUCCESS));
                }
                limits.add(r.snapshot().concurrencyLimit());
                if (w == 18) {
                    assertThat(r.snapshot().callsRejectedByLimit()).as("nothing shed in those two seconds").isZero();
                }
            }
            assertThat(limits.subList(0, 19)).as("no shrink for the failed attempt's 1 s and the second after")
                    .allMatch(l -> l == 1000);
            assertThat(limits.get(29)).as("then a queue that lasts is shed as before").isLessThan(100);
            assertThat(r.snapshot().callsRejectedByLimit()).isPositive();
        }
    }

    @Test
    void aNodeWhoseLastCallsFailedLeavesNoHeadroomSoAQueueOnTheNodesLeftIsShed() {
        long ms = TimeUnit.MILLISECONDS.toNanos(1);
        // a policy that stops sending to a node once its last call failed, as the simulator's oracle does, so
        // the crashed nodes are never failed often enough in a row to be ejected
        RoutingPolicy avoidFailing = new RoutingPolicy() {
            private int next;

            @Override
            public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
                for (int i = 0; i < candidates.size(); i++) {
                    int k = (next++ & Integer.MAX_VALUE) % candidates.size();
                    if (candidates.get(k).consecutiveFailures() == 0) {
                        return k;
                    }
                }
                return 0;
            }

            @Override
            public String name() {
                return "avoid-failing";
            }
        };
        try (Router<String> r = router(ConcurrencyLimit.defaults()).policy(avoidFailing)
                .node(Node.of("d", "http://d")).build()) {
            // calm: 20 calls at a time answering in 10 ms, for 3 s (a window decides on 16 distinct answers)
            calm(r, 20);
            // c and d crash: each refuses one call, and the policy sends them nothing more
            for (int i = 0; i < 4; i++) {
                Attempt<String> a = r.newCall().begin();
                a.complete(a.node().id().equals("c") || a.node().id().equals("d") ? Outcome.FAILURE : Outcome.SUCCESS);
            }
            assertThat(r.snapshot().nodes().stream().filter(n -> n.consecutiveFailures() > 0).map(NodeSnapshot::id))
                    .containsExactlyInAnyOrder("c", "d");
            // a and b queue: their calls take 50 ms (5x the no-load latency) for 4 s
            for (int i = 0; i < 80; i++) {
                List<Attempt<String>> running = new ArrayList<>();
                for (int j = 0; j < 40; j++) {
                    try {
                        running.add(r.newCall().begin());
                    } catch (ConcurrencyLimitExceededException e) {
                        // shed
                    }
                }
                assertThat(running).allMatch(a -> a.node().id().equals("a") || a.node().id().equals("b"));
                now.addAndGet(50 * ms);
                running.forEach(a -> a.complete(Outcome.SUCCESS));
            }
            assertThat(r.snapshot().concurrencyLimit()).as("the crashed nodes' faded cost is no headroom").isLessThan(100);
            assertThat(r.snapshot().callsRejectedByLimit()).isPositive();
        }
    }

    @Test
    void withoutALimitNothingIsCountedOrRefused() {
        try (Router<String> r = router(ConcurrencyLimit.disabled()).build()) {
            List<Attempt<String>> running = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                running.add(r.newCall().begin());
            }
            RouterSnapshot s = r.snapshot();
            assertThat(s.concurrencyLimit()).isZero();
            assertThat(s.limitedInFlight()).isZero();
            assertThat(s.callsRejectedByLimit()).isZero();
            assertThat(s.toString()).doesNotContain("concurrency limit");
            running.forEach(a -> a.complete(Outcome.SUCCESS));
        }
    }

    @Test
    void executeFailsAtOnceWhenTheRouterIsAtItsLimit() {
        try (Router<String> r = router(fixed(1)).build()) {
            Attempt<String> running = r.newCall().begin();
            List<String> ran = new ArrayList<>();
            assertThatThrownBy(() -> r.execute(node -> ran.add(node.id())))
                    .isInstanceOf(ConcurrencyLimitExceededException.class)
                    .hasMessage("router 'orders' is at its concurrency limit: 1 attempts in flight, limit 1; the call "
                            + "was not sent");
            assertThat(ran).isEmpty();
            running.complete(Outcome.SUCCESS);
            String answer = r.execute(node -> "ok");
            assertThat(answer).isEqualTo("ok");
        }
    }

    @Test
    void badSettingsAreRefusedWithTheFieldTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> ConcurrencyLimit.builder().initialLimit(0))
                .hasMessage("concurrencyLimit.initialLimit must be in [1, 1000000], but was 0");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().maxLimit(2_000_000))
                .hasMessage("concurrencyLimit.maxLimit must be in [1, 1000000], but was 2000000");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().minLimit(-1))
                .hasMessage("concurrencyLimit.minLimit must be in [1, 1000000], but was -1");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().window(Duration.ZERO))
                .hasMessage("concurrencyLimit.window must be in [PT0.001S, PT1M], but was PT0S");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().tolerance(0.5))
                .hasMessage("concurrencyLimit.tolerance must be in [1.0, 100.0], but was 0.5");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().tolerance(Double.NaN))
                .hasMessage("concurrencyLimit.tolerance must be in [1.0, 100.0], but was NaN");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().extraAttemptsPercent(100))
                .hasMessage("concurrencyLimit.extraAttemptsPercent must be in [1, 99], but was 100");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().minLimit(10).maxLimit(5).build())
                .hasMessage("concurrencyLimit.maxLimit must be >= concurrencyLimit.minLimit (10), but was 5");
        assertThatThrownBy(() -> ConcurrencyLimit.builder().initialLimit(2000).build())
                .hasMessage("concurrencyLimit.initialLimit must be in [minLimit, maxLimit] = [1, 1000], but was 2000");
        assertThatThrownBy(() -> Router.<String>builder("orders").concurrencyLimit(null))
                .hasMessage("router 'orders': concurrencyLimit must not be null");
        assertThat(ConcurrencyLimit.defaults()).hasToString("ConcurrencyLimit[initialLimit=1000, minLimit=1, "
                + "maxLimit=1000, window=PT0.1S, tolerance=2.00, extraAttemptsPercent=80]");
        assertThat(ConcurrencyLimit.disabled().isEnabled()).isFalse();
    }
}
