package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.Outcome;

/**
 * Hears every routing step of every client's router during a simulation: what each router was
 * asked and what it answered, with the simulated time. Tests replay it against fresh routers to
 * show the simulator's decisions are the real router's.
 */
public interface SimTrace {

    /** {@code router.begin()} of call {@code call} of client {@code client} chose {@code nodeId}. */
    void begun(int client, long call, long nowNanos, String nodeId);

    /** The call's current attempt was completed with {@code outcome}. */
    void completed(int client, long call, long nowNanos, Outcome outcome);

    /** The call's current attempt was retried: the next attempt went to {@code nodeId}, or {@code null} if the router refused. */
    void retried(int client, long call, long nowNanos, String nodeId);

    /** The call's first attempt was refused by the router's concurrency limit: nothing was sent. */
    default void rejected(int client, long call, long nowNanos) {
    }
}
