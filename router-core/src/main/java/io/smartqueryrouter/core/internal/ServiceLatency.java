package io.smartqueryrouter.core.internal;

/**
 * How fast a router's service answers as a whole: a valley-EWMA of every node's timed answers (a
 * faster answer replaces it at once, a slower one pulls it up with a time constant of one second),
 * so it follows the low end of what the nodes answer in now, and rises within seconds when every
 * node is slower (a shared dependency is slow, the service is overloaded) but hardly when one node
 * is (its slow answers are a minority among the others' fast ones). Kept per router for the policies that
 * declare {@link io.smartqueryrouter.core.spi.NodeStatistic#SERVICE_DISCOUNT} ({@code pool-ewma},
 * {@code lowest-latency}); a node's state remembers the value its EWMA was learnt under
 * ({@link NodeState#serviceDiscount()}).
 *
 * <p>Lock-free and racy on purpose, as the Peak-EWMA is: a sample that races another within the few
 * nanoseconds between the read and the write undoes it. It is an estimate; the next answer corrects it.
 */
final class ServiceLatency {
    /** 1 / (one second in nanoseconds): the time constant of the rise. */
    private static final double INVERSE_TAU = 1e-9;

    private volatile double nanos = Double.NaN;
    private volatile long stamp;

    /**
     * Folds in one answer's latency.
     *
     * @param latencyNanos the answer's latency
     * @param nowNanos the router's ticker reading
     * @return the service latency after it
     */
    double observe(double latencyNanos, long nowNanos) {
        long was = stamp;
        stamp = nowNanos;
        double v = nanos;
        if (Double.isNaN(v) || latencyNanos < v) {
            v = latencyNanos;
        } else {
            double w = NodeState.decay(nowNanos - was, INVERSE_TAU);
            v = v * w + latencyNanos * (1 - w);
        }
        nanos = v;
        return v;
    }

    /** {@return the service latency in nanoseconds, or NaN before the first answer} */
    double nanos() {
        return nanos;
    }
}
