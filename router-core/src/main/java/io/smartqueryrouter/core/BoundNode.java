package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.NodeState;
import io.smartqueryrouter.core.spi.AttemptObserver;

/**
 * Work bound to one node once it was chosen, such as the statements run on a connection taken
 * from it ({@link Router#bind}). Its attempts count like any (in flight, latency, outcome,
 * ejection) but are never routed: they always go to this node and never fail over. They work even
 * after the node was removed from the router, or the router was closed, so work already bound to
 * a node finishes and is counted (once nothing runs on a removed node, the router folds its counts
 * into its totals, and the attempts bound work begins after that count apart). A binding holds
 * nothing of the router's: opening and closing it count nothing, so a connection's binding costs
 * no atomic operation of its own. Close it when the work is over all the same. Thread-safe.
 *
 * @param <E> the endpoint type
 */
public sealed class BoundNode<E> implements AutoCloseable permits BoundNode.Watched {
    private final CallPath<E> path;
    private final NodeState<E> state;
    /** Whether the untimed first attempt {@link Router#bindFirst} began still runs (owned by this binding). */
    private boolean firstRunning;
    /**
     * The router's other attempts on the node that the last {@link #start()} found, for {@link #end}: what the node's
     * load growth is learnt from ({@link io.smartqueryrouter.core.spi.NodeStats#loadGrowth()}). A plain field: a
     * connection runs one statement at a time; where two overlap on one binding, one may end with the other's count.
     */
    private int aheadAtStart = -1;

    BoundNode(CallPath<E> path, NodeState<E> state) {
        this.path = path;
        this.state = state;
    }

    /** A binding whose untimed first attempt, begun (counted in flight) on {@code state}, runs. */
    private BoundNode(CallPath<E> path, NodeState<E> state, boolean firstRunning) {
        this(path, state);
        this.firstRunning = firstRunning;
    }

    /**
     * The binding of {@link Router#bindFirst}, its first attempt just begun: kept at its smallest (no start,
     * no observer handle, and no clock read for them) unless a listener hears attempts or an observer watches
     * them.
     */
    static <E> BoundNode<E> first(CallPath<E> path, NodeState<E> state) {
        AttemptObserver observer = path.observer();
        if (observer == AttemptObserver.NONE && !path.registry().hearsAttempts()) {
            return new BoundNode<>(path, state, true);
        }
        return new Watched<>(path, state, path.ticker().read(),
                observer == AttemptObserver.NONE ? null
                        : CallPath.attemptStarted(observer, path.name(), state.node(), 1, AttemptObserver.Kind.FIRST));
    }

    /**
     * A {@link Router#bindFirst} binding that keeps its first attempt's start, for a listener's duration,
     * and the observer's handle on it; made only when a listener or an observer is there.
     */
    static final class Watched<E> extends BoundNode<E> {
        private final long startNanos;
        /** The observer's handle, or null; taken by whoever ends the attempt. */
        private AttemptObserver.Running observed;

        Watched(CallPath<E> path, NodeState<E> state, long startNanos, AttemptObserver.Running observed) {
            super(path, state, true);
            this.startNanos = startNanos;
            this.observed = observed;
        }
    }

    /** {@return the node this work is bound to} */
    public Node<E> node() {
        return state.node();
    }

    /**
     * Returns the longest the work should wait for the node, as {@link Attempt#waitLimitNanos()} does for
     * an attempt: no limit ({@code Long.MAX_VALUE}) while the router believes the node well, the health
     * check's timeout while it is unhealthy or ejected.
     *
     * @return the limit in nanoseconds, as the node's state is when asked
     */
    public long waitLimitNanos() {
        return path.registry().waitLimitNanos(state);
    }

