package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongBinaryOperator;

/**
 * A node's latency forecast a short horizon ahead, for the {@code predictive} policy: it avoids a node
 * whose latency is rising before the node is slow. Holt's linear method with a damped trend (Gardner and
 * McKenzie 1985; Hyndman and Athanasopoulos, <i>Forecasting: Principles and Practice</i>, 8.2) over the
 * mean latency of time buckets: when bucket mean {@code y} is complete,
 * {@code level' = alpha y + (1 - alpha)(level + phi trend)} and
 * {@code trend' = beta (level' - level) + (1 - beta) phi trend}; the first bucket sets {@code level = y},
 * {@code trend = 0}. The forecast {@code h = horizon / bucket} buckets ahead is
 * {@code level + (phi + phi^2 + ... + phi^h) trend}, clamped to
 * {@code [FLOOR_FACTOR level, CAP_FACTOR level]}; the level never goes below zero.
 *
 * <p>Guard rails. A bucket without samples carries no evidence: it leaves the level alone (extrapolating
 * through silence would invent latency nobody measured) and damps the trend by {@code phi}, so a node
 * without traffic stops being extrapolated. Once there is a level, a sample counts as at most
 * {@code SPIKE_CAP} times the level it was recorded against, so one outlier (or one failure, which the
 * caller reports as {@code max(latency, prior)}) does not exile a node, while a real slowdown still lifts
 * the level up to 2.5x per bucket. A node with no sample reads as
 * the prior; while its first bucket is open it reads as that bucket's running mean. A node with no
 * sample for more than one bucket reads as the forecast times {@code exp(-idle / tau)}, decaying toward
 * zero like Finagle's Peak-EWMA, so a node the policy avoided is tried again and its next sample decides.
 *
 * <p>Concurrency, lock-free and allocation-free: the open bucket's count and sum are packed into one
 * {@code long} (updated by CAS, so a fold sees them consistent), the model's level and trend into
 * another (two {@code float}s, so a reader never sees a level with another fold's trend). Sums are kept
 * in whole microseconds, 44 bits of them, and at most a million samples count per bucket. Whoever first
 * sees a later bucket (a record or a read) folds the finished one under a try-lock; the others never
 * wait, they just add their sample. A sample racing a roll-over, or one stamped in an older bucket, may
 * land in the neighbouring bucket, which is harmless to a 100 ms mean. Times are ticker readings,
 * compared by subtraction, so they may wrap.
 */
public final class LatencyForecast {
    /** 100 ms: long enough for a mean over several calls at modest traffic, short enough to see a trend in 0.3 s. */
    public static final long BUCKET_NANOS = 100_000_000L;
    /** 1 s: far enough ahead to steer calls away before a slowdown lands, near enough for a trend to hold. */
    public static final long HORIZON_NANOS = 1_000_000_000L;
    /** 0.5: the level closes half the gap to each bucket mean, following a step to within 10% in four buckets. */
    public static final double ALPHA = 0.5;
    /**
     * 0.1: the trend weighs each bucket's level change by a tenth. With 0.3 one capped outlier left a
     * trend that undershot the baseline by 38% four buckets later; with 0.1 the forecast is back within
     * 10% of it after five buckets, and a ramp of 2 ms per bucket is still forecast above its last mean.
     */
    public static final double BETA = 0.1;
    /** 0.8: the trend fades to 11% over the horizon, so 3.57 buckets of it are extrapolated (0.9: 5.9, more noise). */
    public static final double PHI = 0.8;
    /** 0.5: the trend may at most halve the level; a node that improves shows it in its level within a few buckets. */
    public static final double FLOOR_FACTOR = 0.5;
    /** 2: the trend may at most double the level: the forecast ranks nodes early, it does not invent latency. */
    public static final double CAP_FACTOR = 2.0;
    /** 4: a sample counts as at most 4x the level; one outlier bucket lifts the forecast to about 3x, briefly. */
    public static final double SPIKE_CAP = 4.0;

    private static final int SUM_BITS = 44; // of microseconds: 203 days per bucket
    private static final long MAX_SUM = (1L << SUM_BITS) - 1;
    private static final long ONE_SAMPLE = 1L << SUM_BITS; // count in the top 20 bits: 1M samples per bucket
    private static final long MAX_COUNT = (1L << (64 - SUM_BITS)) - 1;
    private static final long NO_MODEL = pack(Double.NaN, 0);
    private static final LongBinaryOperator LATEST = (a, b) -> b - a > 0 ? b : a;

