package io.smartqueryrouter.core.spi;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;

/**
 * Watches each attempt of a router from its beginning to its end, for tracing: one span per
 * attempt, with its node and outcome. {@code router-micrometer}'s {@code RouterObservations} turns
 * each attempt into a Micrometer {@code Observation}. A router has at most one observer
 * ({@code Router.observeAttempts}); a router without one holds {@link #NONE} and pays one field read
 * per attempt.
 *
 * <p>{@link #attemptStarted} is called on the thread that begins the attempt (the caller's thread for a
 * first attempt and a retry, often a timer thread for a hedge), so the observer can take the
 * thread's current trace as the parent. The returned {@link Running} is ended exactly once, when the
 * attempt is completed, possibly on another thread. Both must be quick and must not block; an
 * observer that throws is logged and ignored, and never breaks routing.
 */
public interface AttemptObserver {

    /** No observer: attempts are not watched. */
    AttemptObserver NONE = (router, node, attempt, kind) -> null;

    /**
     * An attempt began.
     *
     * @param router the router's name
     * @param node the node the attempt goes to
     * @param attempt the attempt's number within its call, from 1 (hedges included)
     * @param kind why the attempt began
     * @return what to tell when the attempt ends, or {@code null} to hear nothing more of it
     */
    Running attemptStarted(String router, Node<?> node, int attempt, Kind kind);

    /** One attempt under watch, told its end. */
    @FunctionalInterface
    interface Running {
        /**
         * The attempt was completed.
         *
         * @param outcome how it ended
         */
        void attemptEnded(Outcome outcome);
    }

    /** Why an attempt began. */
    enum Kind {
        /** The first attempt of a call, or a single attempt ({@code Router.begin()}). */
        FIRST,
        /** A retry after a failed attempt, on another node. */
        RETRY,
        /** A hedge: a further attempt while an earlier one still runs. */
        HEDGE,
        /** Work bound to a node already chosen ({@code BoundNode.begin()}: a JDBC statement, say). */
        BOUND
    }
}
