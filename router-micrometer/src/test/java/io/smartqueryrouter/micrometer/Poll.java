package io.smartqueryrouter.micrometer;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, re-checking often; no fixed sleeps. */
final class Poll {
    private static final long POLL_NANOS = Duration.ofMillis(2).toNanos();

    private Poll() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @throws AssertionError with {@code state()} in the message if it does not within {@code timeout}
     */
    static void until(Duration timeout, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + timeout + "; state: " + state.get());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
