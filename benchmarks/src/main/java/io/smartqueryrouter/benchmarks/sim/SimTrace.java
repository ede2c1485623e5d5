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

    /** The call's hedge went to {@code nodeId}. */
    default void hedged(int client, long call, long nowNanos, String nodeId) {
    }

    /**
     * One attempt of the call, on {@code nodeId}, ended with {@code outcome} (the call's first attempt or its
     * hedge: unlike {@link #completed}, it says which node).
     */
    default void settled(int client, long call, long nowNanos, String nodeId, Outcome outcome) {
    }

    /**
     * An answer (or a reset) from {@code nodeId} reached the client after its attempt had already ended: timed
     * out, or cancelled when its hedge won. The server was busy with it until then.
     */
    default void lateAnswer(int client, long call, long nowNanos, String nodeId) {
    }
}