    private final double priorNanos;
    private final double tauNanos;
    private final long originNanos;
    private final long bucketNanos;
    private final double alpha;
    private final double beta;
    private final double phi;
    private final double horizonSum; // phi + phi^2 + ... + phi^h

    private final AtomicLong openBucket = new AtomicLong(); // where samples go, counted from originNanos
    private final AtomicLong bucket = new AtomicLong(); // count << SUM_BITS | sum of microseconds
    private final AtomicLong model = new AtomicLong(NO_MODEL);
    private final AtomicLong lastSampleNanos;
    private final AtomicBoolean folding = new AtomicBoolean();

    /** Creates a forecast with the default bucket, horizon, alpha, beta and phi; see the full constructor. */
    public LatencyForecast(double priorNanos, double tauNanos, long nowNanos) {
        this(priorNanos, tauNanos, nowNanos, BUCKET_NANOS, HORIZON_NANOS, ALPHA, BETA, PHI);
    }

    /**
     * Creates a forecast with no history.
     *
     * @param priorNanos the latency a node reads as before its first sample, {@code >= 0}
     * @param tauNanos the idle decay time constant, {@code > 0} (the router uses 10 s)
     * @param nowNanos the current ticker reading
     * @param bucketNanos the bucket width, {@code > 0}
     * @param horizonNanos how far ahead to forecast, at least one bucket (rounded down to whole buckets)
     * @param alpha the level's smoothing factor, in {@code (0, 1]}
     * @param beta the trend's smoothing factor, in {@code [0, 1]}
     * @param phi the trend's damping per bucket, in {@code [0, 1)}
     * @throws IllegalArgumentException naming the parameter, its value and the allowed range
     */
    public LatencyForecast(double priorNanos, double tauNanos, long nowNanos, long bucketNanos, long horizonNanos,
                           double alpha, double beta, double phi) {
        check("priorNanos", priorNanos, priorNanos >= 0 && priorNanos < Double.POSITIVE_INFINITY, "[0, +inf)");
        check("tauNanos", tauNanos, tauNanos > 0 && tauNanos < Double.POSITIVE_INFINITY, "(0, +inf)");
        check("bucketNanos", bucketNanos, bucketNanos > 0, "(0, +inf)");
        check("horizonNanos", horizonNanos, horizonNanos >= bucketNanos, "[bucketNanos = " + bucketNanos + ", +inf)");
        check("alpha", alpha, alpha > 0 && alpha <= 1, "(0, 1]");
        check("beta", beta, beta >= 0 && beta <= 1, "[0, 1]");
        check("phi", phi, phi >= 0 && phi < 1, "[0, 1)");
        this.priorNanos = priorNanos;
        this.tauNanos = tauNanos;
        this.originNanos = nowNanos;
        this.bucketNanos = bucketNanos;
        this.alpha = alpha;
        this.beta = beta;
        this.phi = phi;
        this.horizonSum = phi * (1 - Math.pow(phi, (double) (horizonNanos / bucketNanos))) / (1 - phi);
        this.lastSampleNanos = new AtomicLong(nowNanos);
    }

    private static void check(String name, Object value, boolean valid, String range) {
        if (!valid) {
            throw new IllegalArgumentException(
                    "LatencyForecast: " + name + " must be in " + range + ", but was " + value);
        }
    }

    /**
     * Records one completed call, lock-free. A negative latency (ticker readings from two threads) counts as 0.
     * @throws IllegalArgumentException if {@code latencyNanos} is NaN
     */
    public void record(double latencyNanos, long nowNanos) {
        if (Double.isNaN(latencyNanos)) {
            throw new IllegalArgumentException("LatencyForecast: latencyNanos must be a number, but was NaN");
        }
        roll(nowNanos);
        double x = Math.max(0, latencyNanos);
        long m = model.get();
        if (m != NO_MODEL) {
            // against at least 1 us: a level of 0 (sub-microsecond answers) must not cap everything after it to 0
            x = Math.min(x, SPIKE_CAP * Math.max(level(m), 1_000));
        }
        long micros = (long) Math.min(MAX_SUM, Math.rint(x / 1e3));
        long b;
        do {
            b = bucket.get();
            if (b >>> SUM_BITS == MAX_COUNT || (b & MAX_SUM) > MAX_SUM - micros) {
                break; // a million samples in one bucket: its mean is known, drop the rest
            }
        } while (!bucket.compareAndSet(b, b + ONE_SAMPLE + micros));
        lastSampleNanos.accumulateAndGet(nowNanos, LATEST);
    }

