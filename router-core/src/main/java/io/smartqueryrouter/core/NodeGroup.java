package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.GroupCandidates;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A part of a router's nodes chosen by a predicate (a database's replicas, say) whose candidates the
 * router works out when its view changes (membership, health, ejection, cool-down), not on every call:
 * a call over the group ({@link Router#newCall(Predicate, java.time.Duration)} with the group as its
 * filter) then filters nothing and allocates nothing for it. Made by {@link Router#group(String, Predicate)}.
 *
 * <p>The predicate must answer the same for a node until {@link #refresh()} is called: call it when
 * what the predicate reads changes (a replica's lag crossed its limit, say). Thread-safe.
 *
 * <p>A group does not panic ({@link OutlierEjection#panicThreshold()} is for calls over the whole
 * router): a call over it goes to its available members, and to any member only when none is
 * available, so its owner can choose another group first (the JDBC data source reads from the
 * primary before it tries replicas it knows are down).
 *
 * @param <E> the endpoint type
 */
public final class NodeGroup<E> implements Predicate<Node<E>> {
    final CallPath<E> path;
    final GroupCandidates<E> candidates;
    private final Predicate<? super Node<E>> members;
    private final String name;

    NodeGroup(CallPath<E> path, String name, Predicate<? super Node<E>> members) {
        this.path = path;
        this.name = name;
        this.members = members;
        this.candidates = new GroupCandidates<>(path, members);
    }

    /**
     * Tells whether a node belongs to the group.
     *
     * @param node a node of the router
     * @return what the group's predicate says
     */
    @Override
    public boolean test(Node<E> node) {
        return members.test(node);
    }

    /**
     * Says the predicate's answers may have changed: the next call over the group works its
     * candidates out again.
     */
    public void refresh() {
        candidates.refresh();
    }

    /**
     * Returns how many of the group's nodes a call may use: healthy, not ejected, not cooling down, as
     * of the router's current view. Cheap: read from the candidates kept for that view, without
     * reading the clock, so an ejection or cool-down whose time is up counts as running until the next
     * call over the router ends it.
     *
     * @return the number of available members, 0 or more
     */
    public int available() {
        return candidates.available();
    }

    /**
     * Returns how many of the router's nodes belong to the group, available or not.
     *
     * @return the number of members, 0 or more
     */
    public int registered() {
        return candidates.registered();
    }

    @Override
    public String toString() {
        return "NodeGroup[router=" + path.name() + ", " + name + "]";
    }

    static <E> NodeGroup<E> of(CallPath<E> path, String name, Predicate<? super Node<E>> members) {
        return new NodeGroup<>(path, Objects.requireNonNull(name, "name"), Objects.requireNonNull(members, "members"));
    }
}
