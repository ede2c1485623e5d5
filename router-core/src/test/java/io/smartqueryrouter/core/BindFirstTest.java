package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.spi.NodeStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@link Router#bindFirst}, {@link BoundNode#endFirst} and {@link RoutedCall#adopt}: a call's first
 * attempt taken without a call object, and the call made only when it must fail over.
 */
class BindFirstTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final AtomicInteger clockReads = new AtomicInteger();
    private final Ticker counting = () -> {
        clockReads.incrementAndGet();
        return now.get();
    };

    private Router<String> twoNodes(RouterListener... listeners) {
        RouterBuilder<String> b = Router.<String>builder("db").ticker(counting)
                .node(Node.of("a", "a")).node(Node.of("b", "b"));
        for (RouterListener l : listeners) {
            b.listener(l);
        }
        return b.build();
    }

    @Test
    void aFirstAttemptThatSucceedsIsCountedUntimedAndItsSuccessReadsNoClock() {
        try (Router<String> r = twoNodes()) {
            NodeGroup<String> onlyA = r.group("a only", n -> n.id().equals("a"));
            int before = clockReads.get();
            BoundNode<String> bound = r.bindFirst(onlyA);
            assertThat(clockReads.get() - before).as("one clock read: the retry budget's look").isEqualTo(1);
            NodeStats a = r.stats("a").orElseThrow();
            assertThat(bound.node().id()).isEqualTo("a");
            assertThat(a.inFlight()).isEqualTo(1);
            assertThat(bound.waitLimitNanos()).as("a healthy node: no wait limit").isEqualTo(Long.MAX_VALUE);

            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
            int beforeEnd = clockReads.get();
            bound.endFirst(Outcome.SUCCESS);
            assertThat(clockReads.get() - beforeEnd).as("an untimed success without listeners reads no clock").isZero();
            assertThat(a.inFlight()).isZero();
            assertThat(a.requests()).isEqualTo(1);
            assertThat(a.hasLatencySample()).as("taking the node says nothing of its latency").isFalse();
            assertThat(r.snapshot().attemptsStarted()).isEqualTo(1);

            // the binding then carries the work, timed as usual
            bound.end(bound.start(), Outcome.SUCCESS);
            assertThat(a.requests()).isEqualTo(2);
            assertThatThrownBy(() -> bound.endFirst(Outcome.SUCCESS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no first attempt runs");
            bound.close();
        }
    }

    @Test
    void aListenerHearsTheFirstAttemptWithItsDurationAndAFailureCountsAgainstTheNode() {
        List<String> heard = new ArrayList<>();
        RouterListener listener = new RouterListener() {
            @Override
            public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
                heard.add(node.id() + " " + outcome + " " + TimeUnit.NANOSECONDS.toMillis(latencyNanos) + " ms #" + attempt);
            }
        };
        try (Router<String> r = twoNodes(listener)) {
            NodeGroup<String> onlyB = r.group("b only", n -> n.id().equals("b"));
            BoundNode<String> ok = r.bindFirst(onlyB);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(7));
            ok.endFirst(Outcome.SUCCESS);
            ok.close();
            BoundNode<String> failing = r.bindFirst(onlyB);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(3));
            failing.endFirst(Outcome.FAILURE);
            failing.close();
            assertThat(heard).containsExactly("b SUCCESS 7 ms #1", "b FAILURE 3 ms #1");
            NodeStats b = r.stats("b").orElseThrow();
            assertThat(b.consecutiveFailures()).isEqualTo(1);
            assertThat(b.inFlight()).isZero();
            assertThatThrownBy(() -> r.bindFirst(onlyB).endFirst(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    void aCallAdoptsAFailedFirstAttemptAndFailsOverToTheOtherNodeUntimed() {
        try (Router<String> r = Router.<String>builder("db").ticker(counting).node(Node.of("a", "a"))
                .node(Node.of("b", "b")).retry(RetryPolicy.builder().maxAttempts(3).build()).build()) {
            NodeGroup<String> both = r.group("both", n -> true);
            BoundNode<String> first = r.bindFirst(both);
            String firstId = first.node().id();
            String otherId = firstId.equals("a") ? "b" : "a";

            RoutedCall<String> call = r.newCall(both, null);
            Attempt<String> adopted = call.adopt(first);
            assertThat(adopted.number()).isEqualTo(1);
            assertThat(adopted.node().id()).isEqualTo(firstId);
            assertThat(call.attempts()).isEqualTo(1);
            assertThatThrownBy(() -> first.endFirst(Outcome.FAILURE)).as("the call owns the attempt now")
                    .isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> call.begin()).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> r.newCall(both, null).adopt(first)).isInstanceOf(IllegalStateException.class);

            adopted.complete(Outcome.FAILURE);
            RoutedCall.Decision d = call.failed(adopted, new RuntimeException("refused"), null);
            assertThat(d.action()).isEqualTo(RoutedCall.Action.RETRY);
            Attempt<String> retry = call.retry();
            assertThat(retry.node().id()).as("the adopted node counts as tried").isEqualTo(otherId);
            assertThat(retry.number()).isEqualTo(2);
            retry.complete(Outcome.SUCCESS);
            call.succeeded(retry);

            assertThat(r.stats(otherId).orElseThrow().hasLatencySample()).as("the call is untimed, as its first attempt")
                    .isFalse();
            assertThat(r.stats(firstId).orElseThrow().consecutiveFailures()).isEqualTo(1);
            assertThat(r.stats("a").orElseThrow().inFlight() + r.stats("b").orElseThrow().inFlight()).isZero();
            assertThat(call.failures()).singleElement().satisfies(f -> {
                assertThat(f.nodeId()).isEqualTo(firstId);
                assertThat(f.attempt()).isEqualTo(1);
            });
            assertThat(r.snapshot().attemptsStarted()).isEqualTo(2);
            assertThat(r.snapshot().retries()).as("the failover is the call's retry").isEqualTo(1);
        }
    }

    @Test
    void anObserverSeesTheFirstAttemptBeginAndEndWhetherTheBindingEndsItOrACallAdoptsIt() {
        List<String> seen = new ArrayList<>();
        try (Router<String> r = twoNodes()) {
            r.observeAttempts((router, node, attempt, kind) -> {
                seen.add("start " + node.id() + " #" + attempt + " " + kind);
                return outcome -> seen.add("end " + node.id() + " #" + attempt + " " + outcome);
            });
            NodeGroup<String> onlyA = r.group("a only", n -> n.id().equals("a"));
            BoundNode<String> ended = r.bindFirst(onlyA);
            ended.endFirst(Outcome.SUCCESS);
            ended.close();
            RoutedCall<String> call = r.newCall(onlyA, null);
            Attempt<String> adopted = call.adopt(r.bindFirst(onlyA));
            adopted.complete(Outcome.FAILURE);
            assertThat(seen).containsExactly("start a #1 FIRST", "end a #1 SUCCESS", "start a #1 FIRST", "end a #1 FAILURE");
        }
    }

    @Test
    void aBindingMadeFromAnAttemptOrAnotherRoutersHasNoFirstAttemptToAdopt() {
        try (Router<String> r = twoNodes(); Router<String> other = twoNodes()) {
            Attempt<String> a = r.begin();
            a.complete(Outcome.SUCCESS);
            BoundNode<String> plain = r.bind(a);
            assertThatThrownBy(() -> plain.endFirst(Outcome.SUCCESS)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> r.newCall().adopt(plain)).isInstanceOf(IllegalStateException.class);
            BoundNode<String> foreign = other.bindFirst(null);
            assertThatThrownBy(() -> r.newCall().adopt(foreign)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a binding of this router");
            foreign.endFirst(Outcome.SUCCESS);
            foreign.close();
            plain.close();
        }
    }

    @Test
    void aClosedRouterOrAGroupWithoutNodesRefusesTheFirstAttempt() {
        Router<String> r = twoNodes();
        NodeGroup<String> none = r.group("none", n -> false);
        assertThatThrownBy(() -> r.bindFirst(none)).isInstanceOf(NoAvailableNodeException.class);
        r.close();
        assertThatThrownBy(() -> r.bindFirst(null)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void anUntimedCallsSuccessfulAttemptReadsNoClockWhenItCompletes() {
        try (Router<String> r = twoNodes()) {
            RoutedCall<String> call = r.newCall().untimed();
            Attempt<String> a = call.begin();
            int before = clockReads.get();
            a.complete(Outcome.SUCCESS);
            assertThat(clockReads.get() - before).isZero();
            call.succeeded(a);
            assertThat(r.stats(a.node().id()).orElseThrow().hasLatencySample()).isFalse();
        }
    }

    @Test
    void takingAnotherConnectionDoesNotResetTheSilenceOfANodeWhoseStatementIsUnanswered() {
        // the default policy (pool-ewma) reads silence: an untimed success (a pooled connection taken) is no
        // answer to a statement, and read no clock; it used to set the node's "waiting since" to 0, so the
        // silence of a node with a statement out read as the ticker's whole reading (here 1000 s)
        try (Router<String> r = twoNodes()) {
            NodeGroup<String> onlyA = r.group("a only", n -> n.id().equals("a"));
            BoundNode<String> first = r.bindFirst(onlyA);
            first.endFirst(Outcome.SUCCESS);
            long statement = first.start();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
            BoundNode<String> second = r.bindFirst(onlyA);
            second.endFirst(Outcome.SUCCESS);
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
            NodeStats a = r.stats("a").orElseThrow();
            assertThat(a.silentNanos(now.get())).as("silent since the statement began, 3 ms ago")
                    .isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
            first.end(statement, Outcome.SUCCESS);
            assertThat(a.silentNanos(now.get())).as("nothing in flight").isZero();
            first.close();
            second.close();
        }
    }

    @Test
    void aFirstAttemptReadsTheClockOnlyWhenSomethingNeedsTheTime() {
        try (Router<String> r = Router.<String>builder("db").ticker(counting).node(Node.of("a", "a")).node(Node.of("b", "b"))
                .retry(RetryPolicy.builder().maxAttempts(2).budget(RetryBudget.unlimited()).build())
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).maxEjectionPercent(100).build()).build()) {
            NodeGroup<String> onlyA = r.group("a only", n -> n.id().equals("a"));
            NodeGroup<String> both = r.group("both", n -> true);
            int before = clockReads.get();
            BoundNode<String> one = r.bindFirst(onlyA);
            one.endFirst(Outcome.SUCCESS);
            one.close();
            assertThat(clockReads.get() - before).as("one candidate, no budget, nothing running out: no clock read").isZero();

            before = clockReads.get();
            BoundNode<String> picked = r.bindFirstAvailable(both);
            assertThat(clockReads.get() - before).as("pool-ewma's pick between two idle nodes needs no time").isZero();
            picked.endFirst(Outcome.SUCCESS);
            // a statement runs on the picked node: now its silence is part of its cost, and a pick reads the clock
            long started = picked.start();
            before = clockReads.get();
            BoundNode<String> second = r.bindFirstAvailable(both);
            assertThat(clockReads.get() - before).as("a pick with a node owing an answer reads the clock once").isEqualTo(1);
            second.endFirst(Outcome.SUCCESS);
            second.close();
            picked.end(started, Outcome.SUCCESS);
            picked.close();

            // an ejection with a deadline: the first attempt reads the clock, and ends the ejection once it is due
            BoundNode<String> failing = r.bindFirst(onlyA);
            failing.endFirst(Outcome.FAILURE);
            failing.close();
            NodeStats a = r.stats("a").orElseThrow();
            assertThat(a.ejected()).isTrue();
            now.addAndGet(TimeUnit.MINUTES.toNanos(10));
            before = clockReads.get();
            BoundNode<String> back = r.bindFirst(onlyA);
            assertThat(clockReads.get() - before).as("a running ejection: the view's deadline needs the time").isPositive();
            assertThat(a.ejected()).as("its ejection ran out: ended by this acquisition's look").isFalse();
            back.endFirst(Outcome.SUCCESS);
            back.close();
        }
    }

    @Test
    void aNodeWithOnlyAFirstAttemptInFlightIsNotSilentAndItsWaitStartsWithTheFirstStatement() {
        try (Router<String> r = Router.<String>builder("db").ticker(counting).node(Node.of("a", "a"))
                .retry(RetryPolicy.builder().maxAttempts(1).budget(RetryBudget.unlimited()).build()).build()) {
            NodeGroup<String> onlyA = r.group("a only", n -> true);
            NodeStats a = r.stats("a").orElseThrow();
            BoundNode<String> taking = r.bindFirst(onlyA);
            now.addAndGet(TimeUnit.SECONDS.toNanos(2));
            assertThat(a.inFlight()).isEqualTo(1);
            assertThat(a.silentNanos(now.get())).as("taking a pooled connection owes no answer").isZero();
            // another connection's statement begins meanwhile: the node now owes an answer, from then on
            BoundNode<String> other = r.bindFirst(onlyA);
            other.endFirst(Outcome.SUCCESS);
            long statement = other.start();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
            assertThat(a.silentNanos(now.get())).isEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
            taking.endFirst(Outcome.SUCCESS);
            assertThat(a.silentNanos(now.get())).as("the statement is still out").isEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
            other.end(statement, Outcome.SUCCESS);
            assertThat(a.silentNanos(now.get())).isZero();
            long next = taking.start();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(3));
            assertThat(a.silentNanos(now.get())).as("a statement alone: silent since it began").isEqualTo(TimeUnit.MILLISECONDS.toNanos(3));
            taking.end(next, Outcome.SUCCESS);
            taking.close();
            other.close();
        }
    }
}
