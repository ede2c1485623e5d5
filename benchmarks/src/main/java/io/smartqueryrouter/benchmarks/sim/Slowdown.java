package io.smartqueryrouter.benchmarks.sim;

import java.time.Duration;

/**
 * How much slower than usual a server serves at a moment of simulated time: a factor that
 * multiplies the service time of a request that starts service then (1 = normal, 20 = twenty
 * times slower).
 */
@FunctionalInterface
public interface Slowdown {

    /** The factor at simulated time {@code nanos} (nanoseconds since the start), at least 1 in practice. */
    double at(long nanos);

    /** No slowdown. */
    Slowdown NONE = nanos -> 1;

    /** A constant factor. */
    static Slowdown constant(double factor) {
        positive(factor);
        return nanos -> factor;
    }

    /**
     * 1 until {@code from}, then growing linearly to {@code factor} at {@code to}, and staying there.
     *
     * @throws IllegalArgumentException if {@code to} is not after {@code from} or the factor is not positive
     */
    static Slowdown ramp(Duration from, Duration to, double factor) {
        positive(factor);
        long a = from.toNanos();
        long b = to.toNanos();
        if (b <= a) {
            throw new IllegalArgumentException("ramp must end after it starts, but was " + from + " to " + to);
        }
        return nanos -> nanos <= a ? 1 : nanos >= b ? factor : 1 + (factor - 1) * (nanos - a) / (double) (b - a);
    }

    /**
     * Alternates: normal for {@code normal}, then {@code factor} times slower for {@code slow},
     * again and again from the start.
     */
    static Slowdown flapping(Duration normal, Duration slow, double factor) {
        positive(factor);
        long n = normal.toNanos();
        long period = n + slow.toNanos();
        return nanos -> Math.floorMod(nanos, period) < n ? 1 : factor;
    }

    /**
     * 1, except {@code factor} from {@code from} (inclusive) to {@code to} (exclusive).
     *
     * @throws IllegalArgumentException if {@code to} is not after {@code from} or the factor is not positive
     */
    static Slowdown window(Duration from, Duration to, double factor) {
        positive(factor);
        long a = from.toNanos();
        long b = to.toNanos();
        if (b <= a) {
            throw new IllegalArgumentException("slowdown window must end after it starts, but was " + from + " to " + to);
        }
        return nanos -> nanos >= a && nanos < b ? factor : 1;
    }

    private static void positive(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("slowdown factor must be > 0, but was " + factor);
        }
    }
}
