package io.smartqueryrouter.core;

import io.smartqueryrouter.core.spi.HealthProbe;
import java.time.Duration;
import java.util.Objects;

/**
 * Active health checking settings: an immutable value; every {@code with}-style method validates
 * its argument at once and returns a copy.
 *
 * <p>Each node is probed every {@link #interval()} (spread by +-{@link #jitter()} so nodes are not
 * probed in lock-step); {@link #fall()} consecutive failed probes take it out of rotation,
 * {@link #rise()} consecutive passed probes bring it back. A probe that takes longer than
 * {@link #timeout()} has failed. Probes run on {@link #threads()} daemon threads named after the
 * router. Nodes start healthy.
 *
 * <p>Defaults: interval 5 s, timeout 1 s (or the interval when shorter), fall 3, rise 2, jitter
 * 10%, 2 threads.
 *
 * @param <E> the endpoint type the probe understands
 */
public final class HealthCheck<E> {
    /** The default probe timeout in milliseconds (or the interval when that is shorter). */
    public static final long DEFAULT_TIMEOUT_MILLIS = 1_000;
    static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);

    private final HealthProbe<E> probe;
    private final Duration interval;
    private final Duration timeout;
    private final int fall;
    private final int rise;
    private final double jitter;
    private final int threads;

    private HealthCheck(HealthProbe<E> probe, Duration interval, Duration timeout, int fall, int rise,
            double jitter, int threads) {
        this.probe = probe;
        this.interval = interval;
        this.timeout = timeout;
        this.fall = fall;
        this.rise = rise;
        this.jitter = jitter;
        this.threads = threads;
    }

    /**
     * Returns health checking with the given probe and the defaults.
     *
     * @param <E> the endpoint type the probe understands
     * @param probe checks one node's endpoint; called on the probe threads, never concurrently for the same node
     * @return the settings: interval 5 s, timeout 1 s, fall 3, rise 2, jitter 0.1, 2 threads
     * @throws NullPointerException if {@code probe} is null
     */
    public static <E> HealthCheck<E> of(HealthProbe<E> probe) {
        Objects.requireNonNull(probe, "healthCheck.probe must not be null");
        return new HealthCheck<>(probe, Duration.ofSeconds(5), null, 3, 2, 0.1, 2);
    }

    /**
     * Returns a copy probing every {@code interval}.
     *
     * @param interval the time between two probes of the same node (default 5 s)
     * @return a copy with the new interval; this instance is unchanged
     * @throws IllegalArgumentException if not positive
     */
    public HealthCheck<E> interval(Duration interval) {
        Checks.positive("healthCheck.interval", interval);
        return new HealthCheck<>(probe, interval, timeout, fall, rise, jitter, threads);
    }

    /**
     * Returns a copy whose probes time out after {@code timeout}; a router refuses a timeout
     * longer than the interval.
     *
     * @param timeout how long a probe may take before it counts as failed (default 1 s, or the interval when shorter)
     * @return a copy with the new timeout; this instance is unchanged
     * @throws IllegalArgumentException if not positive
     */
    public HealthCheck<E> timeout(Duration timeout) {
        Checks.positive("healthCheck.timeout", timeout);
        return new HealthCheck<>(probe, interval, timeout, fall, rise, jitter, threads);
    }

    /**
     * Returns a copy that marks a node unhealthy after {@code fall} consecutive failed probes.
     *
     * @param fall consecutive failed probes that take a node out of rotation (default 3)
     * @return a copy with the new threshold; this instance is unchanged
     * @throws IllegalArgumentException if {@code fall < 1}
     */
    public HealthCheck<E> fall(int fall) {
        Checks.atLeast("healthCheck.fall", fall, 1);
        return new HealthCheck<>(probe, interval, timeout, fall, rise, jitter, threads);
    }

    /**
     * Returns a copy that marks a node healthy again after {@code rise} consecutive passed probes.
     *
     * @param rise consecutive passed probes that bring a node back (default 2)
     * @return a copy with the new threshold; this instance is unchanged
     * @throws IllegalArgumentException if {@code rise < 1}
     */
    public HealthCheck<E> rise(int rise) {
        Checks.atLeast("healthCheck.rise", rise, 1);
        return new HealthCheck<>(probe, interval, timeout, fall, rise, jitter, threads);
    }

    /**
     * Returns a copy spreading each probe by up to +-{@code jitter} x interval.
     *
     * @param jitter the spread as a fraction of the interval (default 0.1, i.e. +-10%); 0 for none
     * @return a copy with the new jitter; this instance is unchanged
     * @throws IllegalArgumentException if outside [0, 0.5]
     */
    public HealthCheck<E> jitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 0.5)) {
            throw new IllegalArgumentException("healthCheck.jitter must be in [0, 0.5], but was " + jitter);
        }
        return new HealthCheck<>(probe, interval, timeout, fall, rise, jitter, threads);
    }

    /**
     * Returns a copy running probes on {@code threads} daemon threads.
     *
     * @param threads the number of probe threads the router starts (default 2)
     * @return a copy with the new thread count; this instance is unchanged
     * @throws IllegalArgumentException if outside [1, 64]
     */
    public HealthCheck<E> threads(int threads) {
        Checks.between("healthCheck.threads", threads, 1, 64);
        return new HealthCheck<>(probe, interval, timeout, fall, rise, jitter, threads);
    }

    /** {@return the probe that checks a node's endpoint} */
    public HealthProbe<E> probe() {
        return probe;
    }

    /** {@return the time between two probes of a node (default 5 s)} */
    public Duration interval() {
        return interval;
    }

    /** {@return the time a probe may take (default 1 s, or the interval when that is shorter)} */
    public Duration timeout() {
        if (timeout != null) {
            return timeout;
        }
        return interval.compareTo(DEFAULT_TIMEOUT) < 0 ? interval : DEFAULT_TIMEOUT;
    }

    /** Throws if the settings contradict each other; called when a router takes them. */
    void validate() {
        if (timeout().compareTo(interval) > 0) {
            throw new IllegalArgumentException("healthCheck.timeout must be <= healthCheck.interval (" + interval
                    + "), but was " + timeout());
        }
    }

    /** {@return the consecutive failures that make a node unhealthy (default 3)} */
    public int fall() {
        return fall;
    }

    /** {@return the consecutive successes that make a node healthy again (default 2)} */
    public int rise() {
        return rise;
    }

    /** {@return the spread of each probe as a fraction of the interval (default 0.1)} */
    public double jitter() {
        return jitter;
    }

    /** {@return the number of probe threads (default 2)} */
    public int threads() {
        return threads;
    }

    @Override
    public String toString() {
        return "HealthCheck[interval=" + interval + ", timeout=" + timeout() + ", fall=" + fall + ", rise=" + rise
                + ", jitter=" + jitter + ", threads=" + threads + "]";
    }
}
