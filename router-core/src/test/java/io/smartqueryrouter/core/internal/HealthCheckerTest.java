package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.HealthProbe;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The health checker's counting and scheduling, driven by hand: a fake ticker, a direct executor,
 * no jitter, a probe that answers from a script. The sink applies each health change to the node,
 * as the router does, so counting continues on the node's real health.
 */
class HealthCheckerTest {
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(5);
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final Ticker ticker = now::get;

    /** What the scripted probe answers next: a ProbeResult, an Exception or Error to throw, or a Runnable to run then pass. */
    private final Deque<Object> script = new ArrayDeque<>();
    private final List<String> probedIds = new ArrayList<>();
    private final List<Call> calls = new ArrayList<>();

    private final HealthProbe<String> probe = (node, timeout) -> {
        probedIds.add(node.id());
        Object next = script.poll();
        if (next == null) {
            throw new AssertionError("the probe of node '" + node.id() + "' ran, but the script is empty");
        }
        if (next instanceof Exception e) {
            throw e;
        }
        if (next instanceof Error e) {
            throw e;
        }
        if (next instanceof Runnable r) {
            r.run();
            return ProbeResult.ok();
        }
        return (ProbeResult) next;
    };

    private record Call(String node, ProbeResult result, long durationNanos, Boolean healthChange) {
    }

    private final HealthChecker.Sink<String> sink = (state, result, durationNanos, healthChange) -> {
        calls.add(new Call(state.node().id(), result, durationNanos, healthChange));
        if (healthChange != null) {
            state.healthy(healthChange);
        }
    };

    private NodeState<String> node(String id) {
        return new NodeState<>(Node.of(id, "http://" + id), 30e6, 10e9, ticker.read());
    }

    private HealthChecker<String> checker(HealthCheck<String> config, Executor executor,
            List<NodeState<String>> nodes) {
        @SuppressWarnings("unchecked")
        NodeState<String>[] none = (NodeState<String>[]) new NodeState<?>[0];
        return new HealthChecker<>("orders", config.jitter(0), ticker, new SplittableRandom(1),
                () -> nodes.toArray(none), sink, executor);
    }

    private HealthChecker<String> checker(HealthCheck<String> config, NodeState<String> node) {
        return checker(config, Runnable::run, List.of(node));
    }

    private static HealthCheck<String> defaults(HealthProbe<String> probe) {
        return HealthCheck.of(probe);
    }

    /** Scripts one probe answer, advances nothing, runs one pass, and returns the sink's call for it. */
    private Call probeOnce(HealthChecker<String> checker, Object answer) {
        script.add(answer);
        int before = calls.size();
        checker.runDue();
        assertThat(calls).as("sink calls after one due pass").hasSize(before + 1);
        now.addAndGet(INTERVAL);
        return calls.get(calls.size() - 1);
    }

    private static ProbeResult down() {
        return ProbeResult.failed("refused");
    }

