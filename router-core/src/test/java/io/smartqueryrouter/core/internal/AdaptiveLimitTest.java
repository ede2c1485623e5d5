package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
    private AdaptiveLimit limit = new AdaptiveLimit(ConcurrencyLimit.builder().initialLimit(20).minLimit(1)
            .maxLimit(1000).window(Duration.ofNanos(WINDOW)).tolerance(2.0).extraAttemptsPercent(80).build(), now);

    /**
     * One window in which the router uses its whole limit (one more attempt is refused) and every
     * attempt ends as {@code outcome} after {@code latency}; the last ends past the window's end and
     * so recomputes the limit, which is returned.
     */
    private int fullWindow(Outcome outcome, long latency) {
        return window(limit.limit(), true, outcome, latency);
    }

    private int window(int attempts, boolean thenOneRefused, Outcome outcome, long latency) {
        for (int i = 0; i < attempts; i++) {
            assertThat(limit.tryAcquire()).as("attempt %d of %d within the limit %d", i + 1, attempts, limit.limit())
                    .isTrue();
        }
        if (thenOneRefused) {
            assertThat(limit.tryAcquire()).as("one beyond the limit").isFalse();
        }
        now += WINDOW - 1;
        for (int i = 0; i < attempts - 1; i++) {
            limit.release(outcome, latency, now);
        }
        now += 1;
        limit.release(outcome, latency, now);
        assertThat(limit.inFlight()).isZero();
        return limit.limit();
    }

    @Test
    void theLimitFallsUnderARisingLatencyToItsQueueAllowanceAndClimbsBackWithinASecondAfter() {
        // latency at its no-load value and the limit in use: it grows by about its square root per window
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24); // 20 + sqrt(20)
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(29); // 24.47 + sqrt(24.47)
        assertThat(limit.noLoadNanos()).isEqualTo(10.0 * MS);

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
        assertThat(limit.noLoadNanos()).as("the windowed minimum remembers the no-load latency").isEqualTo(10.0 * MS);

        // latency back to normal: the limit climbs back above its initial value within 8 windows (0.8 s)
        List<Integer> rising = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            rising.add(fullWindow(Outcome.SUCCESS, 10 * MS));
        }
        assertThat(rising).containsExactly(6, 8, 11, 14, 18, 23, 27, 33);
    }

    @Test
    void aLatencyWithinTheToleranceKeepsGrowingTheLimit() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        // 19 ms is under 2 x 10 ms: fine, however the mean moves inside the tolerance
        assertThat(fullWindow(Outcome.SUCCESS, 19 * MS)).isEqualTo(29);
    }

    @Test
    void timeoutsBackOffAtLeastTenPercentAndFastFailuresSayNothing() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // connection refused after 1 ms: nothing learnt, neither the limit nor the no-load latency moves
        for (int i = 0; i < 5; i++) {
            assertThat(fullWindow(Outcome.FAILURE, MS)).isEqualTo(24);
        }
        assertThat(limit.noLoadNanos()).isEqualTo(10.0 * MS);
        // a 1 s timeout is a drop and a slow sample: the gradient 20 / 1000 is clamped at 0.5
        assertThat(fullWindow(Outcome.FAILURE, 1000 * MS)).isEqualTo(12);
        // an overloaded answer (HTTP 503) is a drop whatever its latency: 0.9 x the limit
        assertThat(fullWindow(Outcome.OVERLOADED, 5 * MS)).isEqualTo(11); // 12.2 x 0.9
        // a cancelled attempt (a hedge that lost) says nothing
        assertThat(fullWindow(Outcome.CANCELLED, 500 * MS)).isEqualTo(11);
    }

    @Test
    void aRouterUsingUnderHalfItsLimitLeavesTheLimitAlone() {
        assertThat(fullWindow(Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // 11 of 24 in flight, never refused: slow windows and timeouts change nothing
        for (int i = 0; i < 10; i++) {
            assertThat(window(11, false, Outcome.SUCCESS, 100 * MS)).isEqualTo(24);
            assertThat(window(11, false, Outcome.FAILURE, 1000 * MS)).isEqualTo(24);
        }
        // nor do fast windows push it up
        assertThat(window(11, false, Outcome.SUCCESS, 10 * MS)).isEqualTo(24);
        // 13 of 24.47 is over half: now it counts
        assertThat(window(13, false, Outcome.SUCCESS, 100 * MS)).isEqualTo(17); // 24.47 x 0.5 + sqrt(24.47)
    }

    @Test
    void aLightlyUsedLimitClimbsBackToItsInitialValueButNoFurther() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        for (int i = 0; i < 20; i++) {
            fullWindow(Outcome.SUCCESS, 50 * MS);
        }
        assertThat(limit.limit()).isEqualTo(4);
        List<Integer> rising = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rising.add(window(1, false, Outcome.SUCCESS, 10 * MS));
        }
        assertThat(rising).containsExactly(6, 8, 11, 14, 18, 20, 20, 20, 20, 20);
    }

    @Test
    void theNoLoadLatencyMovesUpOnceTheFasterWindowsAreOlderThanThirtySeconds() {
        fullWindow(Outcome.SUCCESS, 10 * MS);
        // the service became 3x slower for good: at first the limit shrinks toward its queue allowance
        long slowFrom = now;
        while (now - slowFrom < TimeUnit.SECONDS.toNanos(31)) {
            fullWindow(Outcome.SUCCESS, 30 * MS);
            if (now - slowFrom < TimeUnit.SECONDS.toNanos(27)) {
                assertThat(limit.noLoadNanos()).isEqualTo(10.0 * MS);
            }
        }
        assertThat(limit.noLoadNanos()).isEqualTo(30.0 * MS);
        // 30 ms is now the no-load latency: the limit grows again
        int before = limit.limit();
        assertThat(fullWindow(Outcome.SUCCESS, 30 * MS)).isGreaterThan(before);
    }

    @Test
    void retriesAndHedgesStopAtEightyPercentOfTheLimit() {
        assertThat(limit.limit()).isEqualTo(20);
        assertThat(limit.extraCap()).isEqualTo(16);
        for (int i = 0; i < 15; i++) {
            assertThat(limit.tryAcquire()).isTrue();
        }
        assertThat(limit.tryAcquireExtra()).as("the 16th attempt in flight may be a retry").isTrue();
        assertThat(limit.tryAcquireExtra()).as("the 17th may not").isFalse();
        assertThat(limit.inFlight()).isEqualTo(16);
        for (int i = 0; i < 4; i++) {
            assertThat(limit.tryAcquire()).as("first attempts go on up to the limit").isTrue();
        }
        assertThat(limit.tryAcquire()).isFalse();
        assertThat(limit.inFlight()).isEqualTo(20);
    }

    @Test
    void theLimitStaysWithinItsBounds() {
        limit = new AdaptiveLimit(ConcurrencyLimit.builder().initialLimit(4).minLimit(3).maxLimit(5).build(), now);
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
                    if (!(random.nextBoolean() ? shared.tryAcquire() : shared.tryAcquireExtra())) {
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
        assertThat(admitted.get()).isGreaterThan(threads * perThread / 2);
        assertThat(overLimit.get()).as("never more in flight than the largest limit").isZero();
        assertThat(shared.limit()).isBetween(2, 16);
    }
}
