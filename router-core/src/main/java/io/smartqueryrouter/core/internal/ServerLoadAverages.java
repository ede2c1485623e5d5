package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The moving averages of what one node reports of its own load (queue length, service time), for
 * {@code c3}: one exponentially weighted average per report, as Elasticsearch's adaptive replica
 * selection keeps them. Kept only by nodes whose router's policy reads them. Lock-free.
 */
final class ServerLoadAverages {
    /** The weight of a new report (Elasticsearch uses 0.3 as well). */
    static final double ALPHA = 0.3;
    private static final long NONE = Double.doubleToRawLongBits(Double.NaN);

    private final AtomicLong queueBits = new AtomicLong(NONE);
    private final AtomicLong serviceBits = new AtomicLong(NONE);

    /** Folds one report in; a negative value is unknown and skipped. */
    void report(double queueLength, long serviceTimeNanos) {
        if (queueLength >= 0) {
            fold(queueBits, queueLength);
        }
        if (serviceTimeNanos >= 0) {
            fold(serviceBits, serviceTimeNanos);
        }
    }

    private static void fold(AtomicLong average, double value) {
        while (true) {
            long bits = average.get();
            double next = bits == NONE ? value : Double.longBitsToDouble(bits) * (1 - ALPHA) + value * ALPHA;
            if (average.compareAndSet(bits, Double.doubleToRawLongBits(next))) {
                return;
            }
        }
    }

    /** The average queue length reported, NaN before any report. */
    double queueLength() {
        return Double.longBitsToDouble(queueBits.get());
    }

    /** The average service time reported in nanoseconds, NaN before any report. */
    double serviceTimeNanos() {
        return Double.longBitsToDouble(serviceBits.get());
    }

    /** Forgets every report (the node rejoined). */
    void reset() {
        queueBits.set(NONE);
        serviceBits.set(NONE);
    }
}
