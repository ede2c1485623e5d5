package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.NodeState;
import io.smartqueryrouter.core.spi.AttemptObserver;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Work bound to one node once it was chosen, such as the statements run on a connection taken
 * from it ({@link Router#bind}). Its attempts count like any (in flight, latency, outcome,
 * ejection) but are never routed: they always go to this node and never fail over. They work even
 * after the node was removed from the router, or the router was closed, so work already bound to
 * a node finishes and is counted. Close it when the work is over (a removed node's state is kept
 * until its bindings are closed). Thread-safe.
 *
 * @param <E> the endpoint type
 */
public final class BoundNode<E> implements AutoCloseable {
    private static final VarHandle CLOSED;

    static {
        try {
            CLOSED = MethodHandles.lookup().findVarHandle(BoundNode.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final CallPath<E> path;
    private final NodeState<E> state;
    /** Set once by {@link #close()}; a field, not an AtomicBoolean, so a binding is one small object. */
    @SuppressWarnings("unused") // through CLOSED
    private volatile boolean closed;

    BoundNode(CallPath<E> path, NodeState<E> state) {
        this.path = path;
        this.state = state;
        state.bindings(1);
    }

    /** {@return the node this work is bound to} */
    public Node<E> node() {
        return state.node();
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
        // whether the node was folded cannot change while this attempt is in flight: read now as at start
        path.completed(state, state.node(), 1, startNanos, outcome, 0, true, state.folded(), false);
    }

    /**
     * Says the work bound to the node is over (the connection closed): once a removed node has no
     * open binding and nothing in flight, the router folds its counts into its totals and forgets it.
     * Attempts may still begin after it; they are counted all the same. Idempotent.
     */
    @Override
    public void close() {
        if (CLOSED.compareAndSet(this, false, true)) {
            state.bindings(-1);
        }
    }

    @Override
    public String toString() {
        return "BoundNode[router=" + path.name() + ", node=" + state.node().id() + "]";
    }
}
