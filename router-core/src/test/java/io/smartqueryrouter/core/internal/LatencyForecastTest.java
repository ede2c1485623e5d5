package io.smartqueryrouter.core.internal;

import static io.smartqueryrouter.core.internal.LatencyForecast.ALPHA;
import static io.smartqueryrouter.core.internal.LatencyForecast.BETA;
import static io.smartqueryrouter.core.internal.LatencyForecast.BUCKET_NANOS;
import static io.smartqueryrouter.core.internal.LatencyForecast.CAP_FACTOR;
import static io.smartqueryrouter.core.internal.LatencyForecast.FLOOR_FACTOR;
import static io.smartqueryrouter.core.internal.LatencyForecast.PHI;
import static io.smartqueryrouter.core.internal.LatencyForecast.SPIKE_CAP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Damped-trend Holt forecast of one node on a fake clock, with the router's prior (30 ms) and tau (10 s)
 * and the class's defaults: 100 ms buckets, a 1 s horizon (h = 10), alpha 0.5, beta 0.1, phi 0.8.
 */
class LatencyForecastTest {
    private static final double MS = 1e6;
    private static final double PRIOR = 30 * MS;
    private static final double TAU = 10e9;
    private static final long T0 = 1_000_000_000_000L;
    /** phi + phi^2 + ... + phi^10, the buckets of trend the default forecast extrapolates. */
    private static final double S = PHI * (1 - Math.pow(PHI, 10)) / (1 - PHI);

    private final LatencyForecast forecast = new LatencyForecast(PRIOR, TAU, T0);
    /** The concurrent tests' ticker, 1 µs a call: all threads cross the same bucket boundaries together. */
    private final AtomicLong clock = new AtomicLong(T0);

    /** The start of bucket {@code k}. */
    private static long at(long k) {
        return T0 + k * BUCKET_NANOS;
    }

    /** Records ten samples of {@code ms} spread over bucket {@code k}. */
    private static void feed(LatencyForecast f, long k, double ms) {
        for (int i = 0; i < 10; i++) {
            f.record(ms * MS, at(k) + i * BUCKET_NANOS / 10);
        }
    }

    private static void assertMs(double actualNanos, double expectedMs, double relative) {
        assertThat(actualNanos / MS).isCloseTo(expectedMs, within(Math.abs(expectedMs) * relative));
    }

    @Test
    void aLevelOfZeroDoesNotCapLaterSamplesToZero() {
        LatencyForecast f = new LatencyForecast(PRIOR, TAU, T0);
        // one bucket of sub-microsecond answers (a cache hit) folds into a level of 0
        f.record(300, T0);
        long t = T0 + LatencyForecast.BUCKET_NANOS;
        // then a second of 1 s answers (or failures): capped against at least 1 us per sample, the level climbs
        for (int i = 0; i < 10; i++, t += LatencyForecast.BUCKET_NANOS) {
            f.record(1e9, t);
        }
        assertThat(f.levelNanos(t)).as("level after 10 buckets of 1 s samples").isGreaterThan(1 * MS);
        assertThat(f.forecastNanos(t)).isGreaterThan(1 * MS);
    }

    @Test
    void without_history_reads_as_the_prior_and_while_the_first_bucket_is_open_as_its_running_mean() {
        assertThat(forecast.hasHistory()).isFalse();
        assertMs(forecast.forecastNanos(at(50)), 30, 0);
        assertMs(forecast.levelNanos(at(50)), 30, 0);

        forecast.record(10 * MS, at(51));
        forecast.record(20 * MS, at(51) + 1);
        assertThat(forecast.hasHistory()).isTrue();
        assertMs(forecast.forecastNanos(at(51) + 2), 15, 1e-9);
    }

    @Test
    void a_steady_series_is_forecast_at_its_level() {
        for (int k = 0; k < 20; k++) {
            feed(forecast, k, 12);
        }
        assertMs(forecast.forecastNanos(at(20)), 12, 0.01);
        assertMs(forecast.levelNanos(at(20)), 12, 0.01);
        assertThat(forecast.trendNanosPerBucket()).isZero();
    }

    @Test
    void a_rising_series_is_forecast_to_keep_rising_by_the_damped_trend() {
        for (int k = 0; k < 30; k++) {
            feed(forecast, k, 10 + 2 * k); // +2 ms a bucket, the last one at 68 ms
        }
        double f = forecast.forecastNanos(at(30));
        // the steady state of the two recursions when each level moves by b = 2 ms: the trend is
        // b beta / (1 - (1 - beta) phi), the level lags the last mean by (1 - alpha)(b - phi trend) / alpha
        double trend = 2 * BETA / (1 - (1 - BETA) * PHI);
        double level = 68 - (1 - ALPHA) * (2 - PHI * trend) / ALPHA;
        assertMs(forecast.trendNanosPerBucket(), trend, 0.01);
        assertMs(forecast.levelNanos(at(30)), level, 0.01);
        assertMs(f, level + S * trend, 0.01); // 69.1 ms
        assertThat(f).isGreaterThan(68 * MS).isGreaterThan(forecast.levelNanos(at(30)));
        assertThat(f).isLessThan(88 * MS); // damped: less than the undamped 10 more buckets of 2 ms
    }

