package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.spi.Candidates;
import java.util.function.Predicate;

/**
 * The candidates of a {@code NodeGroup}: worked out once per view of the router and per refresh of
 * the group, then shared by every call until either changes, so a call over the group filters
 * nothing and allocates nothing.
 *
 * @param <E> the endpoint type
 */
public final class GroupCandidates<E> {
    private final CallPath<E> path;
    private final Predicate<? super Node<E>> members;
    private volatile int stamp;
    private volatile Cached cached;

    /** The group's available and registered members under one view and stamp. */
    private record Cached(NodeRegistry.View view, int stamp, Candidates available, Candidates all) {
    }

    public GroupCandidates(CallPath<E> path, Predicate<? super Node<E>> members) {
        this.path = path;
        this.members = members;
    }

    /** The predicate's answers may have changed: the next call works the candidates out again. */
    public void refresh() {
        synchronized (this) {
            stamp++;
        }
    }

    /** The members a first attempt may go to under {@code v}: the available ones, else (failing open) any. */
    Candidates first(NodeRegistry.View v) {
        Cached c = current(v);
        return c.available.isEmpty() ? c.all : c.available;
    }

    /** The members that are available under {@code v}, perhaps none. */
    Candidates available(NodeRegistry.View v) {
        return current(v).available;
    }

    /** Returns how many members are available under the router's current view (no clock read). */
    public int available() {
        return current(path.registry().currentView()).available.size();
    }

    /** Returns how many members the router has. */
    public int registered() {
        return current(path.registry().currentView()).all.size();
    }

    private Cached current(NodeRegistry.View v) {
        Cached c = cached;
        int s = stamp;
        if (c != null && c.view == v && c.stamp == s) {
            return c;
        }
        // the stamp read before filtering: a refresh meanwhile leaves this entry stale, so the next call redoes it
        c = new Cached(v, s, path.filterOnly(v.available(), members), path.filterOnly(v.all(), members));
        cached = c;
        return c;
    }
}
