package io.smartqueryrouter.jdbc.pg;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a condition with a deadline, polling every 20 ms: the house rule for tests is to
 * await state, never to sleep for it. A condition that throws counts as not yet true; the last
 * exception becomes the cause of the failure.
 *
 * <pre>{@code
 * Duration took = Await.until("row 42 on pg-replica-1", Duration.ofSeconds(5),
 *         () -> count(replica, 42) == 1);
 * }</pre>
 */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {
    }

    /**
     * Returns once {@code condition} is true.
     *
     * @param what what is awaited, for the failure message
     * @param timeout how long to wait at most
     * @param condition checked at once, then every 20 ms
     * @return how long it took until the condition was true
     * @throws AssertionError if the condition is not true within {@code timeout}, with the last
     *     exception the condition threw (if any) as its cause
     * @throws IllegalStateException if the thread is interrupted (the interrupt is kept)
     */
    public static Duration until(String what, Duration timeout, Callable<Boolean> condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                AssertionError failure = new AssertionError("not true within " + timeout + ": " + what
                        + (last == null ? "" : " (last attempt threw " + last + ")"));
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            pollPause();
        }
    }

    static void pollPause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
