package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The adaptive limit's rule, window by window on a fake clock. */
class AdaptiveLimitTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WINDOW = 100 * MS;

    private long now = TimeUnit.SECONDS.toNanos(1000);
    /** What the router's nodes say: whether every one is slow (else the limit does not shrink). */
    private boolean everyNodeSlow = true;
    private AdaptiveLimit limit = limit(ConcurrencyLimit.builder().initialLimit(20).minLimit(1).maxLimit(1000)
            .window(Duration.ofNanos(WINDOW)).tolerance(2.0).extraAttemptsPercent(80).build());

    private AdaptiveLimit limit(ConcurrencyLimit config) {
        return new AdaptiveLimit(config, now, (threshold, at) -> everyNodeSlow);
    }

    /**
     * One window in which the router uses its whole limit (one more attempt is refused) and every
     * attempt ends as {@code outcome} after {@code latency}; the last ends past the window's end and
     * so recomputes the limit, which is returned.
     */
    private int fullWindow(Outcome outcome, long latency) {
        return window(limit.limit(), true, outcome, latency);
    }

    /**
     * One window with {@code inFlight} attempts at a time, in as many rounds as make the 16 answers
     * a window needs, each ending as {@code outcome} after {@code latency} (plus a nanosecond per
     * answer: real latencies differ, and equal ones would share a sample slot); the last ends at the
     * window's end and so recomputes the limit, which is returned.
     */
    private int window(int inFlight, boolean thenOneRefused, Outcome outcome, long latency) {
        long end = now + WINDOW;
        int rounds = (AdaptiveLimit.MIN_SAMPLES_PER_WINDOW + inFlight - 1) / inFlight;
        int answer = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < inFlight; i++) {
                assertThat(limit.tryAcquire(now)).as("attempt %d of %d within the limit %d", i + 1, inFlight,
                        limit.limit()).isTrue();
            }
            if (thenOneRefused) {
                assertThat(limit.tryAcquire(now)).as("one beyond the limit").isFalse();
            }
            for (int i = 0; i < inFlight; i++) {
                boolean last = r == rounds - 1 && i == inFlight - 1;
                limit.release(outcome, latency + 3L * answer++, last ? end : end - 1);
            }
        }
        now = end;
        assertThat(limit.inFlight()).isZero();
        return limit.limit();
    }

    @Test
    void theLimitFallsUnderARisingLatencyToItsQueueAllowanceAndClimbsBackWithinASecondAfter() {
        // latency at its no-load value and the limit in use: it grows by about its square root per window
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24); // 20 + sqrt(20)
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(29); // 24.47 + sqrt(24.47)
        assertThat(limit.noLoadNanos()).isEqualTo(10.0 * MS, offset(100.0));

        // 5x the no-load latency: the gradient 2 x 10 / 50 is clamped at 0.5, plus a queue of sqrt(limit)
        List<Integer> falling = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            falling.add(fullWindow(Outcome.SUCCESS, 50 * MS));
        }
        // 29.4 -> 20.1 -> 14.5 -> 11.0 -> 8.8 -> 7.4 -> ... toward the fixed point L / 2 + sqrt(L) = L, L = 4
        assertThat(falling).containsExactly(20, 14, 11, 8, 7, 6, 5, 5);
        for (int i = 0; i < 10; i++) {
            fullWindow(Outcome.SUCCESS, 50 * MS);
        }
        assertThat(limit.limit()).isEqualTo(4);
        assertThat(limit.noLoadNanos()).as("the windowed minimum remembers the no-load latency")
                .isEqualTo(10.0 * MS, offset(100.0));

        // latency back to normal: the limit climbs back above its initial value within 8 windows (0.8 s)
        List<Integer> rising = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rising.add(fullWindow(Outcome.SUCCESS, 10 * MS));
        }
        assertThat(rising).containsExactly(6, 8, 11, 14, 18, 23, 27, 33);
    }

    @Test
    void aModerateQueueIsShedOnlyOnceItHasLastedASecondAndASteepOneAtOnce() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // 3x the no-load latency (over the tolerance of 2x, within twice that): the limit holds, neither shrinking
        // nor growing, until a second after the first such window (a node's pause among a few queues the rest so)
        List<Integer> held = new ArrayList<>();
        held.add(fullWindow(Outcome.SUCCESS, 30 * MS));
        long firstSlow = now;
        while (now + WINDOW - firstSlow < AdaptiveLimit.MODERATE_QUEUE_NANOS) {
            held.add(fullWindow(Outcome.SUCCESS, 30 * MS));
        }
        assertThat(held).hasSize(10).containsOnly(24);
        // the window that ends a second after the first slow one: the queue has lasted, the gradient 2 x 10 / 30
        assertThat(fullWindow(Outcome.SUCCESS, 30 * MS)).isEqualTo(21); // 24.47 x 0.667 + sqrt(24.47) = 21.26
        // one window back within the tolerance ends the run: the limit grows, and the next moderate window holds
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(25); // 21.26 + sqrt(21.26) = 25.87
        assertThat(fullWindow(Outcome.SUCCESS, 30 * MS)).isEqualTo(25);
        // 5x the no-load latency is a steep queue: shed at the first window
        assertThat(fullWindow(Outcome.SUCCESS, 50 * MS)).isEqualTo(18); // 25.87 x 0.5 + sqrt(25.87) = 18.02
        // and timeouts of the majority back off at once, however the latency reads
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(22); // 18.02 + sqrt(18.02) = 22.26
        assertThat(fullWindow(Outcome.FAILURE, 1000 * MS)).isEqualTo(11); // 22.26 x 0.5
    }

    @Test
    void aLatencyWithinTheToleranceKeepsGrowingTheLimit() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        // 19 ms is under 2 x 10 ms: fine, however the median moves inside the tolerance
        assertThat(fullWindow(Outcome.SUCCESS, 19 * MS)).isEqualTo(29);
    }

    @Test
    void timeoutsOfTheMajorityBackOffAtLeastTenPercentAndFastFailuresSayNothing() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // connection refused after 1 ms: nothing learnt, neither the limit nor the no-load latency moves
        for (int i = 0; i < 5; i++) {
            assertThat(fullWindow(Outcome.FAILURE, MS)).isEqualTo(24);
        }
        assertThat(limit.noLoadNanos()).isEqualTo(10.0 * MS, offset(100.0));
        // a 1 s timeout is a drop and a slow sample: the gradient 20 / 1000 is clamped at 0.5
        assertThat(fullWindow(Outcome.FAILURE, 1000 * MS)).isEqualTo(12);
        // an overloaded answer (HTTP 503) is a drop whatever its latency: 0.9 x the limit
        assertThat(fullWindow(Outcome.OVERLOADED, 5 * MS)).isEqualTo(11); // 12.2 x 0.9
        // a cancelled attempt (a hedge that lost) says nothing
        assertThat(fullWindow(Outcome.CANCELLED, 500 * MS)).isEqualTo(11);
    }

    @Test
    void aMinorityOfTimeoutsIsSomeNodesAndLeavesTheLimitAlone() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // 10 timeouts and 14 answers at the no-load latency: the limit grows as in any fine window
        for (int i = 0; i < 24; i++) {
            assertThat(limit.tryAcquire(now)).isTrue();
        }
        assertThat(limit.tryAcquire(now)).isFalse();
        for (int i = 0; i < 24; i++) {
            limit.release(i < 10 ? Outcome.FAILURE : Outcome.SUCCESS, (i < 10 ? 1000 : 10) * MS + 3L * i,
                    now + (i == 23 ? WINDOW : WINDOW - 1));
        }
        now += WINDOW;
        assertThat(limit.limit()).isEqualTo(29);
    }

    @Test
    void theDefaultLimitLetsABurstFromIdleGoAndComesDownWithinEightWindowsOfALastingQueue() {
        limit = limit(ConcurrencyLimit.defaults());
        assertThat(limit.limit()).isEqualTo(1000);
        // a burst of 200 calls from idle: all go
        for (int i = 0; i < 200; i++) {
            assertThat(limit.tryAcquire(now)).isTrue();
        }
        for (int i = 0; i < 200; i++) {
            limit.release(Outcome.SUCCESS, 10 * MS + 3L * i, now + (i == 199 ? WINDOW : WINDOW - 1));
        }
        now += WINDOW;
        assertThat(limit.limit()).as("the burst's answers were fine").isEqualTo(1000);
        // every node queues: latency 5x the no-load with 6 attempts in flight; from far above what runs the
        // limit at most halves per window, then comes to 6 x 0.5 + sqrt(6) = 5.4
        List<Integer> falling = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            falling.add(window(6, false, Outcome.SUCCESS, 50 * MS));
        }
        assertThat(falling).containsExactly(500, 250, 125, 62, 31, 15, 7, 5);
    }

    @Test
    void whileSomeNodeIsFastSlowCallsAndTimeoutsDoNotShrinkTheLimit() {
        limit = limit(ConcurrencyLimit.defaults());
        window(6, false, Outcome.SUCCESS, 10 * MS);
        everyNodeSlow = false;
        // a herd on one node, or a slow node's share: slow and timing out, while another node is fast
        for (int i = 0; i < 20; i++) {
            assertThat(window(6, false, Outcome.SUCCESS, 100 * MS)).isEqualTo(1000);
            assertThat(window(6, false, Outcome.FAILURE, 1000 * MS)).isEqualTo(1000);
        }
        everyNodeSlow = true;
        assertThat(window(6, false, Outcome.SUCCESS, 100 * MS)).isEqualTo(500);
    }

    @Test
    void aWindowDecidesOnSixteenAnswersAtLeast() {
        limit = limit(ConcurrencyLimit.defaults());
        window(6, false, Outcome.SUCCESS, 10 * MS);
        // 15 slow answers, the window long over: too few to tell a queue from chance, the window goes on
        for (int i = 0; i < 15; i++) {
            assertThat(limit.tryAcquire(now)).isTrue();
            now += 20 * MS;
            limit.release(Outcome.SUCCESS, 100 * MS + 3L * i, now);
        }
        assertThat(limit.limit()).isEqualTo(1000);
        assertThat(limit.tryAcquire(now)).isTrue();
        // (each look at a window too small pushes its end one window on)
        now += WINDOW;
        limit.release(Outcome.SUCCESS, 100 * MS + 45, now);
        assertThat(limit.limit()).as("the 16th answer decides").isEqualTo(500);
    }

    @Test
    void aLightlyUsedLimitClimbsBackToItsInitialValueDoublingPerWindowButNoFurther() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        for (int i = 0; i < 20; i++) {
            fullWindow(Outcome.SUCCESS, 50 * MS);
        }
        assertThat(limit.limit()).isEqualTo(4);
        List<Integer> rising = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            rising.add(window(1, false, Outcome.SUCCESS, 10 * MS));
        }
        assertThat(rising).containsExactly(8, 16, 20, 20, 20);
    }

    @Test
    void afterASecondWithNothingInFlightTheLimitIsBackAtItsInitialValue() {
        limit = limit(ConcurrencyLimit.defaults());
        window(6, false, Outcome.SUCCESS, 10 * MS);
        for (int i = 0; i < 12; i++) {
            window(4, false, Outcome.SUCCESS, 50 * MS);
        }
        assertThat(limit.limit()).isEqualTo(4);
        // the overload ends and traffic stops: nothing ends, so no window could raise the limit
        now += AdaptiveLimit.IDLE_WINDOWS * WINDOW;
        for (int i = 0; i < 4; i++) {
            assertThat(limit.tryAcquire(now)).as("within a second of the last window").isTrue();
        }
        assertThat(limit.tryAcquire(now)).isFalse();
        for (int i = 0; i < 4; i++) {
            limit.releaseUnused();
        }
        now += WINDOW + 1;
        // a burst of 200 more than a second after the last window: the limit is back at 1000
        for (int i = 0; i < 200; i++) {
            assertThat(limit.tryAcquire(now)).as("attempt %d of the burst", i + 1).isTrue();
        }
        assertThat(limit.limit()).isEqualTo(1000);
    }

    @Test
    void theNoLoadLatencyMovesUpOnceTheFasterWindowsAreOlderThanThirtySeconds() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        // the service became 3x slower for good: at first the limit shrinks toward its queue allowance
        long slowFrom = now;
        while (now - slowFrom < TimeUnit.SECONDS.toNanos(31)) {
            fullWindow(Outcome.SUCCESS, 30 * MS);
            if (now - slowFrom < TimeUnit.SECONDS.toNanos(27)) {
                assertThat(limit.noLoadNanos()).isEqualTo(10.0 * MS, offset(100.0));
            }
        }
        assertThat(limit.noLoadNanos()).isEqualTo(30.0 * MS, offset(100.0));
        // 30 ms is now the no-load latency: the limit grows again
        int before = limit.limit();
        assertThat(fullWindow(Outcome.SUCCESS, 30 * MS)).isGreaterThan(before);
    }

    @Test
    void aLastingOverloadRaisesTheNoLoadLatencyAtMostFourfoldUntilTheFasterWindowsAreFiveMinutesOld() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        // the queue the limit lets through doubles the latency every 30 s (its fixed point is near
        // tolerance x no-load); the no-load follows to 4 x 10 ms and no further while the 10 ms windows
        // are under five minutes old, so the limit keeps shrinking
        long from = now;
        while (now - from < TimeUnit.SECONDS.toNanos(290)) {
            long latency = Math.min(160, 20L << ((now - from) / TimeUnit.SECONDS.toNanos(30))) * MS;
            fullWindow(Outcome.SUCCESS, latency);
            assertThat(limit.noLoadNanos()).as("at %d s", (now - from) / 1_000_000_000L).isLessThanOrEqualTo(40.1 * MS);
        }
        assertThat(limit.noLoadNanos()).isEqualTo(40.0 * MS, offset(0.01 * MS));
        assertThat(limit.limit()).as("160 ms against 40 ms: the fixed point L / 2 + sqrt(L) = L").isEqualTo(4);
        // once the 20 ms and 40 ms windows are five minutes old, 160 ms is what the service does now
        while (now - from < TimeUnit.SECONDS.toNanos(361)) {
            fullWindow(Outcome.SUCCESS, 160 * MS);
        }
        assertThat(limit.noLoadNanos()).isEqualTo(160.0 * MS, offset(0.01 * MS));
        assertThat(limit.limit()).as("grown back past its initial 20").isGreaterThan(20);
    }

    @Test
    void retriesAndHedgesStopAtEightyPercentOfTheLimit() {
        assertThat(limit.limit()).isEqualTo(20);
        assertThat(limit.extraCap()).isEqualTo(16);
        for (int i = 0; i < 15; i++) {
            assertThat(limit.tryAcquire(now)).isTrue();
        }
        assertThat(limit.tryAcquireExtra()).as("the 16th attempt in flight may be a retry").isTrue();
        assertThat(limit.tryAcquireExtra()).as("the 17th may not").isFalse();
        assertThat(limit.inFlight()).isEqualTo(16);
        for (int i = 0; i < 4; i++) {
            assertThat(limit.tryAcquire(now)).as("first attempts go on up to the limit").isTrue();
        }
        assertThat(limit.tryAcquire(now)).isFalse();
        assertThat(limit.inFlight()).isEqualTo(20);
    }

    @Test
    void theLimitStaysWithinItsBounds() {
        limit = limit(ConcurrencyLimit.builder().initialLimit(4).minLimit(3).maxLimit(5).build());
        List<Integer> limits = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            limits.add(fullWindow(Outcome.SUCCESS, 10 * MS));
        }
        for (int w = 0; w < 4; w++) {
            limits.add(fullWindow(Outcome.FAILURE, 1000 * MS));
        }
        assertThat(limits).containsExactly(5, 5, 5, 5, 3, 3, 3, 3);
    }

    @Test
    void underContentionEveryAttemptIsCountedOutAndTheLimitStaysWithinItsBounds() throws Exception {
        AtomicLong clock = new AtomicLong(now);
        AdaptiveLimit shared = new AdaptiveLimit(ConcurrencyLimit.builder().initialLimit(8).minLimit(2).maxLimit(16)
                .window(Duration.ofMillis(1)).build(), clock.get());
        int threads = 4;
        int perThread = 50_000;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger overLimit = new AtomicInteger();
        AtomicInteger live = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            Thread w = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                for (int i = 0; i < perThread; i++) {
                    if (!(random.nextBoolean() ? shared.tryAcquire(clock.get()) : shared.tryAcquireExtra())) {
                        continue;
                    }
                    admitted.incrementAndGet();
                    // the limiter's own count may read high for an instant (a refused admission not yet
                    // undone); the attempts really admitted and not yet released never exceed the limit
                    if (live.incrementAndGet() > 16) {
                        overLimit.incrementAndGet();
                    }
                    // latencies from 1 to 40 ms, some timeouts, some refusals; the clock moves 100 us a step
                    long latency = (1 + random.nextInt(40)) * MS;
                    Outcome o = switch (random.nextInt(10)) {
                        case 0 -> Outcome.FAILURE;
                        case 1 -> Outcome.OVERLOADED;
                        case 2 -> Outcome.CANCELLED;
                        default -> Outcome.SUCCESS;
                    };
                    live.decrementAndGet();
                    shared.release(o, o == Outcome.FAILURE ? 1000 * MS : latency, clock.addAndGet(MS / 10));
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(TimeUnit.MINUTES.toMillis(5));
            assertThat(w.isAlive()).isFalse();
        }
        assertThat(shared.inFlight()).as("every admitted attempt was released").isZero();
        // how many are admitted depends on how the threads are scheduled (one preempted while it holds a
        // slot makes the others find the limit full): on a busy 2-core machine 31% was seen; a limiter
        // that refused nearly everything would admit a few hundred
        assertThat(admitted.get()).isGreaterThan(threads * perThread / 10);
        assertThat(overLimit.get()).as("never more in flight than the largest limit").isZero();
        assertThat(shared.limit()).isBetween(2, 16);
    }

    @Test
    void anOutlierEjectedForTimeoutsFromACalmServiceLeavesTheLimitAloneUntilTheCallsItHeldHaveFailedAndASecond() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(29);
        // a slow node's 1 s timeout ejected it, the service was calm: its share moves onto the nodes left, and
        // the calls sent to it just before time out over the next second and are retried there; the nodes
        // left run slow for a while (5x the no-load latency, every node slow)
        limit.outlierEjected(1000 * MS, now);
        List<Integer> during = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            during.add(fullWindow(Outcome.SUCCESS, 50 * MS));
        }
        assertThat(during).as("no shrink for the 1 s the calls it held take to fail and the second after: the "
                + "window's latency is fine for the limit, so it grows").isSorted().doesNotHaveDuplicates()
                .startsWith(34, 40, 47, 53, 61, 69, 77, 86, 95).endsWith(215);
        // the grace is over: a queue that lasts is shed as before (at most half per window from far above)
        assertThat(fullWindow(Outcome.SUCCESS, 50 * MS)).isEqualTo(122); // about 215 x 0.5 + sqrt(215)
        assertThat(fullWindow(Outcome.SUCCESS, 50 * MS)).isEqualTo(72);
    }

    @Test
    void anEjectionForRefusalsOrFromAServiceSlowAlreadyGetsNoGrace() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // a crashed node: five connection refusals of 1 ms ejected it; the capacity is gone, shed at once
        limit.outlierEjected(MS, now);
        assertThat(fullWindow(Outcome.SUCCESS, 50 * MS)).isEqualTo(17); // 24.47 x 0.5 + sqrt(24.47)

        // the whole service is slow (the last window's median is 5x the no-load latency, above twice the
        // tolerance): a node ejected for a timeout now is no outlier, its share goes to nodes as slow
        limit.outlierEjected(1000 * MS, now);
        assertThat(fullWindow(Outcome.SUCCESS, 50 * MS)).isEqualTo(12);
    }
}