    /**
     * Ends the untimed first attempt that {@link Router#bindFirst} began on this node, as
     * {@link Attempt#complete(Outcome)} ends an attempt of an {@link RoutedCall#untimed() untimed} call:
     * no latency sample, the in-flight count lowered, the outcome counted (a failure raises the node's
     * cost and counts toward its ejection). An answer that does not blame the node reads no clock unless
     * a listener or the node's ejection needs the time. For a first attempt that failed and should fail
     * over, hand it to a call with {@link RoutedCall#adopt(BoundNode)} instead.
     *
     * @param outcome how the attempt ended
     * @throws NullPointerException if {@code outcome} is null
     * @throws IllegalStateException if no first attempt runs on this binding: it was not made by
     *     {@link Router#bindFirst}, or its first attempt was ended or adopted already
     */
    public void endFirst(Outcome outcome) {
        if (outcome == null) {
            throw new NullPointerException("outcome");
        }
        takeFirst();
        if (this instanceof Watched<E> w) {
            path.completedUntimed(state, state.node(), 1, w.startNanos, true, outcome, 0, state.folded());
        } else {
            // no listener heard attempts as this one began: its start was not kept, nor is the clock read for it
            path.completedUntimed(state, state.node(), 1, 0, false, outcome, 0, state.folded());
        }
        AttemptObserver.Running observed = takeFirstObserved();
        if (observed != null) {
            CallPath.attemptEnded(observed, outcome);
        }
    }

    /** Takes over the running first attempt (ending it, or for a call to adopt); refuses when there is none. */
    void takeFirst() {
        if (!firstRunning) {
            throw new IllegalStateException("router '" + path.name() + "': no first attempt runs on " + this
                    + " (it was not made by Router.bindFirst, or its first attempt was ended or adopted already)");
        }
        firstRunning = false;
    }

    /** {@return the node state, for the call adopting the first attempt} */
    NodeState<E> state() {
        return state;
    }

    /**
     * {@return when the first attempt began, for the call adopting it; when no listener or observer was
     * there as it began its start was not kept, and the adoption counts as its start}
     */
    long firstStartNanos() {
        return this instanceof Watched<E> w ? w.startNanos : path.ticker().read();
    }

    /** {@return the observer's handle on the first attempt, or null; the caller takes it over} */
    AttemptObserver.Running takeFirstObserved() {
        if (this instanceof Watched<E> w) {
            AttemptObserver.Running r = w.observed;
            w.observed = null;
            return r;
        }
        return null;
    }

    /** {@return whether this binding belongs to the router whose call path is {@code other}} */
    boolean of(CallPath<?> other) {
        return path == other;
    }

    /**
     * Begins an attempt on the node; complete it like any other.
     *
     * @return the running attempt, counted in flight on the node
     */
    public Attempt<E> begin() {
        long now = path.ticker().read();
        path.beginBound(state, now);
        // work bound to a node is never refused by the concurrency limit, nor counted by it
        return new Attempt<>(path, state, 1, now, true, false).observed(AttemptObserver.Kind.BOUND);
    }

    /**
     * Begins an attempt on the node like {@link #begin()}, with no object to carry it: the form for a
     * hot path (each statement of a pooled connection) where an attempt object would be allocated.
     * End it with {@link #end(long, Outcome)}, exactly once.
     *
     * @return the attempt's start, the router's {@link Ticker} reading, for {@link #end(long, Outcome)}
     */
    public long start() {
        long now = path.ticker().read();
        path.beginBound(state, now);
        aheadAtStart = state.aheadAtBegin();
        return now;
    }

    /**
     * Ends an attempt begun with {@link #start()}, as {@link Attempt#complete(Outcome)} would.
     *
     * @param startNanos what {@link #start()} returned
     * @param outcome how the attempt ended
     * @throws NullPointerException if {@code outcome} is null
     */
    public void end(long startNanos, Outcome outcome) {
        if (outcome == null) {
            throw new NullPointerException("outcome");
        }
        // whether the node was folded cannot change while this attempt is in flight: read now as at start; the count
        // found at the start teaches the node's load growth, as an attempt's does (without it every JDBC node counted
        // each call in flight as a whole solo latency, and a replica serving four statements side by side with four
        // reads waiting for a connection looked five times its speed: benchmarks/REALSOCKETS-JDBC.md)
        path.completed(state, state.node(), 1, startNanos, outcome, 0, true, state.folded(), false, aheadAtStart);
    }

    /**
     * Says the work bound to the node is over (the connection closed). The router keeps no count of
     * open bindings (a removed node is folded into its totals once nothing runs on it, whatever is
     * still bound to it), so this has nothing to release and costs nothing. Attempts may still begin
     * after it; they are counted all the same. Idempotent.
     */
    @Override
    public void close() {
        // nothing to release: see the class comment
    }

    @Override
    public String toString() {
        return "BoundNode[router=" + path.name() + ", node=" + state.node().id() + "]";
    }
}
