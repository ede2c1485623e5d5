package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.NodeState;
import io.smartqueryrouter.core.spi.AttemptObserver;
import java.time.Duration;
import java.util.Objects;

/**
 * One attempt of a call on one node: the node was chosen and counted in flight, the clock started.
 * The caller does its I/O on {@link #node()} and ends the attempt with {@link #complete(Outcome)};
 * what follows a failure (retry, hedge, stop) is the {@link RoutedCall}'s to decide.
 * {@link Router#begin()} gives a single attempt with no failover; {@link RoutedCall#begin()} the
 * first of a call.
 *
 * <p>Every attempt must be completed exactly once, or the node's in-flight count stays raised. An
 * attempt is used by one thread at a time; it may be completed on another thread than the one that
 * began it.
 *
 * @param <E> the endpoint type
 */
public final class Attempt<E> {
    final CallPath<E> path;
    final NodeState<E> state;
    private final Node<E> node;
    private final int number;
    private final long startNanos;
    private final boolean timed;
    /** Counted apart from its node: it began on a node already removed and folded into the totals. */
    private final boolean late;
    /** Counted by the router's concurrency limit until completed. */
    private final boolean limited;
    /** The router's other attempts it found on the node when it began, or -1 (not kept, or untimed). */
    private final int ahead;
    private Outcome outcome;
    /** The router's {@link AttemptObserver} watching this attempt, or null (no observer: the usual case). */
    private AttemptObserver.Running observed;

    Attempt(CallPath<E> path, NodeState<E> state, int number, long startNanos, boolean timed, boolean limited) {
        this.path = path;
        // begun (in flight) already: a node not folded now cannot be folded before this attempt ends
        this.late = state.folded();
        this.state = state;
        this.node = state.node();
        this.number = number;
        this.startNanos = startNanos;
        this.timed = timed;
        this.limited = limited;
        this.ahead = timed ? state.aheadAtBegin() : -1;
    }

    /** Takes over the observer's handle of an attempt begun before this object was made (null: none); returns this. */
    Attempt<E> observedAs(AttemptObserver.Running running) {
        observed = running;
        return this;
    }

    /** Tells the router's attempt observer, if it has one, that this attempt began; returns this. */
    Attempt<E> observed(AttemptObserver.Kind kind) {
        AttemptObserver observer = path.observer();
        if (observer != AttemptObserver.NONE) {
            observed = CallPath.attemptStarted(observer, path.name(), node, number, kind);
        }
        return this;
    }

    /** {@return the node this attempt goes to} */
    public Node<E> node() {
        return node;
    }

    /** {@return this attempt's number within its call, from 1 (hedges included)} */
    public int number() {
        return number;
    }

    /** {@return the router's {@link Ticker} reading when the attempt began, in nanoseconds} */
    public long startNanos() {
        return startNanos;
    }

    /**
     * Returns the longest the adapter should wait for this attempt's node, so no call waits long on a
     * node the router already believes down. While the router believes the node well, there is no
     * limit but the call's own ({@code Long.MAX_VALUE}); while it is unhealthy or ejected (the attempt
     * went there in panic, as an ejected node's trial call, or failing open), the health check's
     * timeout ({@value HealthCheck#DEFAULT_TIMEOUT_MILLIS} ms for a router without a health check).
     * A timed attempt (not an {@link RoutedCall#untimed() untimed} call's) that is an ejected node's
     * trial call (half-open) waits less once an earlier trial of the same ejection timed out (waited
     * longer than the other nodes answer in, and got nothing: a black hole), while every available
     * node answers its calls: as long as the slowest available node lately took (the largest
     * Peak-EWMA among them when the trial began), at least the router's prior latency, at most that
     * timeout; then the call fails over as after any failure.
     * The OkHttp adapter applies it to the attempt's connect, read and write timeouts, the JDBC
     * adapter to taking a connection.
     *
     * @return the limit in nanoseconds, as the node's state is when asked
     */
    public long waitLimitNanos() {
        return timed ? path.registry().waitLimitNanos(state, startNanos) : path.registry().waitLimitNanos(state);
    }

    /** {@return the outcome, or {@code null} while the attempt runs} */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Ends the attempt: records the latency since it began (unless its call is untimed), lowers
     * the node's in-flight count, counts the outcome, and ejects the node if it failed too often in
     * a row.
     *
     * @param outcome how the attempt ended, as the adapter classified it
     * @throws NullPointerException if {@code outcome} is null
     * @throws IllegalStateException if the attempt was already completed
     */
    public void complete(Outcome outcome) {
        // small on purpose, passing fields rather than this: the JIT then inlines it into the caller and can
        // scalar-replace an attempt that never leaves it (0 bytes per call)
        if (outcome == null || this.outcome != null) {
            throw completeRefused(outcome);
        }
        this.outcome = outcome;
        path.completed(state, node, number, startNanos, outcome, 0, timed, late, limited, ahead);
        if (observed != null) {
            CallPath.attemptEnded(observed, outcome);
        }
    }

    /**
     * Ends the attempt like {@link #complete(Outcome)} and keeps the node out of rotation for
     * {@code coolDown} (capped by the router's {@code maxCoolDown}), as an HTTP {@code Retry-After}
     * asks. A running cool-down is extended, never shortened.
     *
     * @param outcome how the attempt ended; must blame the node ({@link Outcome#FAILURE} or
     *     {@link Outcome#OVERLOADED}) unless {@code coolDown} is zero
     * @param coolDown how long to keep the node out of rotation; {@link Duration#ZERO} for none
     * @throws NullPointerException if {@code outcome} or {@code coolDown} is null
     * @throws IllegalArgumentException if the outcome does not blame the node, or the cool-down is negative
     * @throws IllegalStateException if the attempt was already completed
     */
    public void complete(Outcome outcome, Duration coolDown) {
        Objects.requireNonNull(coolDown, "coolDown");
        if (coolDown.isNegative()) {
            throw new IllegalArgumentException("coolDown must be >= 0, but was " + coolDown);
        }
        if (!Objects.requireNonNull(outcome, "outcome").blamesNode() && !coolDown.isZero()) {
            throw new IllegalArgumentException("a cool-down needs an outcome that blames the node (FAILURE or OVERLOADED), but was "
                    + outcome);
        }
        if (this.outcome != null) {
            throw completeRefused(outcome);
        }
        this.outcome = outcome;
        long nanos = coolDown.isZero() ? 0 : Math.max(1, RoutedCall.saturatedNanos(coolDown));
        path.completed(state, node, number, startNanos, outcome, nanos, timed, late, limited, ahead);
        if (observed != null) {
            CallPath.attemptEnded(observed, outcome);
        }
    }

    private RuntimeException completeRefused(Outcome requested) {
        if (requested == null) {
            return new NullPointerException("outcome");
        }
        return new IllegalStateException("attempt " + number + " on node '" + node.id() + "' of router '"
                + path.name() + "' was already completed as " + this.outcome);
    }

    @Override
    public String toString() {
        return "Attempt[router=" + path.name() + ", node=" + node.id() + ", number=" + number
                + (outcome == null ? "" : ", outcome=" + outcome) + "]";
    }
}
