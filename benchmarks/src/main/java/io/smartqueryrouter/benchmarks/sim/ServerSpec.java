package io.smartqueryrouter.benchmarks.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one simulated server is like: its speed, how it slows down over time, when it freezes
 * (a stop-the-world pause: service makes no progress, nothing fails) and when it is gone (a
 * crash: connections are refused at once, requests it held are reset). Immutable; each method
 * returns a changed copy, so scenarios read as one line per server.
 *
 * @param speed service rate relative to a speed-1 server (2 serves twice as fast)
 * @param slowdown the factor on service time over time
 * @param freezeEveryNanos the period of freezes, 0 for none
 * @param freezeForNanos how long each freeze lasts
 * @param outages the intervals during which the server is gone, in nanoseconds since the start
 */
public record ServerSpec(double speed, Slowdown slowdown, long freezeEveryNanos, long freezeForNanos,
        List<Outage> outages) {

    /** An interval of simulated time during which the server refuses connections. */
    public record Outage(long fromNanos, long toNanos) {
    }

    /** Validates. */
    public ServerSpec {
        if (!(speed > 0)) {
            throw new IllegalArgumentException("server speed must be > 0, but was " + speed);
        }
        Objects.requireNonNull(slowdown, "slowdown");
        if (freezeEveryNanos < 0 || freezeForNanos < 0 || freezeEveryNanos > 0 && freezeForNanos >= freezeEveryNanos) {
            throw new IllegalArgumentException("a freeze must be shorter than its period, but was "
                    + freezeForNanos + " ns every " + freezeEveryNanos + " ns");
        }
        outages = List.copyOf(outages);
    }

    /** A speed-1 server that never slows down, freezes or fails. */
    public static ServerSpec normal() {
        return new ServerSpec(1, Slowdown.NONE, 0, 0, List.of());
    }

    /** A copy with the given speed: service rate relative to a speed-1 server. */
    public ServerSpec speed(double speed) {
        return new ServerSpec(speed, slowdown, freezeEveryNanos, freezeForNanos, outages);
    }

    /** A copy that is {@code factor} times slower all the time (speed / factor). */
    public ServerSpec slower(double factor) {
        return speed(speed / factor);
    }

    /** A copy whose service time is multiplied by {@code slowdown} as it changes over time. */
    public ServerSpec slowdown(Slowdown slowdown) {
        return new ServerSpec(speed, slowdown, freezeEveryNanos, freezeForNanos, outages);
    }

    /** A copy that freezes for {@code length} every {@code every}, the first freeze at {@code every}. */
    public ServerSpec freezes(Duration every, Duration length) {
        return new ServerSpec(speed, slowdown, every.toNanos(), length.toNanos(), outages);
    }

    /** A copy that is gone from {@code from} to {@code to}. */
    public ServerSpec down(Duration from, Duration to) {
        if (to.compareTo(from) <= 0) {
            throw new IllegalArgumentException("an outage must end after it starts, but was " + from + " to " + to);
        }
        List<Outage> more = new ArrayList<>(outages);
        more.add(new Outage(from.toNanos(), to.toNanos()));
        return new ServerSpec(speed, slowdown, freezeEveryNanos, freezeForNanos, more);
    }

    /** Returns when the freeze that holds {@code nanos} ends, or {@code nanos} itself when not frozen then. */
    long frozenUntil(long nanos) {
        if (freezeEveryNanos == 0 || nanos < freezeEveryNanos) {
            return nanos;
        }
        long intoPeriod = nanos % freezeEveryNanos;
        return intoPeriod < freezeForNanos ? nanos - intoPeriod + freezeForNanos : nanos;
    }

    /**
     * Returns when {@code workNanos} of service that starts at {@code startNanos} ends: work makes
     * no progress while the server is frozen.
     */
    long finishTime(long startNanos, long workNanos) {
        if (freezeEveryNanos == 0) {
            return startNanos + workNanos;
        }
        long t = frozenUntil(startNanos);
        long remaining = workNanos;
        while (true) {
            long nextFreeze = (t / freezeEveryNanos + 1) * freezeEveryNanos;
            if (t + remaining <= nextFreeze) {
                return t + remaining;
            }
            remaining -= nextFreeze - t;
            t = nextFreeze + freezeForNanos;
        }
    }
}
