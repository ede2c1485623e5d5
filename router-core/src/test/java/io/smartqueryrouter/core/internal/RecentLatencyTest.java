package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Ticker;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The recent-latency estimator behind the adaptive hedge delay, on a fake clock. */
class RecentLatencyTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WINDOW = TimeUnit.SECONDS.toNanos(5);

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));
    private final Ticker ticker = now::get;

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    @Test
    void theP95Of1To100MillisecondsIs95WithinOneBucket() {
        RecentLatency recent = new RecentLatency(WINDOW);
        for (int i = 100; i >= 1; i--) {
            recent.record(i * MS, ticker.read());
        }
        assertThat(recent.samples(ticker.read())).isEqualTo(100);
        assertThat(recent.percentileNanos(0.95, ticker.read(), 20)).isBetween(95 * MS, 95 * MS * 9 / 8);
        assertThat(recent.percentileNanos(0.5, ticker.read(), 20)).isBetween(50 * MS, 50 * MS * 9 / 8);
        assertThat(recent.percentileNanos(0.999, ticker.read(), 20)).isBetween(100 * MS, 100 * MS * 9 / 8);
    }

    @Test
    void fewerSamplesThanTheMinimumGiveNoEstimate() {
        RecentLatency recent = new RecentLatency(WINDOW);
        assertThat(recent.percentileNanos(0.95, ticker.read(), 1)).isEqualTo(-1);
        for (int i = 0; i < 19; i++) {
            recent.record(10 * MS, ticker.read());
        }
        assertThat(recent.percentileNanos(0.95, ticker.read(), 20)).isEqualTo(-1);
        recent.record(10 * MS, ticker.read());
        assertThat(recent.percentileNanos(0.95, ticker.read(), 20)).isBetween(10 * MS, 10 * MS * 9 / 8);
    }

    @Test
    void samplesLiveOneToTwoWindowsAndTheEstimateFollowsAShift() {
        RecentLatency recent = new RecentLatency(WINDOW);
        now.set(Math.floorDiv(now.get(), WINDOW) * WINDOW);   // at the start of a window
        for (int i = 0; i < 100; i++) {
            recent.record(10 * MS, ticker.read());
        }
        advance(WINDOW);   // the next window: the old samples are still read
        assertThat(recent.samples(ticker.read())).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            recent.record(50 * MS, ticker.read());
        }
        // half at 10 ms, half at 50 ms: the p95 is among the slow ones
        assertThat(recent.percentileNanos(0.95, ticker.read(), 20)).isBetween(50 * MS, 50 * MS * 9 / 8);
        assertThat(recent.percentileNanos(0.25, ticker.read(), 20)).isBetween(10 * MS, 10 * MS * 9 / 8);

        advance(WINDOW);   // the 10 ms samples are forgotten, the 50 ms ones are still read
        assertThat(recent.samples(ticker.read())).isEqualTo(100);
        assertThat(recent.percentileNanos(0.25, ticker.read(), 20)).isBetween(50 * MS, 50 * MS * 9 / 8);

        advance(2 * WINDOW);
        assertThat(recent.samples(ticker.read())).isZero();
        assertThat(recent.percentileNanos(0.95, ticker.read(), 1)).isEqualTo(-1);
    }

    @Test
    void aWindowThatTurnsOverStartsEmpty() {
        RecentLatency recent = new RecentLatency(WINDOW);
        now.set(Math.floorDiv(now.get(), WINDOW) * WINDOW);
        for (int i = 0; i < 50; i++) {
            recent.record(10 * MS, ticker.read());
        }
        advance(2 * WINDOW);   // the same slot again, two windows later
        recent.record(80 * MS, ticker.read());
        assertThat(recent.samples(ticker.read())).isEqualTo(1);
        assertThat(recent.percentileNanos(0.5, ticker.read(), 1)).isBetween(80 * MS, 80 * MS * 9 / 8);
    }

    @Test
    void aSampleTakenBeforeTheCurrentWindowsIsDropped() {
        RecentLatency recent = new RecentLatency(WINDOW);
        long early = ticker.read();
        advance(3 * WINDOW);
        recent.record(10 * MS, ticker.read());
        recent.record(10 * MS, early - 0);   // a thread that read the clock long ago
        assertThat(recent.samples(ticker.read())).isEqualTo(1);
    }

    @Test
    void bucketsAreAtMostAnEighthWideAndNeverUnderstate() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 100_000; i++) {
            long v = random.nextLong(1L << random.nextInt(1, 43));
            long upper = RecentLatency.upperBound(RecentLatency.index(v));
            assertThat(upper).as("upper bound of %d", v).isGreaterThanOrEqualTo(v);
            if (v < (1L << 42)) {
                assertThat(upper).as("upper bound of %d", v).isLessThanOrEqualTo(v + v / 8 + 1);
            }
        }
        assertThat(RecentLatency.index(-5)).isZero();
        assertThat(RecentLatency.index(Long.MAX_VALUE)).isEqualTo(RecentLatency.BUCKETS - 1);
        for (int i = 1; i < RecentLatency.BUCKETS; i++) {
            assertThat(RecentLatency.upperBound(i)).isGreaterThan(RecentLatency.upperBound(i - 1));
            assertThat(RecentLatency.index(RecentLatency.upperBound(i))).isEqualTo(i);
        }
    }
}
