package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * How long an ejected node's trial call (half-open) may wait, on a fake clock. The first trial of an
 * ejection waits the wait limit on a node believed down (the health check's timeout, 1 s without
 * one), so a node working through a backlog gets that long; once a trial timed out (failed after
 * waiting longer than the other nodes answer in: a black hole, not a refusal), the later trials wait
 * only as long as the slowest available node lately took (its Peak-EWMA), at least the prior, at
 * most that timeout, while every available node answers, and then the call fails over. A
 * black hole then costs one full wait per ejection and otherwise about what a slow answer of a
 * healthy node costs, while a node that answers as the others do passes however slow they all are.
 */
class TrialWaitTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));

    private Router<String> router(OutlierEjection ejection) {
        RouterBuilder<String> b = Router.<String>builder("orders").ticker(now::get).random(new SplittableRandom(3))
                .policy(RoutingPolicies.roundRobin()).outlierEjection(ejection);
        for (String id : new String[] {"a", "b", "c"}) {
            b.node(Node.of(id, "http://" + id));
        }
        return b.build();
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    /** One call on node {@code id} that takes {@code millis} and ends with {@code outcome}. */
    private void call(Router<String> r, String id, long millis, Outcome outcome) {
        Attempt<String> a = r.newCall(n -> n.id().equals(id), null).begin();
        assertThat(a.node().id()).isEqualTo(id);
        advance(millis * MS);
        a.complete(outcome);
    }

    /** Ejects {@code a} with 5 failures at once; returns its first trial, claimed 1 s later. */
    private Attempt<String> ejectA(Router<String> r) {
        for (int i = 0; i < 5; i++) {
            call(r, "a", 0, Outcome.FAILURE);
        }
        assertThat(r.snapshot().node("a").ejected()).isTrue();
        advance(TimeUnit.SECONDS.toNanos(1));
        Attempt<String> first = r.begin();
        assertThat(first.node().id()).as("the trial is open 1 s after the ejection").isEqualTo("a");
        return first;
    }

    /**
     * Ejects {@code a}; its first trial waits the whole 1 s and gets nothing (a black hole). Then b and c
     * answer in the given times, and the next call is a's second trial, which is returned.
     */
    private Attempt<String> ejectAsBlackHoleThenAnswer(Router<String> r, long bMillis, long cMillis) {
        Attempt<String> first = ejectA(r);
        assertThat(first.waitLimitNanos()).as("the first trial of an ejection").isEqualTo(1_000 * MS);
        advance(1_000 * MS);
        first.complete(Outcome.FAILURE);
        call(r, "b", bMillis, Outcome.SUCCESS);
        call(r, "c", cMillis, Outcome.SUCCESS);
        Attempt<String> second = r.begin();
        assertThat(second.node().id()).as("the next trial").isEqualTo("a");
        return second;
    }

    @Test
    void afterOneTrialWaitedInVainTheNextWaitsWhatTheSlowestAvailableNodeTookThenTheCallFailsOverWithNoLimit() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> first = ejectA(r);
            advance(1_000 * MS);
            first.complete(Outcome.FAILURE);
            call(r, "b", 20, Outcome.SUCCESS);
            call(r, "c", 50, Outcome.SUCCESS);
            RoutedCall<String> call = r.newCall();
            Attempt<String> trial = call.begin();
            assertThat(trial.node().id()).isEqualTo("a");
            // c's Peak-EWMA as the trial begins, right after its 50 ms answer; every trial used to wait the
            // health check's timeout (1 s without a health check)
            assertThat(trial.waitLimitNanos()).isEqualTo(50 * MS);

            advance(50 * MS);
            trial.complete(Outcome.FAILURE);
            RoutedCall.Decision d = call.failed(trial, new IOException("timed out"), null);
            assertThat(d.action()).isEqualTo(RoutedCall.Action.RETRY);
            Attempt<String> retry = call.retry();
            assertThat(retry.node().id()).isIn("b", "c");
            assertThat(retry.waitLimitNanos()).as("a healthy node: no limit but the call's").isEqualTo(Long.MAX_VALUE);
            advance(20 * MS);
            retry.complete(Outcome.SUCCESS);
            call.succeeded(retry);
            assertThat(r.snapshot().node("a").ejected()).isTrue();
        }
    }

    @Test
    void onlyTheTrialWaitsLessAnotherCallFailingOpenOntoTheEjectedNodeWaitsTheHealthCheckTimeout() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> trial = ejectAsBlackHoleThenAnswer(r, 20, 50);
            advance(MS);
            Attempt<String> failingOpen = r.newCall(n -> n.id().equals("a"), null).begin();
            assertThat(failingOpen.node().id()).isEqualTo("a");
            assertThat(failingOpen.waitLimitNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
            assertThat(trial.waitLimitNanos()).as("asked again later, the trial's limit is the same").isEqualTo(50 * MS);
            failingOpen.complete(Outcome.FAILURE);
            trial.complete(Outcome.FAILURE);
        }
    }

    @Test
    void whenEveryNodeIsSlowTheTrialWaitsAsLongAndANodeAnsweringAsSlowlyPasses() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            // b and c take 300 and 400 ms (overload, a slow dependency): a trial answered in 350 ms passes
            Attempt<String> trial = ejectAsBlackHoleThenAnswer(r, 300, 400);
            assertThat(trial.waitLimitNanos()).isEqualTo(400 * MS);
            advance(350 * MS);
            trial.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().node("a").ejected()).as("back after a 350 ms answer").isFalse();
        }
    }

    @Test
    void whileAnotherAvailableNodeFailsTooTheTrialWaitsTheWholeTimeoutAgain() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> trial = ejectAsBlackHoleThenAnswer(r, 20, 50);
            assertThat(trial.waitLimitNanos()).isEqualTo(50 * MS);
            advance(50 * MS);
            trial.complete(Outcome.FAILURE);
            // c times out once: the nodes left do not all answer normally (overload, a shared fault), so a may be
            // slow for the same reason rather than gone, and its next trial gets the whole second
            call(r, "c", 1_000, Outcome.FAILURE);
            Attempt<String> next = r.begin();
            assertThat(next.node().id()).isEqualTo("a");
            assertThat(next.waitLimitNanos()).isEqualTo(1_000 * MS);
            next.complete(Outcome.FAILURE);
            // b and c answer again: the next trial waits what c lately took, its 1 s failure faded over the 1.04 s
            // since with tau 10 s: 1 s x exp(-0.104) = 901 ms
            call(r, "c", 20, Outcome.SUCCESS);
            call(r, "b", 20, Outcome.SUCCESS);
            advance(TimeUnit.SECONDS.toNanos(1));
            Attempt<String> third = r.begin();
            assertThat(third.node().id()).isEqualTo("a");
            assertThat(third.waitLimitNanos()).isBetween(895 * MS, 905 * MS);
            third.complete(Outcome.FAILURE);
        }
    }

    @Test
    void theTrialWaitsAtLeastThePriorAndAtMostTheHealthCheckTimeout() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> trial = ejectAsBlackHoleThenAnswer(r, 1, 2);
            assertThat(trial.waitLimitNanos()).as("others answer in 2 ms: the 30 ms prior").isEqualTo(30 * MS);
            trial.complete(Outcome.FAILURE);
        }
        now.set(TimeUnit.SECONDS.toNanos(1_000));
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> trial = ejectAsBlackHoleThenAnswer(r, 1_500, 3_000);
            assertThat(trial.waitLimitNanos()).as("others answer in 3 s: the 1 s timeout").isEqualTo(1_000 * MS);
            trial.complete(Outcome.FAILURE);
        }
    }

    @Test
    void withNoAnswerFromAnyOtherNodeTheTrialWaitsTheHealthCheckTimeout() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> first = ejectA(r);
            advance(1_000 * MS);
            first.complete(Outcome.FAILURE);
            Attempt<String> trial = r.begin();
            assertThat(trial.node().id()).isEqualTo("a");
            assertThat(trial.waitLimitNanos()).isEqualTo(1_000 * MS);
            trial.complete(Outcome.FAILURE);
        }
    }

    @Test
    void theFirstTrialOfAnEjectionWaitsTheWholeTimeoutSoABackloggedNodeAnsweringIn800MsIsBack() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            call(r, "b", 20, Outcome.SUCCESS);
            call(r, "c", 50, Outcome.SUCCESS);
            Attempt<String> first = ejectA(r);
            assertThat(first.waitLimitNanos()).isEqualTo(1_000 * MS);
            advance(800 * MS);
            first.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().node("a").ejected()).isFalse();
        }
    }

    @Test
    void aFirstTrialCutByTheClientsOwnShorterTimeoutCountsAsTimedOut() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            call(r, "b", 20, Outcome.SUCCESS);
            call(r, "c", 50, Outcome.SUCCESS);
            Attempt<String> first = ejectA(r);
            assertThat(first.waitLimitNanos()).isEqualTo(1_000 * MS);
            // the client's read timeout is 400 ms, under half the 1 s limit: still far longer than b and c answer
            advance(400 * MS);
            first.complete(Outcome.FAILURE);
            call(r, "b", 20, Outcome.SUCCESS);
            call(r, "c", 50, Outcome.SUCCESS);
            advance(TimeUnit.SECONDS.toNanos(1));
            Attempt<String> second = r.begin();
            assertThat(second.node().id()).isEqualTo("a");
            // c's 50 ms, faded over the 1 s since with tau 10 s: 50 x exp(-0.1) = 45.2 ms
            assertThat(second.waitLimitNanos()).isBetween(45 * MS, 46 * MS);
            second.complete(Outcome.FAILURE);
        }
    }

    @Test
    void aRefusedTrialIsNoSignOfABlackHoleTheNextTrialStillWaitsTheWholeTimeout() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            call(r, "b", 20, Outcome.SUCCESS);
            call(r, "c", 50, Outcome.SUCCESS);
            Attempt<String> first = ejectA(r);
            // connection refused after 1 ms: under half the limit, so no timeout
            advance(MS);
            first.complete(Outcome.FAILURE);
            advance(1_000 * MS);
            Attempt<String> second = r.begin();
            assertThat(second.node().id()).isEqualTo("a");
            assertThat(second.waitLimitNanos()).isEqualTo(1_000 * MS);
            second.complete(Outcome.FAILURE);
        }
    }

    @Test
    void aNewEjectionStartsAgainWithAFullTrial() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> trial = ejectAsBlackHoleThenAnswer(r, 20, 50);
            assertThat(trial.waitLimitNanos()).isEqualTo(50 * MS);
            advance(50 * MS);
            trial.complete(Outcome.FAILURE);
            // the 30 s ejection ends; a answers one call, then fails 5 times: ejected again (60 s)
            advance(TimeUnit.SECONDS.toNanos(30));
            call(r, "a", 10, Outcome.SUCCESS);
            Attempt<String> again = ejectA(r);
            assertThat(again.waitLimitNanos()).isEqualTo(1_000 * MS);
            again.complete(Outcome.FAILURE);
        }
    }

    @Test
    void anUntimedTrialTakingAPooledConnectionWaitsTheHealthCheckTimeout() {
        try (Router<String> r = router(OutlierEjection.defaults())) {
            Attempt<String> first = ejectAsBlackHoleThenAnswer(r, 20, 50);
            advance(50 * MS);
            first.complete(Outcome.FAILURE);
            advance(1_000 * MS);
            // JDBC: taking a connection says nothing of query latency, and opening one takes longer than a query
            BoundNode<String> bound = r.bindFirst(null);
            assertThat(bound.node().id()).as("the binding took the trial").isEqualTo("a");
            assertThat(bound.waitLimitNanos()).isEqualTo(1_000 * MS);
            bound.endFirst(Outcome.FAILURE);
            bound.close();

            advance(TimeUnit.SECONDS.toNanos(1));
            RoutedCall<String> untimed = r.newCall(null, null).untimed();
            Attempt<String> trial = untimed.begin();
            assertThat(trial.node().id()).isEqualTo("a");
            assertThat(trial.waitLimitNanos()).isEqualTo(1_000 * MS);
            trial.complete(Outcome.FAILURE);
        }
    }

    @Test
    void withABackoffATrialThatWaitedItsOwnShortLimitCountsAsTimedOutAndARefusalDoesNot() {
        try (Router<String> r = router(OutlierEjection.builder().maxTrialInterval(Duration.ofSeconds(300)).build())) {
            Attempt<String> first = ejectA(r);
            advance(1_000 * MS);
            first.complete(Outcome.FAILURE);
            // timed out in full: the next trial 2 s after it ended
            long firstEnded = now.get();
            now.set(firstEnded + 1_930 * MS);
            assertThat(nextNode(r)).isNotEqualTo("a");
            call(r, "b", 20, Outcome.SUCCESS);
            call(r, "c", 50, Outcome.SUCCESS);
            assertThat(now.get()).isEqualTo(firstEnded + 2_000 * MS);
            Attempt<String> trial = r.begin();
            assertThat(trial.node().id()).isEqualTo("a");
            assertThat(trial.waitLimitNanos()).isEqualTo(50 * MS);
            advance(50 * MS);
            trial.complete(Outcome.FAILURE);
            // it waited its whole 50 ms limit: timed out too, so the next trial comes 4 s after it ended
            long secondEnded = now.get();
            now.set(secondEnded + 4_000 * MS - 1);
            assertThat(nextNode(r)).isNotEqualTo("a");
            now.set(secondEnded + 4_000 * MS);
            Attempt<String> third = r.begin();
            assertThat(third.node().id()).isEqualTo("a");
            // refused after 1 ms (faster than b and c answer): the gap stays 4 s
            long thirdAt = now.get();
            advance(MS);
            third.complete(Outcome.FAILURE);
            now.set(thirdAt + 4_000 * MS - 1);
            assertThat(nextNode(r)).isNotEqualTo("a");
            now.set(thirdAt + 4_000 * MS);
            assertThat(nextNode(r)).isEqualTo("a");
        }
    }

    /** The node of the next call, which succeeds at once. */
    private static String nextNode(Router<String> r) {
        Attempt<String> a = r.begin();
        a.complete(Outcome.SUCCESS);
        return a.node().id();
    }
}
