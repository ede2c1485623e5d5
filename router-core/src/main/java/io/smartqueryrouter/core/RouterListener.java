package io.smartqueryrouter.core;

import io.smartqueryrouter.core.spi.ProbeResult;
import java.time.Duration;

/**
 * Receives a router's events. Every method has an empty default, so implement only what you
 * need. A router without listeners does no work for them. Methods are called synchronously on the
 * thread that caused the event (a caller's thread, or a health-check thread), so they must be
 * quick and must not block; one that throws is logged and ignored, and never breaks routing.
 * The hot-path events ({@link #onAttemptCompleted}, {@link #onRetry}) carry no allocated objects.
 */
public interface RouterListener {

    /** A node joined the router (also called for the nodes the router was built with). */
    default void onNodeAdded(String router, Node<?> node) {
    }

    /** A node left the router; calls in flight on it still complete and are still reported. */
    default void onNodeRemoved(String router, Node<?> node) {
    }

    /**
     * An attempt completed.
     *
     * @param latencyNanos time from the attempt's start to its completion
     * @param attempt the attempt's number within its call, from 1
     */
    default void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
    }

    /**
     * A call is retried after its attempt on {@code failedNode}.
     *
     * @param nextAttempt the number of the attempt about to start, from 2
     */
    default void onRetry(String router, Node<?> failedNode, int nextAttempt) {
    }

    /**
     * A call still unanswered after the hedge delay sent a hedge: a further attempt, to {@code to},
     * while the attempt on {@code from} keeps running (see {@link HedgePolicy}). Called on the thread
     * that asked for the hedge, often a timer thread.
     *
     * @param hedgeAttempt the number of the hedge attempt within its call, from 2
     */
    default void onHedge(String router, Node<?> from, Node<?> to, int hedgeAttempt) {
    }

    /** A retry was refused because the router's retry budget is spent. */
    default void onRetryBudgetExhausted(String router, Node<?> failedNode) {
    }

    /** A call found no node to go to (see {@link NoAvailableNodeException}). */
    default void onNoAvailableNode(String router) {
    }

    /** A health probe finished. */
    default void onHealthChecked(String router, Node<?> node, ProbeResult result, long durationNanos) {
    }

    /** A node became healthy or unhealthy; {@code result} is the probe that tipped it. */
    default void onHealthChanged(String router, Node<?> node, boolean healthy, ProbeResult result) {
    }

    /** Outlier detection ejected a node for {@code duration}. */
    default void onEjected(String router, Node<?> node, Duration duration) {
    }

    /** An ejected node rejoined. */
    default void onRestored(String router, Node<?> node) {
    }
}
