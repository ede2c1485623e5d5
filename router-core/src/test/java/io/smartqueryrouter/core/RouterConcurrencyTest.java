package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads beginning and completing attempts while nodes join and leave and nodes are ejected
 * and restored every millisecond: not one attempt may be lost or counted twice.
 */
class RouterConcurrencyTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 100_000;
    private static final int NODES = 16;

    /** Counts what the listener is told, per node id. */
    private static final class Counting implements RouterListener {
        final Map<String, LongAdder> completedPerNode = new ConcurrentHashMap<>();
        final LongAdder ejected = new LongAdder();
        final LongAdder restored = new LongAdder();

        @Override
        public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
            LongAdder count = completedPerNode.get(node.id());
            if (count == null) {
                count = completedPerNode.computeIfAbsent(node.id(), id -> new LongAdder());
            }
            count.increment();
        }

        @Override
        public void onEjected(String router, Node<?> node, Duration duration) {
            ejected.increment();
        }

        @Override
        public void onRestored(String router, Node<?> node) {
            restored.increment();
        }

        long completed(String id) {
            LongAdder count = completedPerNode.get(id);
            return count == null ? 0 : count.sum();
        }
    }

    private static Outcome randomOutcome(ThreadLocalRandom random) {
        int roll = random.nextInt(100);
        if (roll < 55) {
            return Outcome.SUCCESS;
        }
        if (roll < 85) {
            return Outcome.FAILURE;
        }
        return roll < 95 ? Outcome.CLIENT_ERROR : Outcome.CANCELLED;
    }

    /**
     * Every attempt on the first four permanent nodes fails, so they are outliers and get ejected again
     * and again (a node is ejected only while it fails at least 4x as often as most of the others); the
     * others never fail: they answer, or the call is the caller's fault or cancelled.
     */
    private static Outcome outcomeOn(Node<String> node, ThreadLocalRandom random) {
        if (node.id().matches("node-[0-3]")) {
            return Outcome.FAILURE;
        }
        int roll = random.nextInt(100);
        return roll < 80 ? Outcome.SUCCESS : roll < 90 ? Outcome.CLIENT_ERROR : Outcome.CANCELLED;
    }

    @Test
    void eightThreadsOf100000CallsWhileNodesChurnAndGetEjectedLoseNoAttempt() throws Exception {
        Counting counting = new Counting();
        // round-robin keeps sending to the failing nodes (pool-ewma would shun them after one failure, before
        // three in a row eject them), so they are ejected and restored every few milliseconds
        RouterBuilder<String> builder = Router.<String>builder("concurrency").policy(RoutingPolicies.roundRobin())
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(3).baseEjection(Duration.ofMillis(1))
                        .maxEjection(Duration.ofMillis(5)).build())
                // no concurrency limit (ConcurrencyLimitTest's): attempts of no work, descheduled on a busy
                // machine, read as a slow service and the limit would refuse calls this test counts as lost
                .concurrencyLimit(ConcurrencyLimit.disabled())
                .listener(counting);
        List<String> permanent = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            permanent.add("node-" + i);
            builder.node(Node.of("node-" + i, "http://10.0.0." + i + ":8080"));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        AtomicBoolean callsDone = new AtomicBoolean();
        LongAdder churned = new LongAdder();
        try (Router<String> router = builder.build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                callers.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < CALLS_PER_THREAD; i++) {
                        Attempt<String> attempt = router.begin();
                        attempt.complete(outcomeOn(attempt.node(), random));
                    }
                    return null;
                }));
            }
            Future<?> churn = pool.submit(() -> {
                start.await();
                int n = 0;
                while (!callsDone.get()) {
                    router.addNode(Node.of("churn-" + n, "http://10.1.0." + (n % 250) + ":8080"));
                    if (n >= 2) {
                        assertThat(router.removeNode("churn-" + (n - 2))).isTrue();
                    }
                    n++;
                    churned.increment();
                }
                return null;
            });

            start.countDown();
            for (Future<?> caller : callers) {
                caller.get(60, TimeUnit.SECONDS); // rethrows what a caller threw
            }
            callsDone.set(true);
            churn.get(60, TimeUnit.SECONDS);

            RouterSnapshot snapshot = router.snapshot();
            long total = (long) THREADS * CALLS_PER_THREAD;
            assertThat(snapshot.attemptsStarted()).isEqualTo(total);
            assertThat(snapshot.attemptsCompleted()).isEqualTo(total);
            assertThat(counting.completedPerNode.values().stream().mapToLong(LongAdder::sum).sum())
                    .as("attempts the listener was told of, on permanent and churned nodes").isEqualTo(total);
            for (String id : permanent) {
                NodeSnapshot node = snapshot.node(id);
                assertThat(node.inFlight()).as("in flight on %s", id).isZero();
                assertThat(node.requests()).as("requests of %s against the listener's count", id)
                        .isEqualTo(counting.completed(id));
                assertThat(node.completed()).as("completions of %s by outcome", id).isEqualTo(node.requests());
            }
            long onPermanent = permanent.stream().mapToLong(counting::completed).sum();
            long onChurned = counting.completedPerNode.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("churn-")).mapToLong(e -> e.getValue().sum()).sum();
            assertThat(onPermanent + onChurned).isEqualTo(total);

            assertThat(churned.sum()).as("nodes added while calls ran").isGreaterThan(0);
            assertThat(counting.ejected.sum()).as("ejections while calls ran").isGreaterThan(0);
            assertThat(counting.restored.sum()).isLessThanOrEqualTo(counting.ejected.sum());
        } finally {
            callsDone.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void snapshotsNeverShowMoreAttemptsCompletedThanStarted() throws Exception {
        int snapshots = 5_000;
        int callers = 4;
        // no concurrency limit: on a busy machine the callers' attempts, descheduled mid-way, read as a slow
        // service, and the limit refused calls this test does not count (it is about snapshots, not the limit)
        RouterBuilder<String> builder = Router.<String>builder("snapshots").outlierEjection(OutlierEjection.disabled())
                .concurrencyLimit(ConcurrencyLimit.disabled());
        for (int i = 0; i < 4; i++) {
            builder.node(Node.of("node-" + i, "http://10.0.0." + i + ":8080"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers + 1);
        AtomicBoolean snapshotsDone = new AtomicBoolean();
        LongAdder calls = new LongAdder();
        try (Router<String> router = builder.build()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < callers; t++) {
                running.add(pool.submit(() -> {
                    start.await();
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    // until the last snapshot is taken, so the snapshots race attempts beginning and completing
                    while (!snapshotsDone.get()) {
                        router.begin().complete(randomOutcome(random));
                        calls.increment();
                    }
                    return null;
                }));
            }
            Future<List<String>> taker = pool.submit(() -> {
                start.await();
                List<String> violations = new ArrayList<>();
                for (int i = 0; i < snapshots && violations.size() < 10; i++) {
                    RouterSnapshot s = router.snapshot();
                    // before: attempts started were read before attempts completed, so a completion in between
                    // showed one more completed than started (and a node more completions than requests)
                    if (s.attemptsCompleted() > s.attemptsStarted()) {
                        violations.add("snapshot " + i + ": " + s.attemptsCompleted() + " completed > "
                                + s.attemptsStarted() + " started");
                    }
                    for (NodeSnapshot n : s.nodes()) {
                        if (n.completed() > n.requests()) {
                            violations.add("snapshot " + i + ", " + n.id() + ": " + n.completed() + " completed > "
                                    + n.requests() + " requests");
                        }
                    }
                }
                return violations;
            });

            start.countDown();
            List<String> violations;
            try {
                violations = taker.get(60, TimeUnit.SECONDS);
            } finally {
                snapshotsDone.set(true);
            }
            for (Future<?> caller : running) {
                caller.get(60, TimeUnit.SECONDS);
            }
            assertThat(violations).as("snapshots taken while %d calls ran", calls.sum()).isEmpty();

            RouterSnapshot last = router.snapshot();
            assertThat(calls.sum()).as("calls that ran while the snapshots were taken").isGreaterThan(0);
            assertThat(last.attemptsStarted()).isEqualTo(calls.sum());
            assertThat(last.attemptsCompleted()).isEqualTo(calls.sum());
            assertThat(last.nodes()).allSatisfy(n -> {
                assertThat(n.inFlight()).isZero();
                assertThat(n.completed()).isEqualTo(n.requests());
            });
        } finally {
            snapshotsDone.set(true);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