    @Test
    void withTheDefaultsThreeFailuresInARowMarkTheNodeUnhealthyAndTwoPassesBringItBack() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe), a);

        assertThat(probeOnce(checker, down()).healthChange()).isNull();
        assertThat(probeOnce(checker, down()).healthChange()).isNull();
        assertThat(a.healthy()).isTrue();
        assertThat(probeOnce(checker, down()).healthChange()).isFalse();
        assertThat(a.healthy()).isFalse();
        // further failures of an unhealthy node change nothing
        assertThat(probeOnce(checker, down()).healthChange()).isNull();

        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isNull();
        assertThat(a.healthy()).isFalse();
        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isTrue();
        assertThat(a.healthy()).isTrue();
        // further passes of a healthy node change nothing
        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isNull();

        assertThat(calls).extracting(Call::healthChange).containsExactly(null, null, false, null, null, true, null);
        assertThat(probedIds).hasSize(7);
    }

    @Test
    void withFallTwoAndRiseThreeTwoFailuresMarkItUnhealthyAndThreePassesBringItBack() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe).fall(2).rise(3), a);

        assertThat(probeOnce(checker, down()).healthChange()).isNull();
        assertThat(probeOnce(checker, down()).healthChange()).isFalse();
        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isNull();
        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isNull();
        assertThat(a.healthy()).isFalse();
        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isTrue();
        assertThat(a.healthy()).isTrue();
    }

    @Test
    void aPassBetweenFailuresRestartsTheFallCount() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe), a);

        probeOnce(checker, down());
        probeOnce(checker, down());
        probeOnce(checker, ProbeResult.ok());
        probeOnce(checker, down());
        probeOnce(checker, down());
        assertThat(a.healthy()).as("2 failures, a pass, 2 failures: never 3 in a row").isTrue();
        assertThat(calls).extracting(Call::healthChange).containsOnlyNulls();

        assertThat(probeOnce(checker, down()).healthChange()).isFalse();
        assertThat(calls).hasSize(6);
    }

    @Test
    void aFailureBetweenPassesRestartsTheRiseCount() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe).fall(1).rise(3), a);

        assertThat(probeOnce(checker, down()).healthChange()).isFalse();
        probeOnce(checker, ProbeResult.ok());
        probeOnce(checker, ProbeResult.ok());
        probeOnce(checker, down());
        probeOnce(checker, ProbeResult.ok());
        probeOnce(checker, ProbeResult.ok());
        assertThat(a.healthy()).as("2 passes, a failure, 2 passes: never 3 in a row").isFalse();
        assertThat(probeOnce(checker, ProbeResult.ok()).healthChange()).isTrue();
        assertThat(calls).extracting(Call::healthChange).containsExactly(false, null, null, null, null, null, true);
    }

    @Test
    void aProbeThatThrowsIsAFailureWhoseDetailNamesTheException() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe), a);

        Call first = probeOnce(checker, new IOException("connection refused by a"));
        assertThat(first.result().healthy()).isFalse();
        assertThat(first.result().detail()).isEqualTo("IOException: connection refused by a");
        probeOnce(checker, new IllegalStateException("pool exhausted"));
        Call third = probeOnce(checker, new IOException("reset"));
        assertThat(third.healthChange()).as("3 probes that threw make the node unhealthy").isFalse();
        assertThat(a.healthy()).isFalse();
        assertThat(calls).extracting(c -> c.result().detail())
                .containsExactly("IOException: connection refused by a", "IllegalStateException: pool exhausted",
                        "IOException: reset");
    }

    @Test
    void aProbeThatThrowsAnErrorCountsAsAFailedProbe() {
        // it was never counted: the Error escaped, the node stayed healthy whatever the probe said
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe), a);

        Call first = probeOnce(checker, new AssertionError("expected 200 but was 503"));
        assertThat(first.result().healthy()).isFalse();
        assertThat(first.result().detail()).isEqualTo("AssertionError: expected 200 but was 503");
        probeOnce(checker, new NoClassDefFoundError("org/postgresql/Driver"));
        Call third = probeOnce(checker, new AssertionError("expected 200 but was 503"));
        assertThat(third.healthChange()).as("3 probes that threw an Error make the node unhealthy").isFalse();
        assertThat(a.healthy()).isFalse();
        assertThat(calls).extracting(c -> c.result().detail()).containsExactly(
                "AssertionError: expected 200 but was 503", "NoClassDefFoundError: org/postgresql/Driver",
                "AssertionError: expected 200 but was 503");
    }

    @Test
    void aVirtualMachineErrorFromAProbeIsCountedAsAFailureThenRethrown() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe).fall(2), a);
        script.add(new OutOfMemoryError("Java heap space"));

        // the direct executor runs the probe on this thread, so the rethrown error arrives here
        assertThatThrownBy(checker::runDue).isInstanceOf(OutOfMemoryError.class).hasMessage("Java heap space");
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.result().healthy()).isFalse();
            assertThat(c.result().detail()).isEqualTo("OutOfMemoryError: Java heap space");
        });
        assertThat(a.probe.probeRunning).as("the probe is over: the next one may start").isFalse();
        now.addAndGet(INTERVAL);
        script.add(new StackOverflowError());
        assertThatThrownBy(checker::runDue).isInstanceOf(StackOverflowError.class);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(1).healthChange()).as("the 2nd failure in a row reaches fall 2").isFalse();
        assertThat(a.healthy()).isFalse();
    }

    @Test
    void aStartedCheckerKeepsProbingAfterItsProbesThrowErrors() {
        NodeState<String> a = node("a");
        List<ProbeResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong probes = new AtomicLong();
        HealthProbe<String> failing = (node, timeout) -> {
            long n = probes.incrementAndGet();
            if (n == 1) {
                throw new OutOfMemoryError("Java heap space");
            }
            if (n <= 3) {
                throw new AssertionError("probe " + n + " failed");
            }
            return ProbeResult.ok();
        };
        HealthChecker.Sink<String> recording = (state, result, durationNanos, healthChange) -> {
            if (healthChange != null) {
                state.healthy(healthChange);
            }
            results.add(result);
        };
        HealthChecker<String> checker = HealthChecker.start("orders", defaults(failing).jitter(0), ticker,
                new SplittableRandom(1), () -> nodes(a), recording);
        try {
            // the first probe runs at once; each later one when the fake clock has moved an interval on
            for (int expected = 1; expected <= 5; expected++) {
                awaitSize(results, expected);
                now.addAndGet(INTERVAL);
            }
            assertThat(results).extracting(ProbeResult::detail).startsWith(
                    "OutOfMemoryError: Java heap space", "AssertionError: probe 2 failed", "AssertionError: probe 3 failed");
            assertThat(results.get(3).healthy()).isTrue();
            assertThat(a.healthy()).as("3 failures marked it unhealthy, 2 passes brought it back").isTrue();
        } finally {
            checker.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static NodeState<String>[] nodes(NodeState<String> a) {
        return (NodeState<String>[]) new NodeState<?>[] {a};
    }

    /** Waits (at most 30 s, generous for a loaded machine) until the list holds {@code size} elements. */
    private static void awaitSize(List<?> list, int size) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (list.size() < size && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        assertThat(list).as("probe results within 30 s").hasSizeGreaterThanOrEqualTo(size);
    }

    @Test
    void aProbeThatReturnsNullIsAFailure() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults((node, timeout) -> null).fall(1), a);

        checker.runDue();

        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.result().healthy()).isFalse();
            assertThat(c.result().detail()).isEqualTo("probe returned no result");
            assertThat(c.healthChange()).isFalse();
        });
    }

    @Test
    void aHealthyAnswerSlowerThanTheTimeoutIsAFailureButOneExactlyAtTheTimeoutPasses() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe).fall(1), a);

        Call atTimeout = probeOnce(checker, (Runnable) () -> now.addAndGet(TIMEOUT));
        assertThat(atTimeout.result().healthy()).as("took exactly the 1 s timeout").isTrue();
        assertThat(atTimeout.durationNanos()).isEqualTo(TIMEOUT);
        assertThat(a.healthy()).isTrue();

        Call late = probeOnce(checker, (Runnable) () -> now.addAndGet(TIMEOUT + 1));
        assertThat(late.result().healthy()).as("took 1 ns over the 1 s timeout").isFalse();
        assertThat(late.durationNanos()).isEqualTo(TIMEOUT + 1);
        assertThat(late.result().detail()).isEqualTo("probe took PT1.000000001S, longer than the timeout PT1S");
        assertThat(late.healthChange()).isFalse();
        assertThat(a.healthy()).isFalse();
    }

    @Test
    void aNodeIsProbedAtOnceThenNotAgainBeforeTheIntervalHasPassed() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe), a);
        script.add(ProbeResult.ok());

        assertThat(checker.runDue()).as("nanos until the next probe, right after the first").isEqualTo(INTERVAL);
        assertThat(probedIds).containsExactly("a");

        now.addAndGet(INTERVAL / 2);
        assertThat(checker.runDue()).as("half an interval later").isEqualTo(INTERVAL / 2);
        now.addAndGet(INTERVAL / 2 - 1);
        assertThat(checker.runDue()).as("1 ns before it is due").isEqualTo(1);
        assertThat(probedIds).as("nothing probed before it was due").hasSize(1);

        now.addAndGet(1);
        script.add(ProbeResult.ok());
        assertThat(checker.runDue()).isEqualTo(INTERVAL);
        assertThat(probedIds).containsExactly("a", "a");
    }

    @Test
    void runDueReturnsTheTimeUntilTheEarliestNextProbeOfAnyNode() {
        NodeState<String> a = node("a");
        NodeState<String> b = node("b");
        List<NodeState<String>> nodes = new ArrayList<>(List.of(a));
        HealthChecker<String> checker = checker(defaults(probe), Runnable::run, nodes);

        script.add(ProbeResult.ok());
        checker.runDue();
        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        nodes.add(b);
        script.add(ProbeResult.ok());

        // b is new and probed at once; a is due 3 s from now, b 5 s from now
        assertThat(checker.runDue()).isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThat(probedIds).containsExactly("a", "b");

        now.addAndGet(TimeUnit.SECONDS.toNanos(3));
        script.add(ProbeResult.ok());
        assertThat(checker.runDue()).as("b is due 2 s after a's second probe").isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(probedIds).containsExactly("a", "b", "a");
    }

    @Test
    void aNodeIsNeverProbedTwiceAtOnceEvenWhenItsProbeOutlastsTheInterval() {
        NodeState<String> a = node("a");
        Deque<Runnable> queued = new ArrayDeque<>();
        HealthChecker<String> checker = checker(defaults(probe), queued::add, List.of(a));

        checker.runDue();
        assertThat(queued).hasSize(1);
        assertThat(a.probe.probeRunning).isTrue();

        // three intervals pass while the first probe still runs: no second probe starts
        for (int i = 0; i < 3; i++) {
            now.addAndGet(INTERVAL);
            checker.runDue();
        }
        assertThat(queued).as("probes handed to the executor while one runs").hasSize(1);

        script.add(ProbeResult.ok());
        queued.poll().run();
        assertThat(a.probe.probeRunning).isFalse();
        assertThat(calls).hasSize(1);

        checker.runDue();
        assertThat(queued).as("the next probe starts once the first one ended").hasSize(1);
    }

    @Test
    void aProbeStillRunningWhenTheNextIsDueDoesNotMakeTheDriverSpin() throws Exception {
        NodeState<String> a = node("a");
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService probeThread = Executors.newSingleThreadExecutor();
        try {
            // interval 1 s, timeout 1 s, 10% jitter drawn at its low end: the next probe falls due at 0.9 s,
            // while the first one may run until 1 s
            HealthCheck<String> tight = HealthCheck.of(probe).interval(Duration.ofSeconds(1)).timeout(Duration.ofSeconds(1))
                    .jitter(0.1);
            RandomGenerator lowest = () -> 0L;
            @SuppressWarnings("unchecked")
            NodeState<String>[] nodes = (NodeState<String>[]) new NodeState<?>[] {a};
            HealthChecker<String> checker = new HealthChecker<>("orders", tight, ticker, lowest, () -> nodes, sink,
                    probeThread);
            script.add((Runnable) () -> awaitQuietly(release));
            checker.runDue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (a.probe.probeSettled.get() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(a.probe.probeSettled.get()).as("the probe started").isFalse();

            // 950 ms in: the next probe is overdue, the running one has 50 ms left, and that is the driver's
            // next pass (it was 1 ns: the driver spun until the probe ended)
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(950));
            assertThat(checker.runDue()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(50) + 1);
            // past its timeout it is counted failed; the next probe, due meanwhile, fails too: it would hang
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(52));
            checker.runDue();
            long wait = checker.runDue();
            assertThat(calls).extracting(c -> c.result().healthy()).containsExactly(false, false);
            assertThat(wait).as("then the next pass is a probe interval away").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(900));
        } finally {
            release.countDown();
            probeThread.shutdownNow();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRemovedNodeIsNotReportedAndAClosedCheckerProbesNothing() {
        NodeState<String> a = node("a");
        NodeState<String> b = node("b");
        HealthChecker<String> checker = checker(defaults(probe), Runnable::run, List.of(a, b));
        a.markRemoved();
        script.add(down());
        script.add(down());

        checker.runDue();
        assertThat(probedIds).containsExactly("a", "b");
        assertThat(calls).extracting(Call::node).containsExactly("b");

        checker.close();
        now.addAndGet(INTERVAL);
        checker.runDue();
        assertThat(probedIds).as("no probe after close").hasSize(2);
    }

    @Test
    void theSinkIsToldHowLongTheProbeTookOnTheFakeClock() {
        NodeState<String> a = node("a");
        HealthChecker<String> checker = checker(defaults(probe), a);

        Call c = probeOnce(checker, (Runnable) () -> now.addAndGet(Duration.ofMillis(37).toNanos()));

        assertThat(c.durationNanos()).isEqualTo(Duration.ofMillis(37).toNanos());
        assertThat(c.result()).isEqualTo(ProbeResult.ok());
    }

    @Test
    void aProbeThatHangsFailsAtItsTimeoutAndItsLateAnswerIsDropped() throws Exception {
        NodeState<String> a = node("a");
        // the probe runs on its own thread and hangs until released
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        HealthProbe<String> hanging = (node, timeout) -> {
            started.countDown();
            release.await();
            return ProbeResult.ok();
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            HealthChecker<String> checker = checker(defaults(hanging).fall(1), pool, List.of(a));
            checker.runDue();
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            // 1 ns before the deadline nothing is counted, and the next pass is due at the deadline
            now.addAndGet(TIMEOUT - 1);
            assertThat(checker.runDue()).isEqualTo(2);
            assertThat(calls).isEmpty();
            now.addAndGet(2);
            checker.runDue();
            assertThat(calls).hasSize(1);
            assertThat(calls.get(0).result().detail()).isEqualTo("probe did not answer within the timeout PT1S");
            assertThat(calls.get(0).durationNanos()).isEqualTo(TIMEOUT + 1);
            assertThat(calls.get(0).healthChange()).isFalse();
            assertThat(a.healthy()).isFalse();
            // still hanging when the next probe is due: that one fails too, so fall counts hangs in a row
            now.addAndGet(INTERVAL);
            checker.runDue();
            assertThat(calls).hasSize(2);
            assertThat(calls.get(1).result().detail()).startsWith("the previous probe still has not answered after ");
            assertThat(started.getCount()).as("no second probe started while the first hangs").isZero();
            // its late "healthy" answer is dropped: it neither counts nor reaches the sink
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.probe.probeRunning && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(a.probe.probeRunning).isFalse();
            assertThat(calls).hasSize(2);
            assertThat(a.healthy()).isFalse();
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }
}
