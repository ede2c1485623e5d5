package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RouterExecuteTest {
    private final AtomicLong now = new AtomicLong();

    private RouterBuilder<String> router(String... ids) {
        RouterBuilder<String> b = Router.<String>builder("orders").ticker(now::get).random(new SplittableRandom(7));
        for (String id : ids) {
            b.node(Node.of(id, "http://" + id));
        }
        return b;
    }

    @Test
    void executeReturnsTheResultAndRecordsLatencyOnTheChosenNode() {
        // lowest-latency reads the plain EWMA, so the router keeps it
        try (Router<String> r = router("a").policy(RoutingPolicies.lowestLatency()).build()) {
            String body = r.execute(node -> {
                now.addAndGet(Duration.ofMillis(12).toNanos());
                return "hello from " + node.id();
            });
            assertThat(body).isEqualTo("hello from a");
            NodeSnapshot a = r.snapshot().node("a");
            assertThat(a.successes()).isEqualTo(1);
            assertThat(a.inFlight()).isZero();
            assertThat(r.stats("a").orElseThrow().ewmaNanos()).isEqualTo(Duration.ofMillis(12).toNanos());
            assertThat(a.peakEwma()).isEqualTo(Duration.ofMillis(12));
        }
    }

    @Test
    void failsOverToAnUntriedNodeAndSucceeds() {
        List<String> visited = new ArrayList<>();
        try (Router<String> r = router("a", "b", "c").build()) {
            String result = r.execute(node -> {
                visited.add(node.id());
                if (visited.size() < 3) {
                    throw new IOException("connection refused by " + node.id());
                }
                return node.id();
            });
            assertThat(visited).hasSize(3).doesNotHaveDuplicates();
            assertThat(result).isEqualTo(visited.get(2));
            RouterSnapshot s = r.snapshot();
            assertThat(s.retries()).isEqualTo(2);
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::failures).sum()).isEqualTo(2);
        }
    }

    @Test
    void whenEveryAttemptFailsTheExceptionNamesEachNodeAndCarriesEachCause() {
        try (Router<String> r = router("a", "b", "c").build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                throw new IOException("refused by " + node.id());
            }))
                    .isInstanceOfSatisfying(AttemptsFailedException.class, e -> {
                        assertThat(e.getMessage()).startsWith("router 'orders': call failed after 3 attempts (max attempts 3 reached): ");
                        assertThat(e.attempts()).extracting(NodeAttemptException::nodeId)
                                .containsExactlyInAnyOrder("a", "b", "c");
                        assertThat(e.getSuppressed()).hasSize(3).allSatisfy(s -> {
                            NodeAttemptException n = (NodeAttemptException) s;
                            assertThat(n.getCause()).isInstanceOf(IOException.class)
                                    .hasMessage("refused by " + n.nodeId());
                            assertThat(n.getMessage()).contains("on node '" + n.nodeId() + "'");
                        });
                        assertThat(e.getCause()).isSameAs(e.attempts().get(2).getCause());
                        assertThat(e.attempts()).extracting(NodeAttemptException::attempt).containsExactly(1, 2, 3);
                    });
        }
    }

    @Test
    void maxAttemptsBoundsTheCallEvenWithMoreNodes() {
        AtomicInteger calls = new AtomicInteger();
        try (Router<String> r = router("a", "b", "c", "d", "e").retry(RetryPolicy.builder().maxAttempts(2).build()).build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                calls.incrementAndGet();
                throw new IOException("down");
            })).isInstanceOf(AttemptsFailedException.class).hasMessageContaining("after 2 attempts");
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void fewerNodesThanAttemptsStopsWhenEveryNodeWasTried() {
        AtomicInteger calls = new AtomicInteger();
        try (Router<String> r = router("a", "b").retry(RetryPolicy.builder().maxAttempts(5).build()).build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                calls.incrementAndGet();
                throw new IOException("down");
            })).isInstanceOf(AttemptsFailedException.class)
                    .hasMessageContaining("after 2 attempts (no untried node left)");
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void clientErrorsAreNeitherRetriedNorBlamedOnTheNode() {
        AtomicInteger calls = new AtomicInteger();
        try (Router<String> r = router("a", "b")
                .failureClassifier(f -> f instanceof IllegalArgumentException ? Outcome.CLIENT_ERROR : Outcome.FAILURE)
                .build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                calls.incrementAndGet();
                throw new IllegalArgumentException("bad query");
            })).isInstanceOf(AttemptsFailedException.class)
                    .hasMessageContaining("after 1 attempt (CLIENT_ERROR is not retried)");
            assertThat(calls).hasValue(1);
            RouterSnapshot s = r.snapshot();
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::clientErrors).sum()).isEqualTo(1);
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::failures).sum()).isZero();
            assertThat(s.nodes()).allSatisfy(n -> assertThat(n.consecutiveFailures()).isZero());
        }
    }

    @Test
    void retryOnPredicateLimitsWhichFailuresAreRetried() {
        AtomicInteger calls = new AtomicInteger();
        try (Router<String> r = router("a", "b", "c")
                .retry(RetryPolicy.builder().retryOn(f -> f instanceof IOException).build()).build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                calls.incrementAndGet();
                throw new IllegalStateException("not worth another node");
            })).hasMessageContaining("the retry policy does not retry IllegalStateException");
            assertThat(calls).hasValue(1);
        }
    }

    @Test
    void interruptedCallIsCancelledNotRetriedAndKeepsTheInterruptFlag() {
        AtomicInteger calls = new AtomicInteger();
        try (Router<String> r = router("a", "b").build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                calls.incrementAndGet();
                throw new InterruptedException();
            })).isInstanceOf(AttemptsFailedException.class).hasMessageContaining("(interrupted)");
            assertThat(Thread.interrupted()).isTrue();
            assertThat(calls).hasValue(1);
            assertThat(r.snapshot().nodes().stream().mapToLong(NodeSnapshot::cancelled).sum()).isEqualTo(1);
        }
    }

    @Test
    void anErrorIsRethrownAsIsAfterCompletingTheAttempt() {
        try (Router<String> r = router("a").build()) {
            AssertionError boom = new AssertionError("boom");
            assertThatThrownBy(() -> r.execute(node -> {
                throw boom;
            })).isSameAs(boom);
            assertThat(r.snapshot().node("a").inFlight()).isZero();
            assertThat(r.snapshot().node("a").failures()).isEqualTo(1);
        }
    }

    /** A listener that fails an assertion on every completed attempt, counting how often it was told. */
    private static RouterListener throwingOnEveryCompletion(AtomicInteger told) {
        return new RouterListener() {
            @Override
            public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
                told.incrementAndGet();
                throw new AssertionError("listener bug on " + node.id());
            }
        };
    }

    @Test
    void aListenerThatThrowsAnErrorLosesNeitherTheResultNorTheFailures() {
        AtomicInteger told = new AtomicInteger();
        try (Router<String> r = router("a", "b", "c").listener(throwingOnEveryCompletion(told)).build()) {
            // before: the Error escaped complete(SUCCESS), execute completed the attempt again and threw
            // "attempt 1 on node ... was already completed as SUCCESS": the result was lost
            String result = r.execute(node -> "result from " + node.id());
            RouterSnapshot s = r.snapshot();
            NodeSnapshot chosen = s.nodes().stream().filter(n -> n.requests() == 1).findFirst().orElseThrow();
            assertThat(result).isEqualTo("result from " + chosen.id());
            assertThat(chosen.successes()).isEqualTo(1);
            assertThat(chosen.failures()).isZero();
            assertThat(s.nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());
            assertThat(s.attemptsStarted()).isEqualTo(1);
            assertThat(s.attemptsCompleted()).isEqualTo(1);
            assertThat(told).hasValue(1);

            // a call whose attempts all fail still fails over, and fails with each attempt's own cause
            assertThatThrownBy(() -> r.execute(node -> {
                throw new IOException("refused by " + node.id());
            })).isInstanceOfSatisfying(AttemptsFailedException.class, e -> {
                assertThat(e.getMessage()).startsWith("router 'orders': call failed after 3 attempts (max attempts 3 reached): ");
                assertThat(e.attempts()).extracting(NodeAttemptException::nodeId).containsExactlyInAnyOrder("a", "b", "c");
                assertThat(e.attempts()).allSatisfy(a -> assertThat(a.getCause()).isInstanceOf(IOException.class)
                        .hasMessage("refused by " + a.nodeId()));
            });
            s = r.snapshot();
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::failures).sum()).isEqualTo(3);
            assertThat(s.nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());
            assertThat(s.attemptsStarted()).isEqualTo(4);
            assertThat(s.attemptsCompleted()).isEqualTo(4);
            assertThat(s.retries()).isEqualTo(2);
            assertThat(told).hasValue(4);
        }
    }

    @Test
    void aListenerThatThrowsAnErrorDoesNotStopEjection() {
        AtomicInteger told = new AtomicInteger();
        try (Router<String> r = router("a", "b").listener(throwingOnEveryCompletion(told)).build()) {
            // before: the Error escaped complete() before the failure was counted toward ejection
            for (int i = 0; i < 5; i++) {
                r.newCall(n -> n.id().equals("a"), null).begin().complete(Outcome.FAILURE);
            }
            NodeSnapshot a = r.snapshot().node("a");
            assertThat(a.failures()).isEqualTo(5);
            assertThat(a.inFlight()).isZero();
            assertThat(a.ejected()).as("5 failures in a row eject it").isTrue();
            assertThat(told).hasValue(5);
        }
    }

    @Test
    void aListenerThatThrowsAnErrorDoesNotLoseAHedgedCallsResult() {
        AtomicInteger told = new AtomicInteger();
        try (Router<String> r = router("a", "b").hedge(HedgePolicy.afterDelay(Duration.ofSeconds(10)))
                .listener(throwingOnEveryCompletion(told)).build()) {
            String result = r.execute(node -> "result from " + node.id());
            RouterSnapshot s = r.snapshot();
            NodeSnapshot chosen = s.nodes().stream().filter(n -> n.requests() == 1).findFirst().orElseThrow();
            assertThat(result).isEqualTo("result from " + chosen.id());
            assertThat(chosen.successes()).isEqualTo(1);
            assertThat(s.nodes()).allSatisfy(n -> assertThat(n.inFlight()).isZero());
            assertThat(s.attemptsCompleted()).isEqualTo(1);
            assertThat(s.hedges()).isZero();
            assertThat(told).hasValue(1);
        }
    }

    @Test
    void retryBudgetCapsRetriesAcrossCalls() {
        // 0% of requests plus 1 retry per second over 1 s: one retry in the window, then none
        RetryPolicy tight = RetryPolicy.builder().budget(RetryBudget.of(0, 1, Duration.ofSeconds(1))).build();
        AtomicInteger calls = new AtomicInteger();
        try (Router<String> r = router("a", "b", "c").retry(tight)
                .outlierEjection(OutlierEjection.disabled()).build()) {
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> r.execute(node -> {
                    calls.incrementAndGet();
                    throw new IOException("down");
                })).isInstanceOf(AttemptsFailedException.class).hasMessageContaining("(retry budget spent)");
            }
            // first call: 1 + 1 retry, then its second retry is refused; the next two get 1 attempt each
            assertThat(calls).hasValue(4);
            assertThat(r.snapshot().retries()).isEqualTo(1);
            assertThat(r.snapshot().retriesRefusedByBudget()).isEqualTo(3);
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            calls.set(0);
            assertThatThrownBy(() -> r.execute(node -> {
                calls.incrementAndGet();
                throw new IOException("down");
            })).isInstanceOf(AttemptsFailedException.class);
            assertThat(calls).hasValue(2);
        }
    }

    @Test
    void backoffWaitsBetweenAttemptsWithFullJitterWithinTheCap() {
        RetryPolicy p = RetryPolicy.builder().backoff(Duration.ofMillis(10), Duration.ofMillis(25)).build();
        SplittableRandom random = new SplittableRandom(1);
        long max1 = 0;
        long max2 = 0;
        long max3 = 0;
        for (int i = 0; i < 10_000; i++) {
            max1 = Math.max(max1, p.backoffNanos(1, random));
            max2 = Math.max(max2, p.backoffNanos(2, random));
            max3 = Math.max(max3, p.backoffNanos(3, random));
        }
        // ceilings 10 ms, 20 ms, then capped at 25 ms; full jitter reaches close to each
        assertThat(max1).isBetween(9_900_000L, 10_000_000L);
        assertThat(max2).isBetween(19_800_000L, 20_000_000L);
        assertThat(max3).isBetween(24_750_000L, 25_000_000L);
        assertThat(RetryPolicy.defaults().backoffNanos(3, random)).isZero();
        assertThat(RetryPolicy.builder().backoff(Duration.ofSeconds(1), Duration.ofDays(1)).build()
                .backoffNanos(100, random)).isBetween(0L, Duration.ofDays(1).toNanos());
    }

    @Test
    void attemptApiRetriesOnlyToUntriedNodesAndHonoursTheFilter() {
        try (Router<String> r = router("replica-1", "replica-2", "primary").build()) {
            RoutedCall<String> call = r.newCall(n -> n.id().startsWith("replica"), null);
            Attempt<String> first = call.begin();
            assertThat(first.node().id()).startsWith("replica");
            first.complete(Outcome.FAILURE);
            assertThat(call.failed(first, new IOException("down"), null))
                    .isEqualTo(new RoutedCall.Decision(RoutedCall.Action.RETRY, 0, null));
            Attempt<String> second = call.retry();
            assertThat(second.number()).isEqualTo(2);
            assertThat(second.node().id()).startsWith("replica").isNotEqualTo(first.node().id());
            second.complete(Outcome.FAILURE);
            assertThat(call.failed(second, new IOException("down"), null).action()).isEqualTo(RoutedCall.Action.RETRY);
            assertThat(call.retry()).isNull();
            assertThat(call.stopReason()).isEqualTo("no untried node left");
            assertThat(call.isDone()).isTrue();
            assertThat(call.exception()).hasMessageStartingWith(
                    "router 'orders': call failed after 2 attempts (no untried node left): ");
            assertThat(r.snapshot().node("primary").requests()).isZero();
            assertThat(r.snapshot().retries()).isEqualTo(1);
        }
    }

    @Test
    void retryBeforeCompleteAndDoubleCompleteAreRefused() {
        try (Router<String> r = router("a", "b").build()) {
            RoutedCall<String> call = r.newCall();
            Attempt<String> a = call.begin();
            assertThatThrownBy(() -> call.failed(a, new IOException("down"), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("router 'orders': attempt 1 on node '" + a.node().id() + "' must be completed before it is reported");
            assertThatThrownBy(call::retry).isInstanceOf(IllegalStateException.class)
                    .hasMessage("router 'orders': retry() needs a RETRY decision from failed() first");
            assertThat(call.attempts()).isEqualTo(1);
            a.complete(Outcome.SUCCESS);
            assertThatThrownBy(() -> a.complete(Outcome.FAILURE)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("attempt 1 on node '" + a.node().id() + "' of router 'orders' was already completed as SUCCESS");
            assertThat(r.snapshot().node(a.node().id()).inFlight()).isZero();
            assertThat(r.snapshot().node(a.node().id()).successes()).isEqualTo(1);
        }
    }

    @Test
    void aFilterThatAcceptsNoNodeThrowsNoAvailableNode() {
        try (Router<String> r = router("a", "b").build()) {
            assertThatThrownBy(() -> r.newCall(n -> false, null).begin()).isInstanceOf(NoAvailableNodeException.class)
                    .hasMessage("router 'orders' has no available node (2 registered, 2 healthy, 0 ejected): "
                            + "the call's filter accepts none of them");
            assertThat(r.snapshot().noAvailableNode()).isEqualTo(1);
        }
    }

    @Test
    void anEmptyRouterThrowsNoAvailableNodeWithCounts() {
        List<String> events = new ArrayList<>();
        try (Router<String> r = router().listener(new RouterListener() {
            @Override
            public void onNoAvailableNode(String router) {
                events.add(router);
            }
        }).build()) {
            assertThatThrownBy(() -> r.execute(node -> "x")).isInstanceOfSatisfying(NoAvailableNodeException.class, e -> {
                assertThat(e.getMessage()).isEqualTo("router 'orders' has no available node (0 registered, 0 healthy, 0 ejected)");
                assertThat(e.registered()).isZero();
            });
            assertThat(events).containsExactly("orders");
        }
    }

    @Test
    void whenEveryNodeIsEjectedTheRouterFailsOpen() {
        try (Router<String> r = router("a", "b")
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).maxEjectionPercent(100).build())
                .build()) {
            for (int i = 0; i < 2; i++) {
                r.begin().complete(Outcome.FAILURE);
            }
            assertThat(r.snapshot().nodes()).allSatisfy(n -> assertThat(n.ejected()).isTrue());
            String chosen = r.execute(Node::id);
            assertThat(chosen).isIn("a", "b");
        }
    }

    @Test
    void membershipChangesWhileRunning() {
        Map<String, AtomicInteger> removedEvents = new ConcurrentHashMap<>();
        try (Router<String> r = router("a").listener(new RouterListener() {
            @Override
            public void onNodeRemoved(String router, Node<?> node) {
                removedEvents.computeIfAbsent(node.id(), k -> new AtomicInteger()).incrementAndGet();
            }
        }).build()) {
            Attempt<String> inFlightOnA = r.begin();
            r.addNode(Node.of("b", "http://b"));
            assertThat(r.removeNode("a")).isTrue();
            assertThat(r.removeNode("a")).isFalse();
            assertThat(r.nodes()).extracting(Node::id).containsExactly("b");
            // the call in flight on the removed node finishes normally and is still counted
            inFlightOnA.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().attemptsCompleted()).isEqualTo(1);
            for (int i = 0; i < 100; i++) {
                String chosen = r.execute(Node::id);
                assertThat(chosen).isEqualTo("b");
            }
            assertThatThrownBy(() -> r.addNode(Node.of("b", "http://other")))
                    .hasMessage("router 'orders': duplicate node id 'b'");
            r.replaceNode(Node.builder("b", "http://b2").weight(3).build());
            assertThat(r.nodes().get(0).weight()).isEqualTo(3);
            assertThat(r.snapshot().node("b").requests()).isEqualTo(100);
            assertThatThrownBy(() -> r.replaceNode(Node.of("zz", "x")))
                    .hasMessage("router 'orders': no node with id 'zz' to replace; registered: [b]");
            assertThat(removedEvents).containsOnlyKeys("a");
        }
    }

    @Test
    void snapshotNeverShowsCredentials() {
        try (Router<java.net.URI> r = Router.<java.net.URI>builder("secure")
                .node(Node.of("a", java.net.URI.create("https://user:s3cret@db.example:8443/x?token=abc"))).build()) {
            String text = r.snapshot().toString() + r.snapshot().nodes() + r.nodes();
            assertThat(text).doesNotContain("s3cret").doesNotContain("abc").doesNotContain("user");
            assertThat(r.snapshot().node("a").endpoint()).isEqualTo("https://db.example:8443/x?...");
        }
    }

    @Test
    void boundAttemptsStayOnTheChosenNodeNeverFailOverAndCountAfterRemoval() {
        try (Router<String> r = router("a", "b").build()) {
            Attempt<String> connection = r.begin();
            connection.complete(Outcome.SUCCESS);
            String id = connection.node().id();
            BoundNode<String> bound = r.bind(connection);
            assertThat(bound.node().id()).isEqualTo(id);
            for (int i = 0; i < 10; i++) {
                // a bound node has no failover to offer: every attempt goes to it, even once it is ejected
                Attempt<String> statement = bound.begin();
                assertThat(statement.node().id()).isEqualTo(id);
                now.addAndGet(Duration.ofMillis(4).toNanos());
                statement.complete(Outcome.FAILURE);
            }
            NodeSnapshot n = r.snapshot().node(id);
            assertThat(n.requests()).isEqualTo(11);
            assertThat(n.failures()).isEqualTo(10);
            assertThat(n.ejected()).as("5 failures in a row eject it, even through bound attempts").isTrue();
            Attempt<String> afterRemoval = bound.begin();
            r.removeNode(id);
            afterRemoval.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().attemptsStarted()).isEqualTo(12);
            assertThat(r.snapshot().attemptsCompleted()).isEqualTo(12);
            assertThat(r.snapshot().retries()).isZero();
        }
    }

    @Test
    void anUntimedCompletionCountsButLeavesTheLatencyAlone() {
        // lowest-latency reads the plain EWMA, so the router keeps it: the untimed checkout must leave it alone too
        try (Router<String> r = router("a").policy(RoutingPolicies.lowestLatency()).build()) {
            Attempt<String> checkout = r.newCall().untimed().begin();
            now.addAndGet(Duration.ofMillis(50).toNanos());
            checkout.complete(Outcome.SUCCESS);
            NodeSnapshot a = r.snapshot().node("a");
            assertThat(a.successes()).isEqualTo(1);
            assertThat(a.inFlight()).isZero();
            // still the 30 ms prior: the 50 ms checkout said nothing of the node's speed
            assertThat(a.peakEwma()).isEqualTo(Duration.ofMillis(30));
            assertThat(r.stats("a").orElseThrow().ewmaNanos()).isEqualTo(Duration.ofMillis(30).toNanos());
            assertThat(r.stats("a").orElseThrow().hasLatencySample()).isFalse();
            // a failure still blames the node: it counts toward ejection and ends the unknown state
            Attempt<String> failed = r.newCall().untimed().begin();
            failed.complete(Outcome.FAILURE);
            assertThat(r.snapshot().node("a").consecutiveFailures()).isEqualTo(1);
            assertThat(r.stats("a").orElseThrow().hasLatencySample()).isTrue();
            assertThat(r.snapshot().node("a").peakEwma()).isEqualTo(Duration.ofMillis(30));
        }
    }

    @Test
    void aClassifierThatCallsAFailureASuccessIsRefusedWithoutLeavingTheAttemptInFlight() {
        try (Router<String> r = router("a").failureClassifier(f -> Outcome.SUCCESS).build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                throw new IOException("down");
            })).isInstanceOf(IllegalStateException.class)
                    .hasMessage("router 'orders': the failure classifier must not call java.io.IOException SUCCESS");
            assertThat(r.snapshot().node("a").inFlight()).isZero();
            assertThat(r.snapshot().node("a").failures()).isEqualTo(1);
        }
    }

    @Test
    void aNodeThatRejoinsAfterAnEjectionStartsWithoutLatencyHistoryAndIsTriedAtOnce() {
        try (Router<String> r = router("a", "b")
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).baseEjection(Duration.ofSeconds(1)).build())
                .build()) {
            // a answered in 2 ms, b in 1 ms; then a fails once and is ejected for 1 s
            Attempt<String> onA = r.newCall(n -> n.id().equals("a"), null).begin();
            now.addAndGet(Duration.ofMillis(2).toNanos());
            onA.complete(Outcome.SUCCESS);
            Attempt<String> onB = r.newCall(n -> n.id().equals("b"), null).begin();
            now.addAndGet(Duration.ofMillis(1).toNanos());
            onB.complete(Outcome.SUCCESS);
            r.newCall(n -> n.id().equals("a"), null).begin().complete(Outcome.FAILURE);
            assertThat(r.snapshot().node("a").ejected()).isTrue();
            assertThat(r.stats("a").orElseThrow().hasLatencySample()).isTrue();
            now.addAndGet(Duration.ofSeconds(1).toNanos());
            // back: its failure penalty is forgotten, so the next call goes to it rather than to the 1 ms node
            Attempt<String> next = r.begin();
            assertThat(r.stats("a").orElseThrow().hasLatencySample()).isFalse();
            assertThat(next.node().id()).isEqualTo("a");
            next.complete(Outcome.SUCCESS);
        }
    }

    @Test
    void failureMessagesMaskSecretsTheCausesCarry() {
        try (Router<String> r = router("a").build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                throw new IOException("GET https://user:s3cret@api.example/items?token=abc failed");
            })).isInstanceOfSatisfying(AttemptsFailedException.class, e -> {
                assertThat(e.getMessage()).doesNotContain("s3cret", "abc")
                        .endsWith("a: java.io.IOException: GET https://api.example/items?... failed");
                assertThat(e.attempts().get(0).getMessage()).doesNotContain("s3cret", "abc");
            });
        }
    }

    @Test
    void anIoCallCutShortByAnInterruptIsCancelledNotBlamedOnTheNode() {
        try (Router<String> r = router("a", "b").build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("read interrupted");
            })).isInstanceOf(AttemptsFailedException.class).hasMessageContaining("(interrupted)");
            assertThat(Thread.interrupted()).isTrue();
            RouterSnapshot s = r.snapshot();
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::cancelled).sum()).isEqualTo(1);
            assertThat(s.nodes().stream().mapToLong(NodeSnapshot::failures).sum()).isZero();
        }
    }

    @Test
    void aClassifierThatThrowsLeavesNoAttemptInFlight() {
        try (Router<String> r = router("a").failureClassifier(f -> {
            throw new IllegalStateException("classifier bug");
        }).build()) {
            assertThatThrownBy(() -> r.execute(node -> {
                throw new IOException("down");
            })).isInstanceOf(IllegalStateException.class).hasMessage("classifier bug");
            assertThat(r.snapshot().node("a").inFlight()).isZero();
            assertThat(r.snapshot().node("a").failures()).isEqualTo(1);
        }
    }

    @Test
    void boundAttemptsKeepWorkingAfterTheRouterIsClosed() {
        Router<String> r = router("a").build();
        Attempt<String> connection = r.begin();
        connection.complete(Outcome.SUCCESS);
        r.close();
        Attempt<String> statement = r.bind(connection).begin();
        statement.complete(Outcome.SUCCESS);
        assertThat(r.snapshot().node("a").successes()).isEqualTo(2);
        assertThatThrownBy(r::begin).hasMessage("router 'orders' is closed");
    }
}
