package io.smartqueryrouter.testkit;

import io.smartqueryrouter.core.Ticker;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that moves only when told, so time-dependent routing (Peak-EWMA decay,
 * health-check schedules, ejections, cool-downs, retry budgets) is tested without sleeping.
 * Thread-safe.
 *
 * <pre>{@code
 * FakeTicker ticker = new FakeTicker();
 * Router<URI> router = Router.<URI>builder("orders").ticker(ticker)...build();
 * ticker.advance(Duration.ofSeconds(30));   // the ejection is over
 * }</pre>
 */
public final class FakeTicker implements Ticker {
    private final AtomicLong nanos;

    /** Creates a ticker reading 0. */
    public FakeTicker() {
        this(0);
    }

    /**
     * Creates a ticker reading {@code startNanos}.
     *
     * @param startNanos the first reading, in nanoseconds
     */
    public FakeTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    /**
     * Moves the clock forward.
     *
     * @param by how far, zero or more
     * @return this ticker
     * @throws IllegalArgumentException if {@code by} is negative (a ticker never goes back)
     */
    public FakeTicker advance(Duration by) {
        Objects.requireNonNull(by, "by");
        if (by.isNegative()) {
            throw new IllegalArgumentException("a ticker only moves forward, but advance was " + by);
        }
        nanos.addAndGet(by.toNanos());
        return this;
    }

    /**
     * Moves the clock forward by {@code millis} milliseconds.
     *
     * @param millis how far, zero or more
     * @return this ticker
     * @throws IllegalArgumentException if {@code millis} is negative
     */
    public FakeTicker advanceMillis(long millis) {
        return advance(Duration.ofMillis(millis));
    }

    @Override
    public String toString() {
        return "FakeTicker[" + Duration.ofNanos(nanos.get()) + "]";
    }
}