    @Test
    void a_falling_series_is_forecast_below_its_level_and_its_last_bucket() {
        for (int k = 0; k < 30; k++) {
            feed(forecast, k, 70 - 2 * k); // the last bucket at 12 ms
        }
        double f = forecast.forecastNanos(at(30));
        double trend = -2 * BETA / (1 - (1 - BETA) * PHI);
        double level = 12 + (1 - ALPHA) * (2 + PHI * trend) / ALPHA;
        assertMs(forecast.levelNanos(at(30)), level, 0.01);
        assertMs(f, level + S * trend, 0.01); // 10.9 ms
        assertThat(f).isLessThan(forecast.levelNanos(at(30))).isLessThan(12 * MS);
    }

    @Test
    void a_single_spike_counts_as_at_most_the_spike_cap_and_is_forgotten_within_five_buckets() {
        LatencyForecast capped = new LatencyForecast(PRIOR, TAU, T0);
        for (int k = 0; k < 10; k++) {
            feed(forecast, k, 10);
            feed(capped, k, 10);
        }
        feed(forecast, 10, 200); // 20x
        feed(capped, 10, 10 * SPIKE_CAP);
        double peak = forecast.forecastNanos(at(11));
        assertThat(peak).isEqualTo(capped.forecastNanos(at(11)));
        assertMs(peak, 10 * (1 + 3 * ALPHA * (1 + BETA * S)), 1e-6); // 30.4 ms
        assertThat(peak).isLessThanOrEqualTo(SPIKE_CAP * 10 * MS);

        for (int k = 11; k < 31; k++) {
            feed(forecast, k, 10);
            if (k >= 15) { // five baseline buckets folded
                assertMs(forecast.forecastNanos(at(k + 1)), 10, 0.10);
            }
        }
    }

    @Test
    void the_forecast_stays_between_floor_and_cap_times_the_level() {
        // an eager trend (beta 0.9, phi 0.95) on log-uniform noise from 1 to 100 ms pushes against both bounds
        LatencyForecast eager = new LatencyForecast(PRIOR, TAU, T0, BUCKET_NANOS, 10 * BUCKET_NANOS, 0.9, 0.9, 0.95);
        Random random = new Random(7);
        int atCap = 0;
        int atFloor = 0;
        for (int k = 0; k < 300; k++) {
            eager.record(Math.exp(random.nextDouble() * Math.log(100)) * MS, at(k));
            double f = eager.forecastNanos(at(k + 1));
            double level = eager.levelNanos(at(k + 1));
            assertThat(f).isBetween(FLOOR_FACTOR * level, CAP_FACTOR * level).isNotNaN().isGreaterThanOrEqualTo(0);
            atCap += f == CAP_FACTOR * level ? 1 : 0;
            atFloor += f == FLOOR_FACTOR * level ? 1 : 0;
        }
        assertThat(atCap).isGreaterThan(10);
        assertThat(atFloor).isGreaterThan(10);
    }

    @Test
    void empty_buckets_keep_the_level_and_damp_the_trend_by_phi_each() {
        for (int k = 0; k < 10; k++) {
            feed(forecast, k, 10 + 2 * k);
        }
        double level = forecast.levelNanos(at(10));
        double trend = forecast.trendNanosPerBucket();
        assertThat(forecast.levelNanos(at(15))).isEqualTo(level); // buckets 10 to 14 empty
        assertThat(forecast.trendNanosPerBucket()).isCloseTo(trend * Math.pow(PHI, 5), within(trend * 1e-6));
    }

    @Test
    void an_idle_node_decays_toward_zero_and_halves_after_tau_ln2() {
        for (int k = 0; k < 10; k++) {
            feed(forecast, k, 10);
        }
        long last = at(9) + 9 * BUCKET_NANOS / 10;
        assertMs(forecast.forecastNanos(last + BUCKET_NANOS), 10, 1e-9); // idle for one bucket: no decay yet
        assertMs(forecast.forecastNanos(last + Math.round(TAU * Math.log(2))), 5, 1e-6);
        assertThat(forecast.hasHistory()).isTrue();
    }

    @Test
    void reset_forgets_the_level_so_the_node_reads_as_the_prior_and_its_next_sample_is_not_spike_capped() {
        for (int k = 0; k < 10; k++) {
            feed(forecast, k, 10);
        }
        forecast.reset();
        assertThat(forecast.hasHistory()).isFalse();
        assertMs(forecast.forecastNanos(at(12)), 30, 0);
        forecast.record(100 * MS, at(12));
        assertMs(forecast.forecastNanos(at(12) + 1), 100, 1e-9);
        assertMs(forecast.levelNanos(at(13)), 100, 1e-9);
    }

