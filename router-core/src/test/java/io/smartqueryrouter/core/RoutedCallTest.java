package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.RoutedCall.Action;
import io.smartqueryrouter.core.RoutedCall.Decision;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The per-call decisions of {@link RoutedCall}, driven by hand on a fake clock. */
class RoutedCallTest {
    /** Always takes the first candidate: the first registered node that is available and untried. */
    private static final RoutingPolicy FIRST = (candidates, nowNanos, random) -> 0;

    /** Draws the largest value it may: a full-jitter backoff then always waits its whole ceiling. */
    private static final RandomGenerator LONGEST_BACKOFF = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));

    private RouterBuilder<String> router(String... ids) {
        RouterBuilder<String> b = Router.<String>builder("orders").policy(FIRST).ticker(now::get)
                .random(LONGEST_BACKOFF).outlierEjection(OutlierEjection.disabled());
        for (String id : ids) {
            b.node(Node.of(id, "http://" + id));
        }
        return b;
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    // ------------------------------------------------------------------ a hedge only when the node stalls

    @Test
    void noHedgeWhileTheNodeOfTheAttemptAnswersOtherCalls() {
        HedgePolicy adaptive = HedgePolicy.afterPercentile(0.95);
        try (Router<String> r = router("a", "b").hedge(adaptive).build()) {
            // two calls on a; the second answers after 15 ms, the first is still out at 20 ms: a answers, so the
            // first call's work is long, and a hedge of it would be as long
            RoutedCall<String> big = r.newCall();
            Attempt<String> bigFirst = big.begin();
            RoutedCall<String> small = r.newCall();
            Attempt<String> smallFirst = small.begin();
            assertThat(smallFirst.node().id()).isEqualTo("a");
            advance(15 * MS);
            smallFirst.complete(Outcome.SUCCESS);
            small.succeeded(smallFirst);
            advance(5 * MS);
            assertThat(big.hedge()).isNull();
            assertThat(big.noHedgeReason()).isEqualTo("node 'a' answered since the attempt began");
            // a call begun after that answer, on a node that then answers nothing: not hedged while the silence is
            // under 3 x the node's average (its one answer: 15 ms), hedged once it is a stall
            RoutedCall<String> stalled = r.newCall();
            Attempt<String> stalledFirst = stalled.begin();
            advance(20 * MS);
            assertThat(stalled.hedge()).isNull();
            assertThat(stalled.noHedgeReason()).isEqualTo("node 'a' silent 25000 us, under 3 x its average 15000 us");
            advance(25 * MS);
            Attempt<String> hedge = stalled.hedge();
            assertThat(hedge).isNotNull();
            assertThat(hedge.node().id()).isEqualTo("b");
            hedge.complete(Outcome.SUCCESS);
            stalled.succeeded(hedge);
            stalledFirst.complete(Outcome.CANCELLED);
            bigFirst.complete(Outcome.CANCELLED);
        }
    }

    /**
     * One round: nine quick calls on a (1 ms each, so its average stays near 11 ms), then one whose node is silent for
     * 100 ms and is asked to hedge. If hedged, the original answers first when {@code hedgeWins} is false.
     *
     * @return the call's hedge() answer: the hedge, or null
     */
    private Attempt<String> stallRound(Router<String> r, boolean hedgeWins) {
        for (int i = 0; i < 9; i++) {
            RoutedCall<String> quick = r.newCall();
            Attempt<String> q = quick.begin();
            advance(MS);
            q.complete(Outcome.SUCCESS);
            quick.succeeded(q);
        }
        RoutedCall<String> call = r.newCall();
        Attempt<String> first = call.begin();
        advance(100 * MS);
        Attempt<String> hedge = call.hedge();
        advance(10 * MS);
        Attempt<String> winner = hedge != null && hedgeWins ? hedge : first;
        winner.complete(Outcome.SUCCESS);
        call.succeeded(winner);
        if (hedge != null) {
            (winner == hedge ? first : hedge).complete(Outcome.CANCELLED);
        }
        // a second apart, so the hedge budget's one hedge a second never decides
        advance(1000 * MS);
        return hedge;
    }

    @Test
    void hedgesThatRarelyWinAreCutToOneCallInEightAndComeBackOnceTheyWinAgain() {
        try (Router<String> r = router("a", "b").hedge(HedgePolicy.afterPercentile(0.95)).build()) {
            lose22Hedges(r);
            RoutedCall<String> probe = r.newCall();
            Attempt<String> probeFirst = probe.begin();
            advance(100 * MS);
            assertThat(probe.hedge()).isNull();
            assertThat(probe.noHedgeReason()).isEqualTo("hedges rarely win on this router: about 24% of its recent "
                    + "hedged calls were answered by the hedge, under 25%; one call in 8 is still hedged");
            probeFirst.complete(Outcome.SUCCESS);
            probe.succeeded(probeFirst);
            advance(1000 * MS);
            // the probe was the first call refused; six more are refused, the eighth is hedged and its hedge wins
            for (int round = 2; round <= 7; round++) {
                assertThat(stallRound(r, false)).as("call %d while hedges do not pay", round).isNull();
            }
            assertThat(r.snapshot().hedgesRefusedAsUnpaid()).isEqualTo(7);
            assertThat(r.snapshot().hedges()).isEqualTo(22);
            assertThat(stallRound(r, true)).isNotNull();
            // 0.242 + (1 - 0.242) / 16 = 0.289: every stall is hedged again
            assertThat(stallRound(r, true)).isNotNull();
            assertThat(stallRound(r, true)).isNotNull();
            assertThat(r.snapshot().hedgesRefusedAsUnpaid()).isEqualTo(7);
        }
    }

    /** The call's own work is long: the original, begun 100 ms earlier, answers before its hedge, 22 times. */
    private void lose22Hedges(Router<String> r) {
        // each such call moves the router's hedge payoff 1/16 of the way to 0: 0.9375^22 = 0.242, under 0.25
        for (int round = 1; round <= 22; round++) {
            assertThat(stallRound(r, false)).as("round %d", round).isNotNull();
        }
    }

    @Test
    void aHedgedCallThatARetryAnsweredSaysNothingOfItsHedge() {
        try (Router<String> r = router("a", "b", "c").hedge(HedgePolicy.afterPercentile(0.95)).build()) {
            lose22Hedges(r);
            for (int round = 1; round <= 7; round++) {
                assertThat(stallRound(r, false)).as("call %d while hedges do not pay", round).isNull();
            }
            // the eighth is hedged (on b); a then fails and its retry (on c) answers before the hedge
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            advance(100 * MS);
            Attempt<String> hedge = call.hedge();
            assertThat(hedge.node().id()).isEqualTo("b");
            first.complete(Outcome.FAILURE);
            assertThat(call.failed(first, new IOException("reset"), null).action()).isEqualTo(Action.RETRY);
            Attempt<String> retry = call.retry();
            assertThat(retry.node().id()).isEqualTo("c");
            advance(5 * MS);
            retry.complete(Outcome.SUCCESS);
            call.succeeded(retry);
            hedge.complete(Outcome.CANCELLED);
            advance(1000 * MS);
            // neither a win nor a loss: the payoff is still 0.242, and the next call due a hedge is the first of 8 again
            assertThat(stallRound(r, false)).isNull();
            assertThat(call.isDone()).isTrue();
        }
    }

    @Test
    void aFixedDelayIsTheCallersOwnMeasureAndHedgesWhetherOrNotHedgesWin() {
        try (Router<String> r = router("a", "b").hedge(HedgePolicy.afterDelay(Duration.ofMillis(50))).build()) {
            for (int round = 1; round <= 40; round++) {
                assertThat(stallRound(r, false)).as("round %d", round).isNotNull();
            }
        }
    }

    @Test
    void aNodeWhoseCallsWereCancelledUnansweredStaysSilentForAsLongAgain() {
        // a policy that reads nothing: the router keeps the silence because it hedges
        java.util.concurrent.atomic.AtomicReference<io.smartqueryrouter.core.spi.NodeStats> seen =
                new java.util.concurrent.atomic.AtomicReference<>();
        RoutingPolicy firstSeen = (candidates, nowNanos, random) -> {
            seen.set(candidates.get(0));
            return 0;
        };
        try (Router<String> r = router("a", "b").policy(firstSeen).hedge(HedgePolicy.afterDelay(Duration.ofMillis(30)))
                .build()) {
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            io.smartqueryrouter.core.spi.NodeStats a = seen.get();
            assertThat(a.node().id()).isEqualTo("a");
            advance(30 * MS);
            assertThat(a.silentNanos(now.get())).isEqualTo(30 * MS);
            // the hedge won elsewhere: a's attempt is cancelled, nothing is in flight on it any more, yet it has
            // answered nothing for 30 ms, and counts as silent (from its last answer) for 30 ms more
            first.complete(Outcome.CANCELLED);
            assertThat(a.inFlight()).isZero();
            advance(10 * MS);
            assertThat(a.silentNanos(now.get())).isEqualTo(40 * MS);
            advance(20 * MS);
            assertThat(a.silentNanos(now.get())).isZero();
        }
    }

    // ------------------------------------------------------------------ no retry after SUCCESS or CLIENT_ERROR

    @Test
    void retryAfterSuccessOrClientErrorBeginsNoAttemptAndSpendsNoBudget() {
        // one retry per second and nothing more: a retry spent by mistake would leave none for the failure below
        RetryPolicy oneRetry = RetryPolicy.builder().budget(RetryBudget.of(0, 1, Duration.ofSeconds(1))).build();
        try (Router<String> r = router("a", "b", "c").retry(oneRetry).build()) {
            RoutedCall<String> succeeded = r.newCall();
            Attempt<String> first = succeeded.begin();
            first.complete(Outcome.SUCCESS);
            // before: attempt.retry() after a success began a second attempt on b and took the budget's retry
            assertThatThrownBy(() -> succeeded.failed(first, new IOException("late"), null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("router 'orders': attempt 1 succeeded; report it with succeeded()");
            assertThatThrownBy(succeeded::retry).isInstanceOf(IllegalStateException.class)
                    .hasMessage("router 'orders': retry() needs a RETRY decision from failed() first");
            succeeded.succeeded(first);
            assertThat(succeeded.isDone()).isTrue();
            assertThatThrownBy(succeeded::retry).isInstanceOf(IllegalStateException.class);
            assertThat(succeeded.attempts()).isEqualTo(1);

            RoutedCall<String> badRequest = r.newCall();
            Attempt<String> rejected = badRequest.begin();
            rejected.complete(Outcome.CLIENT_ERROR);
            assertThat(badRequest.failed(rejected, new IllegalArgumentException("400"), null))
                    .isEqualTo(new Decision(Action.STOP, 0, "CLIENT_ERROR is not retried"));
            assertThat(badRequest.isDone()).isTrue();
            assertThatThrownBy(badRequest::retry).isInstanceOf(IllegalStateException.class)
                    .hasMessage("router 'orders': retry() needs a RETRY decision from failed() first");
            assertThat(badRequest.attempts()).isEqualTo(1);
            assertThat(badRequest.exception()).hasMessage(
                    "router 'orders': call failed after 1 attempt (CLIENT_ERROR is not retried): a: "
                            + "java.lang.IllegalArgumentException: 400");

            RouterSnapshot s = r.snapshot();
            assertThat(s.attemptsStarted()).isEqualTo(2);
            assertThat(s.attemptsCompleted()).isEqualTo(2);
            assertThat(s.retries()).isZero();
            assertThat(s.retriesRefusedByBudget()).isZero();
            assertThat(s.node("a").requests()).isEqualTo(2);
            assertThat(s.node("b").requests()).isZero();
            assertThat(s.node("c").requests()).isZero();

            // the budget's one retry is still there for a failure
            RoutedCall<String> failing = r.newCall();
            Attempt<String> down = failing.begin();
            down.complete(Outcome.FAILURE);
            assertThat(failing.failed(down, new IOException("down"), null)).isEqualTo(new Decision(Action.RETRY, 0, null));
            Attempt<String> retry = failing.retry();
            assertThat(retry).isNotNull();
            assertThat(retry.node().id()).isEqualTo("b");
            retry.complete(Outcome.SUCCESS);
            failing.succeeded(retry);
            // and it was the only one
            RoutedCall<String> next = r.newCall();
            Attempt<String> downAgain = next.begin();
            downAgain.complete(Outcome.FAILURE);
            assertThat(next.failed(downAgain, new IOException("down"), null).action()).isEqualTo(Action.RETRY);
            assertThat(next.retry()).isNull();
            assertThat(next.stopReason()).isEqualTo("retry budget spent");

            s = r.snapshot();
            assertThat(s.attemptsStarted()).isEqualTo(5);
            assertThat(s.retries()).isEqualTo(1);
            assertThat(s.retriesRefusedByBudget()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------ the call's deadline

    @Test
    void noRetryOrHedgeBeginsWhenTheTimeLeftIsLessThanTheFastestUntriedNodeTakes() {
        try (Router<String> r = router("a", "b", "c").build()) {
            // b answers in 40 ms, c in 60 ms: what another attempt takes at best is 40 ms
            for (String id : new String[] {"b", "c"}) {
                Attempt<String> warm = r.newCall(n -> n.id().equals(id), null).begin();
                advance(id.equals("b") ? 40 * MS : 60 * MS);
                warm.complete(Outcome.SUCCESS);
            }
            RoutedCall<String> call = r.newCall(null, Duration.ofMillis(100));
            Attempt<String> first = call.begin();
            assertThat(first.node().id()).isEqualTo("a");
            advance(61 * MS);
            first.complete(Outcome.FAILURE);
            // 39 ms left: b would need its 40 ms, decayed over the 61 ms since (x 0.994, Peak-EWMA's 10 s tau): 39.76
            assertThat(call.failed(first, new IOException("refused"), null).action()).isEqualTo(Action.RETRY);
            assertThat(call.retry()).isNull();
            assertThat(call.stopReason())
                    .isEqualTo("the call's deadline leaves 39 ms, less than the fastest untried node takes (39 ms)");

            RoutedCall<String> inTime = r.newCall(null, Duration.ofMillis(100));
            Attempt<String> again = inTime.begin();
            advance(59 * MS);
            again.complete(Outcome.FAILURE);
            assertThat(inTime.failed(again, new IOException("refused"), null).action()).isEqualTo(Action.RETRY);
            Attempt<String> retry = inTime.retry();
            assertThat(retry).as("41 ms left, enough for b's 40").isNotNull();
            retry.complete(Outcome.SUCCESS);
            inTime.succeeded(retry);
        }
    }

    @Test
    void aBackoffThatWouldOutlastTheDeadlineStopsTheCall() {
        // full jitter at its longest: every backoff is exactly 60 ms
        RetryPolicy backoff = RetryPolicy.builder().backoff(Duration.ofMillis(60), Duration.ofMillis(60)).build();
        try (Router<String> r = router("a", "b", "c").retry(backoff).build()) {
            RoutedCall<String> call = r.newCall(null, Duration.ofMillis(100));
            assertThat(call.remainingNanos()).isEqualTo(100 * MS);
            Attempt<String> first = call.begin();
            advance(30 * MS);
            first.complete(Outcome.FAILURE);
            // 70 ms left: the 60 ms backoff fits
            assertThat(call.failed(first, new IOException("refused by a"), null))
                    .isEqualTo(new Decision(Action.RETRY, 60 * MS, null));
            advance(60 * MS);
            Attempt<String> second = call.retry();
            assertThat(second).isNotNull();
            assertThat(second.node().id()).isEqualTo("b");
            advance(5 * MS);
            second.complete(Outcome.FAILURE);
            // 5 ms left: a 60 ms backoff would outlast the deadline, so the call stops now rather than after it
            assertThat(call.remainingNanos()).isEqualTo(5 * MS);
            assertThat(call.failed(second, new IOException("refused by b"), null))
                    .isEqualTo(new Decision(Action.STOP, 0, "the call's deadline leaves no time for the backoff"));
            assertThat(call.isDone()).isTrue();
            assertThat(call.exception()).hasMessageStartingWith("router 'orders': call failed after 2 attempts "
                    + "(the call's deadline leaves no time for the backoff): ");
            assertThat(r.snapshot().node("c").requests()).isZero();
            assertThat(r.snapshot().retries()).isEqualTo(1);
        }
    }

    @Test
    void afterTheDeadlinePassedNoRetryOrHedgeBegins() {
        RetryPolicy backoff = RetryPolicy.builder().backoff(Duration.ofMillis(60), Duration.ofMillis(60)).build();
        HedgePolicy twoHedges = HedgePolicy.builder().afterDelay(Duration.ofMillis(10)).maxHedges(2).build();
        try (Router<String> r = router("a", "b", "c", "d").retry(backoff).hedge(twoHedges).build()) {
            // a retry announced in time, begun after the deadline (its caller overslept the backoff)
            RoutedCall<String> late = r.newCall(null, Duration.ofMillis(100));
            Attempt<String> first = late.begin();
            advance(30 * MS);
            first.complete(Outcome.FAILURE);
            assertThat(late.failed(first, new IOException("refused by a"), null))
                    .isEqualTo(new Decision(Action.RETRY, 60 * MS, null));
            advance(70 * MS);
            assertThat(late.remainingNanos()).isZero();
            assertThat(late.retry()).isNull();
            assertThat(late.stopReason()).isEqualTo("the call's deadline passed");
            assertThat(late.isDone()).isTrue();
            assertThat(late.exception()).hasMessageStartingWith(
                    "router 'orders': call failed after 1 attempt (the call's deadline passed): ");

            // a hedge goes while the deadline is ahead, not once it has passed
            RoutedCall<String> slow = r.newCall(null, Duration.ofMillis(100));
            Attempt<String> stalled = slow.begin();
            // a has answered nothing yet (its failure is no answer), so its average is the 30 ms prior: a stall from 90 ms
            advance(90 * MS);
            Attempt<String> hedge = slow.hedge();
            assertThat(hedge).isNotNull();
            advance(10 * MS);
            assertThat(slow.hedge()).isNull();
            assertThat(slow.noHedgeReason()).isEqualTo("the call's deadline passed");
            // an attempt failing after the deadline is not retried either
            hedge.complete(Outcome.FAILURE);
            assertThat(slow.failed(hedge, new IOException("refused"), null))
                    .isEqualTo(new Decision(Action.WAIT, 0, "the call's deadline passed"));
            stalled.complete(Outcome.CANCELLED);
            assertThat(slow.failed(stalled, new IOException("timed out"), null))
                    .isEqualTo(new Decision(Action.STOP, 0, "the call was cancelled"));

            RouterSnapshot s = r.snapshot();
            assertThat(s.attemptsStarted()).isEqualTo(3);
            assertThat(s.attemptsCompleted()).isEqualTo(3);
            assertThat(s.retries()).isZero();
            assertThat(s.hedges()).isEqualTo(1);
        }
    }
}
