package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.smartqueryrouter.core.spi.ProbeResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Closing a router: its threads are gone when close() returns, it refuses calls, and listeners cannot break it. */
class RouterLifecycleTest {
    /** Distinguishes this run's routers from any other router in the JVM. */
    private static final String RUN = Long.toHexString(new SplittableRandom().nextLong() >>> 16);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));

    /** Waits until {@code condition} holds, polling every millisecond, or fails after {@code timeout}. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + timeout + ": " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    private static List<String> threadsNaming(String routerName) {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.contains(routerName)).sorted().toList();
    }

    @Test
    void closeLeavesNoThreadOfTheRouterAliveWhenItReturns() {
        // 20 routers in a row: a thread that outlives close() even briefly shows up in one of them
        for (int i = 0; i < 20; i++) {
            String name = String.format("lifecycle-%s-r%03d", RUN, i);
            AtomicInteger probes = new AtomicInteger();
            Router<String> router = Router.<String>builder(name)
                    .node(Node.of("a", "http://a"))
                    .node(Node.of("b", "http://b"))
                    .node(Node.of("c", "http://c"))
                    .healthCheck(HealthCheck.<String>of((node, timeout) -> {
                        probes.incrementAndGet();
                        return ProbeResult.ok();
                    }).interval(Duration.ofMillis(20)).threads(2))
                    .build();
            await("6 probes of router " + name, Duration.ofSeconds(5), () -> probes.get() >= 6);
            assertThat(threadsNaming(name)).as("threads of a running router")
                    .contains("smartqueryrouter-health-" + name)
                    .anySatisfy(t -> assertThat(t).startsWith("smartqueryrouter-probe-" + name + "-"));

            router.close();

            assertThat(threadsNaming(name)).as("threads of router %s right after close()", name).isEmpty();
        }
    }

    @Test
    void aClosedRouterRefusesCallsWithItsName() {
        Router<String> router = Router.<String>builder("orders").node(Node.of("a", "http://a")).build();
        router.close();

        assertThat(router.isClosed()).isTrue();
        assertThatThrownBy(router::begin).isInstanceOf(IllegalStateException.class)
                .hasMessage("router 'orders' is closed");
        assertThatThrownBy(() -> router.newCall(n -> true, null).begin()).isInstanceOf(IllegalStateException.class)
                .hasMessage("router 'orders' is closed");
        AtomicInteger invoked = new AtomicInteger();
        assertThatThrownBy(() -> router.execute(node -> invoked.incrementAndGet()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("router 'orders' is closed");
        assertThat(invoked).as("the call never ran").hasValue(0);
        assertThatThrownBy(() -> router.addNode(Node.of("b", "http://b"))).isInstanceOf(IllegalStateException.class)
                .hasMessage("router 'orders' is closed");
        assertThat(router.snapshot().attemptsStarted()).isZero();
    }

    @Test
    void anAttemptBegunBeforeCloseCanStillBeCompleted() {
        Router<String> router = Router.<String>builder("orders").ticker(now::get).node(Node.of("a", "http://a")).build();
        Attempt<String> attempt = router.begin();
        router.close();

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(8));
        attempt.complete(Outcome.SUCCESS);

        NodeSnapshot a = router.snapshot().node("a");
        assertThat(a.inFlight()).isZero();
        assertThat(a.successes()).isEqualTo(1);
        assertThat(a.peakEwma()).isEqualTo(Duration.ofMillis(8));
    }

    @Test
    void closeIsIdempotent() {
        String name = "lifecycle-" + RUN + "-twice";
        Router<String> router = Router.<String>builder(name).node(Node.of("a", "http://a"))
                .healthCheck(HealthCheck.<String>of((node, timeout) -> ProbeResult.ok()).interval(Duration.ofMillis(20)))
                .build();

        router.close();
        router.close();
        router.close();

        assertThat(router.isClosed()).isTrue();
        assertThat(threadsNaming(name)).isEmpty();
        assertThatThrownBy(router::begin).hasMessage("router '" + name + "' is closed");
    }

    /** Throws from every event. */
    private static final class Throwing implements RouterListener {
        final AtomicInteger thrown = new AtomicInteger();

        private void boom() {
            thrown.incrementAndGet();
            throw new IllegalStateException("listener bug");
        }

        @Override
        public void onNodeAdded(String router, Node<?> node) {
            boom();
        }

        @Override
        public void onNodeRemoved(String router, Node<?> node) {
            boom();
        }

        @Override
        public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
            boom();
        }

        @Override
        public void onRetry(String router, Node<?> failedNode, int nextAttempt) {
            boom();
        }

        @Override
        public void onEjected(String router, Node<?> node, Duration duration) {
            boom();
        }

        @Override
        public void onRestored(String router, Node<?> node) {
            boom();
        }
    }

    /** Counts every event. */
    private static final class Counting implements RouterListener {
        final AtomicInteger added = new AtomicInteger();
        final AtomicInteger removed = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger ejected = new AtomicInteger();
        final AtomicInteger restored = new AtomicInteger();

        @Override
        public void onNodeAdded(String router, Node<?> node) {
            added.incrementAndGet();
        }

        @Override
        public void onNodeRemoved(String router, Node<?> node) {
            removed.incrementAndGet();
        }

        @Override
        public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
            completed.incrementAndGet();
        }

        @Override
        public void onRetry(String router, Node<?> failedNode, int nextAttempt) {
            retries.incrementAndGet();
        }

        @Override
        public void onEjected(String router, Node<?> node, Duration duration) {
            ejected.incrementAndGet();
        }

        @Override
        public void onRestored(String router, Node<?> node) {
            restored.incrementAndGet();
        }
    }

    @Test
    void aListenerThatThrowsBreaksNeitherRoutingNorTheListenersAfterIt() {
        Throwing throwing = new Throwing();
        Counting counting = new Counting();
        try (Router<String> router = Router.<String>builder("orders").ticker(now::get).random(new SplittableRandom(5))
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).node(Node.of("c", "http://c"))
                .listener(throwing).listener(counting).build()) {
            assertThat(counting.added).as("nodes announced at build").hasValue(3);

            for (int i = 0; i < 100; i++) {
                String body = router.execute(node -> "ok from " + node.id());
                assertThat(body).startsWith("ok from ");
            }
            AtomicInteger calls = new AtomicInteger();
            String failedOver = router.execute(node -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IOException("refused by " + node.id());
                }
                return "ok from " + node.id();
            });
            assertThat(failedOver).startsWith("ok from ");

            for (int i = 0; i < 5; i++) {
                router.newCall(n -> n.id().equals("a"), null).begin().complete(Outcome.FAILURE);
            }
            assertThat(router.snapshot().node("a").ejected()).as("ejected although onEjected threw").isTrue();
            now.addAndGet(TimeUnit.SECONDS.toNanos(30));
            assertThat(router.snapshot().node("a").ejected()).as("restored although onRestored threw").isFalse();

            router.addNode(Node.of("d", "http://d"));
            assertThat(router.removeNode("d")).isTrue();

            RouterSnapshot s = router.snapshot();
            assertThat(s.attemptsStarted()).isEqualTo(107);
            assertThat(s.attemptsCompleted()).isEqualTo(107);
            assertThat(s.retries()).isEqualTo(1);
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::successes).sum()).isEqualTo(101);
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::failures).sum()).isEqualTo(6);
            assertThat(s.nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());

            assertThat(counting.completed).hasValue(107);
            assertThat(counting.retries).hasValue(1);
            assertThat(counting.ejected).hasValue(1);
            assertThat(counting.restored).hasValue(1);
            assertThat(counting.added).hasValue(4);
            assertThat(counting.removed).hasValue(1);
            // 4 added + 107 completed + 1 retry + 1 ejected + 1 restored + 1 removed
            assertThat(throwing.thrown).hasValue(115);
        }
    }
}
