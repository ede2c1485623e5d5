package io.smartqueryrouter.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the health checker keeps per node between passes: when the next probe is due, the one
 * running (at most one per node), and the passes and failures in a row that {@code rise} and
 * {@code fall} count. Written by the checker only.
 */
final class ProbeState {
    volatile long nextProbeNanos = Long.MIN_VALUE;
    volatile boolean probeRunning;
    volatile long probeStartedNanos;
    /** Set by whoever counts the running probe first: its own answer, or the driver at its timeout. */
    final AtomicBoolean probeSettled = new AtomicBoolean(true);
    /** Whether the running probe was already counted as failed at its timeout. */
    volatile boolean probeTimedOut;
    int probeSuccesses;
    int probeFailures;
}
