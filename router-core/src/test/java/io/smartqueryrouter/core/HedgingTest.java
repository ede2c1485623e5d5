package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Hedged requests in the core: {@link Router#execute} on real threads, and {@link RoutedCall#hedge()} on a fake clock. */
class HedgingTest {
    /** Always takes the first candidate: the first registered node that is available and untried. */
    private static final RoutingPolicy FIRST = new RoutingPolicy() {
        @Override
        public int select(Candidates candidates, long nowNanos, RandomGenerator random) {
            return 0;
        }

        @Override
        public String name() {
            return "first";
        }
    };

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final List<String> hedgeEvents = new CopyOnWriteArrayList<>();
    private final CountDownLatch hedged = new CountDownLatch(1);

    private RouterBuilder<String> router(HedgePolicy hedge, String... ids) {
        RouterBuilder<String> b = Router.<String>builder("orders").policy(FIRST).hedge(hedge)
                .listener(new RouterListener() {
                    @Override
                    public void onHedge(String router, Node<?> from, Node<?> to, int attempt) {
                        hedgeEvents.add(router + ": " + from.id() + " -> " + to.id() + " #" + attempt);
                        hedged.countDown();
                    }
                });
        for (String id : ids) {
            b.node(Node.of(id, "http://" + id));
        }
        return b;
    }

    private RouterBuilder<String> onFakeClock(HedgePolicy hedge, String... ids) {
        return router(hedge, ids).ticker(now::get);
    }

    /** Blocks until interrupted, then counts down {@code interrupted} and rethrows. */
    private static void stallUntilInterrupted(CountDownLatch interrupted) throws InterruptedException {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
        }
    }

    private static void awaitIgnoringInterrupts(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting
            }
        }
    }

    private static long completed(Router<String> r, String id, Outcome outcome) {
        return r.stats(id).map(s -> s.completed(outcome)).orElseThrow();
    }

    private static int inFlight(Router<String> r, String id) {
        return r.stats(id).map(NodeStats::inFlight).orElseThrow();
    }

    // ------------------------------------------------------------------ execute

    @Test
    void anInterruptAfterEveryAttemptAnsweredReturnsTheAnswerInsteadOfAnIllegalState() {
        // attempts run on the calling thread (a direct executor): the attempt answers and the thread is
        // interrupted before the coordinator waits; it used to throw "no attempt of the call has failed"
        HedgePolicy direct = HedgePolicy.builder().afterDelay(Duration.ofMillis(5)).executor(Runnable::run).build();
        try (Router<String> r = router(direct, "a", "b").build()) {
            String result = r.execute(node -> {
                Thread.currentThread().interrupt();
                return "ok from " + node.id();
            });
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            assertThat(result).startsWith("ok from ");
            assertThat(r.snapshot().attemptsCompleted()).isEqualTo(1);
            assertThat(r.snapshot().nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());

            // and one that failed before the interrupt is in the exception, naming its node
            assertThatThrownBy(() -> r.execute(node -> {
                Thread.currentThread().interrupt();
                throw new IOException("refused by " + node.id());
            })).isInstanceOf(AttemptsFailedException.class).hasMessageContaining("refused by");
            assertThat(Thread.interrupted()).isTrue();
        }
    }

    @Test
    void aClientErrorFromTheHedgeEndsTheCallAtOnceAndCancelsTheStalledAttempt() {
        CountDownLatch aInterrupted = new CountDownLatch(1);
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), "a", "b", "c")
                .failureClassifier(e -> e instanceof IllegalArgumentException ? Outcome.CLIENT_ERROR : Outcome.FAILURE)
                .build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                if (node.id().equals("a")) {
                    stallUntilInterrupted(aInterrupted);
                }
                throw new IllegalArgumentException("400 from " + node.id());
            })).isInstanceOf(AttemptsFailedException.class)
                    .hasMessageContaining("CLIENT_ERROR is not retried");
            // the stalled attempt is cut, not waited for, and no third node is asked the same bad request
            assertThat(awaitQuietly(aInterrupted)).as("attempt on a interrupted").isTrue();
            assertThat(completed(r, "a", Outcome.CANCELLED)).isEqualTo(1);
            assertThat(completed(r, "b", Outcome.CLIENT_ERROR)).isEqualTo(1);
            assertThat(r.stats("c").orElseThrow().requests()).isZero();
        }
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void aStalledFirstAttemptIsHedgedAfterTheDelayAndTheHedgeAnswerIsReturned() throws Exception {
        CountDownLatch aInterrupted = new CountDownLatch(1);
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(50)), "a", "b").build()) {
            long start = System.nanoTime();
            String result = r.execute(node -> {
                if (node.id().equals("a")) {
                    stallUntilInterrupted(aInterrupted);
                }
                return "answer from " + node.id();
            });
            long elapsed = System.nanoTime() - start;

            assertThat(result).isEqualTo("answer from b");
            assertThat(elapsed).as("the hedge waits the delay").isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
            assertThat(hedgeEvents).containsExactly("orders: a -> b #2");
            assertThat(r.snapshot().hedges()).isEqualTo(1);
            // the loser is completed CANCELLED before execute returns, and its thread is interrupted
            assertThat(completed(r, "a", Outcome.CANCELLED)).isEqualTo(1);
            assertThat(completed(r, "a", Outcome.SUCCESS)).isZero();
            assertThat(completed(r, "b", Outcome.SUCCESS)).isEqualTo(1);
            assertThat(inFlight(r, "a") + inFlight(r, "b")).isZero();
            assertThat(aInterrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("a's thread interrupted").isTrue();
            RouterSnapshot s = r.snapshot();
            assertThat(s.attemptsStarted()).isEqualTo(2);
            assertThat(s.attemptsCompleted()).isEqualTo(2);
        }
    }

    @Test
    void whenTheTimeoutPassesWhileEveryAttemptStallsTheCallFailsThenAndItsAttemptsAreCancelled() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(2);
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(50)), "a", "b").build()) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> r.execute(node -> {
                stallUntilInterrupted(interrupted);
                return "answer from " + node.id();
            }, Duration.ofMillis(300)))
                    .isInstanceOf(AttemptsFailedException.class)
                    .hasMessageStartingWith("router 'orders': call failed after 2 attempts (the call's deadline passed): ");
            long elapsed = System.nanoTime() - start;
            // not before the 300 ms deadline; the stalls would last the test's whole wait otherwise
            assertThat(elapsed).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos()).isLessThan(WAIT.toNanos());
            assertThat(interrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("both threads interrupted").isTrue();
            assertThat(completed(r, "a", Outcome.CANCELLED) + completed(r, "b", Outcome.CANCELLED)).isEqualTo(2);
            assertThat(inFlight(r, "a") + inFlight(r, "b")).isZero();
        }
    }

    @Test
    void noHedgeWhenTheFirstAttemptAnswersBeforeTheDelay() {
        AtomicReference<Thread> worker = new AtomicReference<>();
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofSeconds(10)), "a", "b").build()) {
            for (int i = 0; i < 20; i++) {
                String id = r.execute(node -> {
                    worker.set(Thread.currentThread());
                    return node.id();
                });
                assertThat(id).isEqualTo("a");
            }
            assertThat(r.snapshot().hedges()).isZero();
            assertThat(hedgeEvents).isEmpty();
            assertThat(r.snapshot().node("b").requests()).isZero();
            assertThat(r.snapshot().node("a").successes()).isEqualTo(20);
            // attempts run on the router's own daemon threads, named after it
            assertThat(worker.get().getName()).startsWith("smartqueryrouter-orders-hedge-");
            assertThat(worker.get().isDaemon()).isTrue();
            assertThat(worker.get()).isNotSameAs(Thread.currentThread());
        }
    }

    @Test
    void withoutAHedgePolicyExecuteRunsOnTheCallersThread() {
        try (Router<String> r = Router.<String>builder("orders").node(Node.of("a", "http://a")).build()) {
            assertThat(r.hedgePolicy()).isSameAs(HedgePolicy.disabled());
            assertThat(r.newCall().hedgeDelayNanos()).isEqualTo(Long.MAX_VALUE);
            Thread ran = r.execute(node -> Thread.currentThread());
            assertThat(ran).isSameAs(Thread.currentThread());
        }
    }

    @Test
    void aHedgeThatFailsIsRetriedOnAnUntriedNodeWhileTheStalledAttemptKeepsRunning() {
        CountDownLatch aInterrupted = new CountDownLatch(1);
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), "a", "b", "c").build()) {
            String result = r.execute(node -> {
                switch (node.id()) {
                    case "a" -> stallUntilInterrupted(aInterrupted);
                    case "b" -> throw new IOException("connection reset by b");
                    default -> {
                    }
                }
                return "answer from " + node.id();
            });
            assertThat(result).isEqualTo("answer from c");
            assertThat(completed(r, "a", Outcome.CANCELLED)).isEqualTo(1);
            assertThat(completed(r, "b", Outcome.FAILURE)).isEqualTo(1);
            assertThat(completed(r, "c", Outcome.SUCCESS)).isEqualTo(1);
            assertThat(r.snapshot().retries()).isEqualTo(1);
            assertThat(inFlight(r, "a") + inFlight(r, "b") + inFlight(r, "c")).isZero();
        }
    }

    @Test
    void whenEveryAttemptFailsTheExceptionListsEachAttemptsFailure() {
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), "a", "b").build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                if (node.id().equals("a")) {
                    // a fails only once the hedge is on its way, so both attempts overlap
                    hedged.await();
                }
                throw new IOException("refused by " + node.id());
            })).isInstanceOfSatisfying(AttemptsFailedException.class, e -> {
                assertThat(e.getMessage()).startsWith("router 'orders': call failed after 2 attempts (no untried node left): ");
                assertThat(e.attempts()).extracting(NodeAttemptException::nodeId).containsExactlyInAnyOrder("a", "b");
                assertThat(e.attempts()).extracting(NodeAttemptException::attempt).containsExactlyInAnyOrder(1, 2);
                assertThat(e.attempts()).allSatisfy(a -> assertThat(a.getCause()).hasMessage("refused by " + a.nodeId()));
                assertThat(e.getSuppressed()).hasSize(2);
            });
            assertThat(completed(r, "a", Outcome.FAILURE) + completed(r, "b", Outcome.FAILURE)).isEqualTo(2);
            assertThat(inFlight(r, "a") + inFlight(r, "b")).isZero();
        }
    }

    @Test
    void theBudgetBoundsHedgesWhenEveryNodeStalls() {
        int calls = 60;
        // the clock stands still: every call falls in one budget window
        try (Router<String> r = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(1)), "a", "b", "c").build()) {
            AtomicInteger attempts = new AtomicInteger();
            for (int i = 0; i < calls; i++) {
                r.execute(node -> {
                    attempts.incrementAndGet();
                    LockSupport.parkNanos(Duration.ofMillis(15).toNanos());   // every node is slow
                    return node.id();
                });
            }
            long allowed = 1 + calls * 5 / 100;   // the reserve of 1 per window plus 5% of the calls
            RouterSnapshot s = r.snapshot();
            assertThat(s.hedges()).as("hedges of %d calls", calls).isBetween(1L, allowed);
            // every attempt begun is a call's first or a hedge, nothing else
            assertThat(s.attemptsStarted()).isEqualTo(calls + s.hedges());
            assertThat(s.attemptsCompleted()).isEqualTo(calls + s.hedges());
            // a hedge that lost the race before its thread got to run is cancelled without ever calling the node
            assertThat(attempts.get()).isBetween(calls, calls + (int) s.hedges());
            assertThat(s.hedges() + s.hedgesRefusedByBudget()).isLessThanOrEqualTo(calls);
            assertThat(r.snapshot().nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());
        }
    }

    @Test
    void aRouterOwnPoolEndsWithClose() throws Exception {
        AtomicReference<Thread> worker = new AtomicReference<>();
        Router<String> r = router(HedgePolicy.afterDelay(Duration.ofSeconds(10)), "a").build();
        r.execute(node -> {
            worker.set(Thread.currentThread());
            return node.id();
        });
        r.close();
        worker.get().join(WAIT.toMillis());
        assertThat(worker.get().isAlive()).isFalse();
        assertThatThrownBy(() -> r.execute(node -> node.id())).isInstanceOf(IllegalStateException.class)
                .hasMessage("router 'orders' is closed");
    }

    @Test
    void interruptingTheCallerCancelsEveryRunningAttempt() throws Exception {
        CountDownLatch bothStarted = new CountDownLatch(2);
        CountDownLatch bothInterrupted = new CountDownLatch(2);
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(10)), "a", "b").build()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            AtomicBoolean flagKept = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    r.execute(node -> {
                        bothStarted.countDown();
                        stallUntilInterrupted(bothInterrupted);
                        return node.id();
                    });
                    thrown.complete(null);
                } catch (Throwable t) {
                    flagKept.set(Thread.currentThread().isInterrupted());
                    thrown.complete(t);
                }
            });
            caller.start();
            assertThat(bothStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the attempt and its hedge run").isTrue();
            caller.interrupt();

            assertThat(thrown.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(AttemptsFailedException.class)
                    .hasMessageContaining("call failed after 2 attempts (interrupted)");
            assertThat(flagKept).isTrue();
            assertThat(bothInterrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(completed(r, "a", Outcome.CANCELLED) + completed(r, "b", Outcome.CANCELLED)).isEqualTo(2);
            assertThat(inFlight(r, "a") + inFlight(r, "b")).isZero();
        }
    }

    @Test
    void aResultThatLostTheRaceIsClosed() throws Exception {
        CountDownLatch aMayAnswer = new CountDownLatch(1);
        CountDownLatch lateResultClosed = new CountDownLatch(1);
        try (Router<String> r = router(HedgePolicy.afterDelay(Duration.ofMillis(10)), "a", "b").build()) {
            AutoCloseable result = r.<AutoCloseable>execute(node -> {
                if (node.id().equals("a")) {
                    // ignores interrupts, as blocking socket I/O does, and answers after the call is over
                    awaitIgnoringInterrupts(aMayAnswer);
                    return lateResultClosed::countDown;
                }
                return () -> { };
            });
            assertThat(result).isNotNull();
            assertThat(completed(r, "a", Outcome.CANCELLED)).isEqualTo(1);
            aMayAnswer.countDown();
            assertThat(lateResultClosed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            // completed once: the late answer does not count a second time
            assertThat(r.snapshot().node("a").completed()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ RoutedCall.hedge()

    @Test
    void aHedgeGoesToAnUntriedNodeAndARetryAfterItAvoidsBoth() {
        try (Router<String> r = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(5)), "a", "b", "c").build()) {
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            Attempt<String> hedge = call.hedge();
            assertThat(hedge).isNotNull();
            assertThat(hedge.node().id()).isEqualTo("b");
            assertThat(hedge.number()).isEqualTo(2);
            assertThat(hedgeEvents).containsExactly("orders: a -> b #2");

            first.complete(Outcome.FAILURE);
            assertThat(call.failed(first, new IOException("refused by a"), null).action())
                    .isEqualTo(RoutedCall.Action.RETRY);
            Attempt<String> retry = call.retry();
            assertThat(retry).isNotNull();
            assertThat(retry.node().id()).as("b was tried by the hedge").isEqualTo("c");
            assertThat(retry.number()).isEqualTo(3);
            retry.complete(Outcome.SUCCESS);
            call.succeeded(retry);
            hedge.complete(Outcome.CANCELLED);
            assertThat(r.snapshot().nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());
            assertThat(r.snapshot().attemptsStarted()).isEqualTo(3);
        }
    }

    @Test
    void hedgeTellsWhyItRefuses() {
        try (Router<String> plain = Router.<String>builder("plain").node(Node.of("a", "a")).node(Node.of("b", "b"))
                .build()) {
            RoutedCall<String> call = plain.newCall();
            Attempt<String> a = call.begin();
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("hedging disabled");
            a.complete(Outcome.SUCCESS);
            call.succeeded(a);
        }
        try (Router<String> r = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(5)), "a", "b").build()) {
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            assertThat(call.noHedgeReason()).isNull();
            Attempt<String> hedge = call.hedge();
            assertThat(hedge).isNotNull();
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("max hedges 1 reached");

            // work bound to the hedge's node is no attempt of the call: it neither hedges nor counts in it
            Attempt<String> bound = r.bind(hedge).begin();
            assertThat(bound.node().id()).isEqualTo(hedge.node().id());
            bound.complete(Outcome.SUCCESS);
            assertThat(call.attempts()).isEqualTo(2);

            hedge.complete(Outcome.SUCCESS);
            call.succeeded(hedge);
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("the call is over");
            first.complete(Outcome.CANCELLED);
            assertThat(r.snapshot().hedges()).isEqualTo(1);
        }
        try (Router<String> single = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(5)), "a").build()) {
            RoutedCall<String> call = single.newCall();
            Attempt<String> only = call.begin();
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("no untried node left");
            single.close();
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("router 'orders' is closed");
            only.complete(Outcome.CANCELLED);
            assertThat(single.snapshot().node("a").inFlight()).isZero();
        }
    }

    @Test
    void noHedgeWhileEveryUntriedNodeTakesAsLongAsTheSilentOneHasWaited() {
        try (Router<String> r = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(5)), "a", "b").build()) {
            // b answered its last call in 40 ms: its Peak-EWMA says a hedge there takes about that long
            RoutedCall<String> onB = r.newCall(n -> n.id().equals("b"), null);
            Attempt<String> slow = onB.begin();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(40));
            slow.complete(Outcome.SUCCESS);
            onB.succeeded(slow);

            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            assertThat(first.node().id()).isEqualTo("a");
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(30));
            assertThat(call.hedge()).as("a silent 30 ms, b takes 40: a hedge would not come back sooner").isNull();
            assertThat(call.noHedgeReason()).isEqualTo("every untried node is as slow: the fastest takes 39 ms, "
                    + "the running attempt's node has been silent 30 ms");
            assertThat(r.snapshot().hedges()).isZero();

            // silent over twice as long as b takes: a stall b can beat
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(51));
            Attempt<String> hedge = call.hedge();
            assertThat(hedge).isNotNull();
            assertThat(hedge.node().id()).isEqualTo("b");
            hedge.complete(Outcome.SUCCESS);
            call.succeeded(hedge);
            first.complete(Outcome.CANCELLED);
            assertThat(r.snapshot().hedges()).isEqualTo(1);
        }
    }

    @Test
    void aNodeWhoseAttemptLostToAHedgeGetsNoNewCallsFromLeastInFlightWhileItPresumablyStillWorksOnIt() {
        try (Router<String> r = Router.<String>builder("orders").policy(RoutingPolicies.leastInFlight())
                .hedge(HedgePolicy.afterDelay(Duration.ofMillis(5))).random(new java.util.SplittableRandom(7))
                .outlierEjection(OutlierEjection.disabled()).ticker(now::get)
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).build()) {
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            String slow = first.node().id();
            // silent 100 ms, over twice the 30 ms the other (unknown) node is assumed to take: hedged there
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            Attempt<String> hedge = call.hedge();
            assertThat(hedge).isNotNull();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            hedge.complete(Outcome.SUCCESS);
            call.succeeded(hedge);
            first.complete(Outcome.CANCELLED);
            assertThat(r.snapshot().nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());

            // the slow node's server still has the request it waited 110 ms for: calls in the next 110 ms go
            // elsewhere (counted out of flight at the cancel, least-in-flight sent it half of them)
            assertThat(picks(r, slow, 1000)).as("calls to the node whose attempt was cancelled").isZero();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(109));
            assertThat(picks(r, slow, 1000)).isZero();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
            assertThat(picks(r, slow, 1000)).as("as long again as it waited has passed").isBetween(400, 600);

            // cancelled again; an answer from the node to a call begun after that ends the wait at once
            RoutedCall<String> again = r.newCall(n -> n.id().equals(slow), null);
            Attempt<String> lost = again.begin();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(100));
            lost.complete(Outcome.CANCELLED);
            assertThat(picks(r, slow, 1000)).isZero();
            RoutedCall<String> later = r.newCall(n -> n.id().equals(slow), null);
            Attempt<String> answered = later.begin();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
            answered.complete(Outcome.SUCCESS);
            later.succeeded(answered);
            assertThat(picks(r, slow, 1000)).isBetween(400, 600);
        }
    }

    /** Begins and ends {@code calls} calls one at a time; returns how many went to {@code node}. */
    private static int picks(Router<String> r, String node, int calls) {
        int n = 0;
        for (int i = 0; i < calls; i++) {
            RoutedCall<String> c = r.newCall();
            Attempt<String> a = c.begin();
            if (a.node().id().equals(node)) {
                n++;
            }
            a.complete(Outcome.SUCCESS);
            c.succeeded(a);
        }
        return n;
    }

    @Test
    void moreHedgesPerCallStayWithinTheCallsFilterAndTheirOwnLimit() {
        HedgePolicy twoHedges = HedgePolicy.builder().afterDelay(Duration.ofMillis(5)).maxHedges(2).build();
        try (Router<String> r = onFakeClock(twoHedges, "replica-1", "primary", "replica-2", "replica-3").build()) {
            for (int i = 0; i < 40; i++) {
                r.begin().complete(Outcome.SUCCESS);   // calls that give the budget room for two hedges
            }
            RoutedCall<String> call = r.newCall(n -> n.id().startsWith("replica"), null);
            Attempt<String> first = call.begin();
            Attempt<String> second = call.hedge();
            Attempt<String> third = call.hedge();
            assertThat(second).isNotNull();
            assertThat(third).isNotNull();
            assertThat(List.of(first, second, third)).extracting(a -> a.node().id())
                    .containsExactly("replica-1", "replica-2", "replica-3");
            assertThat(List.of(first, second, third)).extracting(Attempt::number).containsExactly(1, 2, 3);
            assertThat(call.hedge()).isNull();
            assertThat(call.noHedgeReason()).isEqualTo("max hedges 2 reached");
            for (Attempt<String> a : List.of(first, second, third)) {
                a.complete(Outcome.CANCELLED);
            }
            assertThat(r.snapshot().node("primary").requests()).isZero();
        }
    }

    @Test
    void theBudgetAllowsFivePercentOfTheCallsOfTheLastSecondPlusOne() {
        try (Router<String> r = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(5)), "a", "b").build()) {
            int hedges = 0;
            String lastRefusal = null;
            for (int i = 0; i < 200; i++) {
                RoutedCall<String> call = r.newCall();
                Attempt<String> first = call.begin();
                Attempt<String> hedge = call.hedge();
                if (hedge == null) {
                    lastRefusal = call.noHedgeReason();
                }
                first.complete(Outcome.SUCCESS);
                call.succeeded(first);
                if (hedge != null) {
                    hedges++;
                    hedge.complete(Outcome.CANCELLED);
                }
            }
            // 1 per window, then one more for every 20 calls: exactly 1 + 200 x 5%
            assertThat(hedges).isEqualTo(11);
            assertThat(r.snapshot().hedges()).isEqualTo(11);
            assertThat(r.snapshot().hedgesRefusedByBudget()).isEqualTo(189);
            assertThat(lastRefusal).isEqualTo("hedge budget spent");

            // 1 s later the old calls and hedges have left the window: the reserve is back
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            Attempt<String> hedge = call.hedge();
            assertThat(hedge).isNotNull();
            assertThat(call.hedge()).isNull();
            first.complete(Outcome.SUCCESS);
            call.succeeded(first);
            hedge.complete(Outcome.CANCELLED);
            RoutedCall<String> nextCall = r.newCall();
            Attempt<String> next = nextCall.begin();
            assertThat(nextCall.hedge()).isNull();
            assertThat(nextCall.noHedgeReason()).isEqualTo("hedge budget spent");
            next.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().hedges()).isEqualTo(12);
            assertThat(r.snapshot().hedgesRefusedByBudget()).isEqualTo(190);
        }
    }

    @Test
    void aDisabledOrFixedDelayIsWhatHedgeDelayNanosSays() {
        try (Router<String> r = onFakeClock(HedgePolicy.afterDelay(Duration.ofMillis(7)), "a").build()) {
            assertThat(r.newCall().hedgeDelayNanos()).isEqualTo(Duration.ofMillis(7).toNanos());
        }
    }

    @Test
    void theAdaptiveDelayFollowsThePercentileOfRecentSuccessfulLatencies() {
        HedgePolicy p95 = HedgePolicy.afterPercentile(0.95);
        try (Router<String> r = onFakeClock(p95, "a", "b").latencyPrior(Duration.ofMillis(40)).build()) {
            assertThat(r.newCall().hedgeDelayNanos()).as("no samples: the prior").isEqualTo(Duration.ofMillis(40).toNanos());

            // 100 successes with latencies 1..100 ms, and failures that must not count
            List<Attempt<String>> attempts = new CopyOnWriteArrayList<>();
            for (int i = 0; i < 110; i++) {
                attempts.add(r.begin());
            }
            for (int i = 0; i < 110; i++) {
                now.addAndGet(Duration.ofMillis(1).toNanos());
                attempts.get(i).complete(i < 100 ? Outcome.SUCCESS : Outcome.FAILURE);
            }
            long delay = r.newCall().hedgeDelayNanos();
            // the p95 of 1..100 ms is 95 ms; buckets are at most 12.5% wide and read at their upper bound
            assertThat(delay).isBetween(Duration.ofMillis(95).toNanos(), Duration.ofMillis(107).toNanos());

            // a few seconds later the samples are still recent; after two windows (10 s) they are gone
            now.addAndGet(Duration.ofSeconds(4).toNanos());
            assertThat(r.newCall().hedgeDelayNanos()).isEqualTo(delay);
            now.addAndGet(Duration.ofSeconds(7).toNanos());
            assertThat(r.newCall().hedgeDelayNanos()).isEqualTo(Duration.ofMillis(40).toNanos());
        }
    }

    @Test
    void belowTwentySamplesTheAdaptiveDelayIsTheSlowestAndNeverBelowTheMinimum() {
        HedgePolicy p95 = HedgePolicy.builder().afterPercentile(0.95).minDelay(Duration.ofMillis(3)).build();
        try (Router<String> r = onFakeClock(p95, "a").latencyPrior(Duration.ofMillis(1)).build()) {
            assertThat(r.newCall().hedgeDelayNanos()).as("the prior, raised to the minimum").isEqualTo(Duration.ofMillis(3).toNanos());
            // 18 answers in 5 ms and one in 60 ms: too few for a p95, so the slowest counts (hedging later, not sooner)
            for (int i = 0; i < 19; i++) {
                Attempt<String> a = r.begin();
                now.addAndGet(Duration.ofMillis(i == 0 ? 60 : 5).toNanos());
                a.complete(Outcome.SUCCESS);
            }
            assertThat(r.newCall().hedgeDelayNanos()).as("19 samples: the slowest")
                    .isBetween(Duration.ofMillis(60).toNanos(), Duration.ofMillis(68).toNanos());
            // the 20th: the p95 of twenty is the 19th fastest, 5 ms (buckets are at most 12.5% wide)
            Attempt<String> a = r.begin();
            now.addAndGet(Duration.ofMillis(5).toNanos());
            a.complete(Outcome.SUCCESS);
            assertThat(r.newCall().hedgeDelayNanos()).isBetween(Duration.ofMillis(5).toNanos(), Duration.ofMillis(6).toNanos());
        }
    }

    @Test
    void settingsAreValidatedWithTheFieldAndValue() {
        assertThatThrownBy(() -> HedgePolicy.afterDelay(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge.delay must be > 0, but was PT0S");
        assertThatThrownBy(() -> HedgePolicy.afterPercentile(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge.percentile must be in [0.5, 0.999], but was 1.0");
        assertThatThrownBy(() -> HedgePolicy.afterPercentile(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge.percentile must be in [0.5, 0.999], but was NaN");
        assertThatThrownBy(() -> HedgePolicy.builder().maxExtraPercent(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge.maxExtraPercent must be in [1, 100], but was 0");
        assertThatThrownBy(() -> HedgePolicy.builder().maxHedges(11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge.maxHedges must be in [1, 10], but was 11");
        assertThatThrownBy(() -> HedgePolicy.builder().minDelay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("hedge.minDelay must be > 0, but was PT-0.001S");
        assertThatThrownBy(() -> HedgePolicy.builder().executor(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("hedge.executor must not be null");
        assertThatThrownBy(() -> HedgePolicy.builder().afterDelay(Duration.ofMillis(5)).afterPercentile(0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge: afterPercentile(0.9) conflicts with afterDelay(PT0.005S) set before; "
                        + "a delay is either fixed or adaptive");
        assertThatThrownBy(() -> HedgePolicy.builder().afterDelay(Duration.ofMillis(5)).minDelay(Duration.ofMillis(1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hedge.minDelay (PT0.001S) applies to an adaptive delay (afterPercentile), not to the fixed "
                        + "delay PT0.005S");
        assertThatThrownBy(() -> Router.<String>builder("orders").hedge(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("router 'orders': hedge must not be null");

        HedgePolicy defaults = HedgePolicy.builder().build();
        assertThat(defaults.isAdaptive()).isTrue();
        assertThat(defaults.percentile()).hasValue(0.95);
        assertThat(defaults.minDelay()).isEqualTo(Duration.ofMillis(1));
        assertThat(defaults.maxExtraPercent()).isEqualTo(5);
        assertThat(defaults.maxHedges()).isEqualTo(1);
        assertThat(defaults.executor()).isEmpty();
        assertThat(HedgePolicy.disabled().isEnabled()).isFalse();
        assertThat(HedgePolicy.afterDelay(Duration.ofMillis(5)).fixedDelay()).hasValue(Duration.ofMillis(5));
        assertThat(HedgePolicy.afterDelay(Duration.ofMillis(5))).hasToString(
                "HedgePolicy[delay=PT0.005S, maxExtraPercent=5, maxHedges=1]");
    }
}