    /**
     * Returns the latency forecast a horizon (1 s by default) ahead, idle decay included: the prior without
     * history, the running mean while the first bucket is open. Folds a finished bucket first.
     */
    public double forecastNanos(long nowNanos) {
        roll(nowNanos);
        long m = model.get();
        long b = bucket.get();
        double forecast;
        if (m != NO_MODEL) {
            double level = level(m);
            forecast = Math.min(Math.max(level + horizonSum * trend(m), FLOOR_FACTOR * level), CAP_FACTOR * level);
        } else if (b >>> SUM_BITS != 0) {
            forecast = mean(b);
        } else {
            return priorNanos;
        }
        long idle = nowNanos - lastSampleNanos.get();
        return idle > bucketNanos ? forecast * Math.exp(-idle / tauNanos) : forecast;
    }

    /** Returns the smoothed level, no trend or idle decay: prior without history, running mean before a fold. */
    public double levelNanos(long nowNanos) {
        roll(nowNanos);
        long m = model.get();
        long b = bucket.get();
        return m != NO_MODEL ? level(m) : b >>> SUM_BITS != 0 ? mean(b) : priorNanos;
    }

    /** Returns the trend in nanoseconds per bucket as of the last fold, 0 without history. */
    public double trendNanosPerBucket() {
        return trend(model.get()); // NO_MODEL holds a trend of 0
    }

    /** Returns whether a sample arrived since creation or the last {@link #reset()}. */
    public boolean hasHistory() {
        return model.get() != NO_MODEL || bucket.get() >>> SUM_BITS != 0;
    }

    /**
     * Forgets everything, for a node that rejoins after an outage: it reads as the prior again. Off the
     * call path: it waits for a fold in progress (a few arithmetic operations) so none outlives it.
     */
    public void reset() {
        while (!folding.compareAndSet(false, true)) {
            Thread.onSpinWait();
        }
        bucket.set(0);
        model.set(NO_MODEL);
        folding.set(false);
    }

    /** Folds the open bucket, and the empty ones after it, once time has reached a later bucket. */
    private void roll(long nowNanos) {
        long now = Math.floorDiv(nowNanos - originNanos, bucketNanos);
        if (now - openBucket.get() <= 0 || !folding.compareAndSet(false, true)) {
            return;
        }
        try {
            long open = openBucket.get();
            if (now - open <= 0) {
                return;
            }
            long taken = bucket.get();
            long m = model.get();
            double level = level(m);
            double trend = trend(m);
            double empty = now - open - 1;
            if (taken >>> SUM_BITS == 0) {
                empty++;
            } else if (m == NO_MODEL) {
                level = mean(taken);
                trend = 0;
            } else {
                double next = Math.max(0, alpha * mean(taken) + (1 - alpha) * (level + phi * trend));
                trend = beta * (next - level) + (1 - beta) * phi * trend;
                level = next;
            }
            if (!Double.isNaN(level)) {
                model.set(pack(level, trend * Math.pow(phi, empty)));
            }
            bucket.getAndAdd(-taken); // samples added since the read stay, in the new bucket
            openBucket.set(now);
        } finally {
            folding.set(false);
        }
    }

    private static double mean(long bucket) { return (bucket & MAX_SUM) * 1e3 / (bucket >>> SUM_BITS); }

    private static long pack(double level, double trend) {
        long levelBits = Float.floatToRawIntBits((float) level);
        return levelBits << 32 | (Float.floatToRawIntBits((float) trend) & 0xFFFF_FFFFL);
    }

    private static double level(long model) { return Float.intBitsToFloat((int) (model >>> 32)); }

    private static double trend(long model) { return Float.intBitsToFloat((int) model); }
}
