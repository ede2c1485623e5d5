package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.NodeState;

/**
 * Work bound to one node once it was chosen, such as the statements run on a connection taken
 * from it ({@link Router#bind}). Its attempts count like any (in flight, latency, outcome,
 * ejection) but are never routed: they always go to this node and never fail over. They work even
 * after the node was removed from the router, or the router was closed, so work already bound to
 * a node finishes and is counted. Thread-safe.
 *
 * @param <E> the endpoint type
 */
public final class BoundNode<E> {
    private final CallPath<E> path;
    private final NodeState<E> state;

    BoundNode(CallPath<E> path, NodeState<E> state) {
        this.path = path;
        this.state = state;
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
        path.beginBound(state);
        return new Attempt<>(path, state, 1, now, true);
    }

    @Override
    public String toString() {
        return "BoundNode[router=" + path.name() + ", node=" + state.node().id() + "]";
    }
}
