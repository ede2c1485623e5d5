package io.smartqueryrouter.benchmarks.sim;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long one request takes to serve on a server of speed 1 with nothing slowing it down. A
 * server's speed and its slowdown at the moment service starts scale the drawn time.
 */
public interface ServiceTime {

    /** Draws one service time in nanoseconds. */
    long sampleNanos(RandomGenerator random);

    /** Returns the mean service time in nanoseconds. */
    double meanNanos();

    /**
     * Exponential service times (M/M/c queues).
     *
     * @throws IllegalArgumentException if the mean is not positive
     */
    static ServiceTime exponential(Duration mean) {
        double m = positiveNanos("mean", mean);
        return new Exponential(m);
    }

    /**
     * Log-normal service times with the given mean and shape {@code sigma} (the standard deviation
     * of the logarithm): a long right tail, as request latencies usually have.
     *
     * @throws IllegalArgumentException if the mean is not positive or sigma is negative
     */
    static ServiceTime logNormal(Duration mean, double sigma) {
        double m = positiveNanos("mean", mean);
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("log-normal sigma must be >= 0, but was " + sigma);
        }
        return new LogNormal(m, sigma);
    }

    /**
     * The same service time for every request.
     *
     * @throws IllegalArgumentException if not positive
     */
    static ServiceTime fixed(Duration time) {
        return new Fixed(positiveNanos("time", time));
    }

    /**
     * Two kinds of request: most are log-normal with mean {@code fastMean} and shape {@code sigma}, a
     * share {@code slowShare} are {@code slowFactor} times that (a cache miss, a big query). The mean is
     * {@code fastMean x (1 - slowShare + slowShare x slowFactor)}.
     *
     * @throws IllegalArgumentException if the mean is not positive, sigma negative, the share outside
     *     (0, 1) or the factor below 1
     */
    static ServiceTime bimodal(Duration fastMean, double sigma, double slowShare, double slowFactor) {
        LogNormal fast = (LogNormal) logNormal(fastMean, sigma);
        if (!(slowShare > 0 && slowShare < 1) || !(slowFactor >= 1)) {
            throw new IllegalArgumentException("bimodal service needs a slow share in (0, 1) and a factor >= 1, but was "
                    + slowShare + " and " + slowFactor);
        }
        return new Bimodal(fast, slowShare, slowFactor);
    }

    private static double positiveNanos(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("service time " + what + " must be > 0, but was " + d);
        }
        return d.toNanos();
    }

    /** Exponential with the given mean. */
    record Exponential(double meanNanos) implements ServiceTime {
        @Override
        public long sampleNanos(RandomGenerator random) {
            return Math.max(1, Math.round(random.nextExponential() * meanNanos));
        }

        @Override
        public String toString() {
            return "exponential(mean " + Format.millis(meanNanos) + " ms)";
        }
    }

    /** Log-normal: {@code exp(mu + sigma * N(0,1))} with {@code mu = ln(mean) - sigma^2 / 2}, so the mean is as given. */
    record LogNormal(double meanNanos, double sigma) implements ServiceTime {
        @Override
        public long sampleNanos(RandomGenerator random) {
            double mu = Math.log(meanNanos) - sigma * sigma / 2;
            return Math.max(1, Math.round(Math.exp(mu + sigma * random.nextGaussian())));
        }

        @Override
        public String toString() {
            return "log-normal(mean " + Format.millis(meanNanos) + " ms, sigma " + sigma + ")";
        }
    }

    /** Always the same. */
    record Fixed(double meanNanos) implements ServiceTime {
        @Override
        public long sampleNanos(RandomGenerator random) {
            return Math.round(meanNanos);
        }

        @Override
        public String toString() {
            return "fixed(" + Format.millis(meanNanos) + " ms)";
        }
    }

    /** Log-normal, with a share of requests a factor slower. */
    record Bimodal(LogNormal fast, double slowShare, double slowFactor) implements ServiceTime {
        @Override
        public long sampleNanos(RandomGenerator random) {
            boolean slow = random.nextDouble() < slowShare;
            long t = fast.sampleNanos(random);
            return slow ? Math.max(1, Math.round(t * slowFactor)) : t;
        }

        @Override
        public double meanNanos() {
            return fast.meanNanos() * (1 - slowShare + slowShare * slowFactor);
        }

        @Override
        public String toString() {
            return "bimodal(" + Format.number(100 * (1 - slowShare), 0) + "% " + fast + ", "
                    + Format.number(100 * slowShare, 0) + "% " + Format.number(slowFactor, 0) + "x that)";
        }
    }
}
