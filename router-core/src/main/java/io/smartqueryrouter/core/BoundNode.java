package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.NodeState;

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
    private final CallPath<E> path;
    private final NodeState<E> state;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

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
        return new Attempt<>(path, state, 1, now, true);
    }

    /**
     * Says the work bound to the node is over (the connection closed): once a removed node has no
     * open binding and nothing in flight, the router folds its counts into its totals and forgets it.
     * Attempts may still begin after it; they are counted all the same. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            state.bindings(-1);
        }
    }

    @Override
    public String toString() {
        return "BoundNode[router=" + path.name() + ", node=" + state.node().id() + "]";
    }
}
