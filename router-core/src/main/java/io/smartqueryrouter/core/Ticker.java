package io.smartqueryrouter.core;

/**
 * A source of nanosecond time, read by every time-dependent rule of a router: latency samples,
 * Peak-EWMA decay, health-check schedules, ejection deadlines and cool-downs, the retry budget.
 *
 * <p>Only differences between two readings are meaningful (like {@link System#nanoTime()}).
 * Tests and the simulator inject a fake ticker so time-dependent behaviour runs without sleeps.
 */
@FunctionalInterface
public interface Ticker {

    /** {@return the current reading in nanoseconds, from an arbitrary origin} */
    long read();

    /** {@return the ticker backed by {@link System#nanoTime()}, the default of every router} */
    static Ticker system() {
        return SystemTicker.INSTANCE;
    }
}

enum SystemTicker implements Ticker {
    INSTANCE;

    @Override
    public long read() {
        return System.nanoTime();
    }
}