    @Test
    void buckets_stay_in_order_when_the_ticker_wraps_past_Long_MAX_VALUE() {
        long start = Long.MAX_VALUE - 150_000_000L;
        LatencyForecast f = new LatencyForecast(PRIOR, TAU, start);
        f.record(10 * MS, start);
        f.record(20 * MS, start + BUCKET_NANOS);
        f.record(30 * MS, start + 2 * BUCKET_NANOS); // past Long.MAX_VALUE
        double level = ALPHA * 20 + (1 - ALPHA) * 10; // 15
        double trend = BETA * (level - 10);
        double next = ALPHA * 30 + (1 - ALPHA) * (level + PHI * trend); // 22.7
        assertMs(f.levelNanos(start + 3 * BUCKET_NANOS), next, 1e-6);
        assertMs(f.trendNanosPerBucket(), BETA * (next - level) + (1 - BETA) * PHI * trend, 1e-6);
    }

    @Test
    void four_threads_recording_the_same_latency_across_40_000_buckets_leave_exactly_that_level() throws Exception {
        LatencyForecast f = new LatencyForecast(PRIOR, TAU, T0, 10_000, 100_000, ALPHA, BETA, PHI); // 10 µs buckets
        AtomicLong wrongReads = new AtomicLong();
        run(4, t -> {
            for (int i = 0; i < 100_000; i++) {
                long now = clock.getAndAdd(1_000);
                f.record(7 * MS, now);
                if (f.forecastNanos(now) != 7 * MS) {
                    wrongReads.incrementAndGet();
                }
            }
        });
        assertThat(wrongReads).hasValue(0);
        assertThat(f.levelNanos(clock.get() + 10_000)).isEqualTo(7 * MS);
        assertThat(f.trendNanosPerBucket()).isZero();
    }

    @Test
    void four_threads_alternating_5_and_15_ms_forecast_their_mean_and_never_read_nan() throws Exception {
        // 1 ms buckets of about 1000 samples, half of each value
        LatencyForecast f = new LatencyForecast(PRIOR, TAU, T0, 1_000_000, 10_000_000, ALPHA, BETA, PHI);
        AtomicLong wrongReads = new AtomicLong();
        run(4, t -> {
            for (int i = 0; i < 100_000; i++) {
                long now = clock.getAndAdd(1_000);
                f.record((i % 2 == 0 ? 5 : 15) * MS, now);
                double forecast = f.forecastNanos(now);
                if (!(forecast >= 5 * MS && forecast <= 15 * MS)) {
                    wrongReads.incrementAndGet();
                }
            }
        });
        assertThat(wrongReads).hasValue(0);
        assertMs(f.levelNanos(clock.get() + 1_000_000), 10, 0.05);
    }

    @Test
    void invalid_parameters_are_rejected_naming_the_parameter_value_and_range() {
        assertThatThrownBy(() -> new LatencyForecast(-1, TAU, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("LatencyForecast: priorNanos must be in [0, +inf), but was -1.0");
        assertThatThrownBy(() -> new LatencyForecast(PRIOR, 0, T0))
                .hasMessage("LatencyForecast: tauNanos must be in (0, +inf), but was 0.0");
        assertThatThrownBy(() -> new LatencyForecast(PRIOR, TAU, T0, 0, 1, 0.5, 0.1, 0.8))
                .hasMessage("LatencyForecast: bucketNanos must be in (0, +inf), but was 0");
        assertThatThrownBy(() -> new LatencyForecast(PRIOR, TAU, T0, 100, 99, 0.5, 0.1, 0.8))
                .hasMessage("LatencyForecast: horizonNanos must be in [bucketNanos = 100, +inf), but was 99");
        assertThatThrownBy(() -> new LatencyForecast(PRIOR, TAU, T0, 100, 1000, 0, 0.1, 0.8))
                .hasMessage("LatencyForecast: alpha must be in (0, 1], but was 0.0");
        assertThatThrownBy(() -> new LatencyForecast(PRIOR, TAU, T0, 100, 1000, 0.5, Double.NaN, 0.8))
                .hasMessage("LatencyForecast: beta must be in [0, 1], but was NaN");
        assertThatThrownBy(() -> new LatencyForecast(PRIOR, TAU, T0, 100, 1000, 0.5, 0.1, 1.0))
                .hasMessage("LatencyForecast: phi must be in [0, 1), but was 1.0");
        assertThatThrownBy(() -> forecast.record(Double.NaN, T0))
                .hasMessage("LatencyForecast: latencyNanos must be a number, but was NaN");
    }

    private interface Worker {
        void run(int thread);
    }

    private static void run(int threads, Worker worker) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    worker.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            thread.start();
            started.add(thread);
        }
        start.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        assertThat(failure.get()).isNull();
    }
}
