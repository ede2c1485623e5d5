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

    /**
     * A node joined the router (also called for the nodes the router was built with).
     *
     * @param router the router's name
     * @param node the node that joined
     */
    default void onNodeAdded(String router, Node<?> node) {
    }

    /**
     * A node left the router; calls in flight on it still complete and are still reported.
     *
     * @param router the router's name
     * @param node the node that left
     */
    default void onNodeRemoved(String router, Node<?> node) {
    }

    /**
     * An attempt completed.
     *
     * @param router the router's name
     * @param node the node the attempt went to
     * @param outcome how the attempt ended
     * @param latencyNanos time from the attempt's start to its completion, in nanoseconds of the
     *     router's {@link Ticker}
     * @param attempt the attempt's number within its call, from 1
     */
    default void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
    }

    /**
     * A call is retried after its attempt on {@code failedNode}.
     *
     * @param router the router's name
     * @param failedNode the node whose attempt failed
     * @param nextAttempt the number of the attempt about to start, from 2
     */
    default void onRetry(String router, Node<?> failedNode, int nextAttempt) {
    }

    /**
     * A call still unanswered after the hedge delay sent a hedge: a further attempt, to {@code to},
     * while the attempt on {@code from} keeps running (see {@link HedgePolicy}). Called on the thread
     * that asked for the hedge, often a timer thread.
     *
     * @param router the router's name
     * @param from the node of the call's latest attempt begun before this hedge
     * @param to the node the hedge goes to
     * @param hedgeAttempt the number of the hedge attempt within its call, from 2
     */
    default void onHedge(String router, Node<?> from, Node<?> to, int hedgeAttempt) {
    }

    /**
     * A retry was refused because the router's retry budget is spent.
     *
     * @param router the router's name
     * @param failedNode the node whose failed attempt would have been retried
     */
    default void onRetryBudgetExhausted(String router, Node<?> failedNode) {
    }

    /**
     * A call was refused because the router is at its concurrency limit (see
     * {@link ConcurrencyLimitExceededException}); nothing was sent. Retries and hedges the limit
     * refuses are counted in {@link RouterSnapshot#extrasRefusedByLimit()}, not reported here.
     *
     * @param router the router's name
     * @param limit the concurrency limit
     * @param inFlight the attempts in flight
     */
    default void onConcurrencyLimitExceeded(String router, int limit, int inFlight) {
    }

    /**
     * A call found no node to go to (see {@link NoAvailableNodeException}).
     *
     * @param router the router's name
     */
    default void onNoAvailableNode(String router) {
    }

    /**
     * A health probe finished.
     *
     * @param router the router's name
     * @param node the node probed
     * @param result what the probe found
     * @param durationNanos how long the probe took, in nanoseconds of the router's {@link Ticker}
     */
    default void onHealthChecked(String router, Node<?> node, ProbeResult result, long durationNanos) {
    }

    /**
     * A node became healthy or unhealthy; {@code result} is the probe that tipped it.
     *
     * @param router the router's name
     * @param node the node whose health changed
     * @param healthy {@code true} if it is now healthy, {@code false} if now unhealthy
     * @param result the probe that tipped it
     */
    default void onHealthChanged(String router, Node<?> node, boolean healthy, ProbeResult result) {
    }

    /**
     * Outlier detection ejected a node for {@code duration}.
     *
     * @param router the router's name
     * @param node the node ejected
     * @param duration how long it stays out of rotation, already capped by the maximum ejection
     */
    default void onEjected(String router, Node<?> node, Duration duration) {
    }

    /**
     * An ejected node rejoined.
     *
     * @param router the router's name
     * @param node the node that rejoined
     */
    default void onRestored(String router, Node<?> node) {
    }
}
