package io.smartqueryrouter.core.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the concurrent attempts of one call share once the call is hedged (or retried): the nodes
 * tried in it, the numbering of its attempts, and how many of them were the first attempt and its
 * retries (bounded by the retry policy's {@code maxAttempts}) and how many were hedges (bounded by
 * the hedge policy's {@code maxHedges}). Thread-safe: the attempts of a hedged call run on several
 * threads.
 */
public final class HedgeState {
    private volatile Object[] tried;
    private final AtomicInteger numbers;
    private final AtomicInteger firstAndRetries;
    private final AtomicInteger hedges = new AtomicInteger();

    /**
     * @param triedSoFar the node states the call has tried so far
     * @param attemptsSoFar the attempts the call made so far (the number of its latest attempt)
     */
    public HedgeState(Object[] triedSoFar, int attemptsSoFar) {
        this.tried = triedSoFar.clone();
        this.numbers = new AtomicInteger(attemptsSoFar);
        this.firstAndRetries = new AtomicInteger(attemptsSoFar);
    }

    /** Returns whether an attempt of the call went to {@code node} (compared by identity). */
    public boolean tried(Object node) {
        for (Object o : tried) {
            if (o == node) {
                return true;
            }
        }
        return false;
    }

    /** Records that an attempt of the call goes to {@code node}. */
    public synchronized void addTried(Object node) {
        Object[] old = tried;
        Object[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = node;
        tried = next;
    }

    /** Returns the number of the next attempt of the call. */
    public int nextNumber() {
        return numbers.incrementAndGet();
    }

    /** Counts a retry if fewer than {@code maxAttempts} first-or-retry attempts were made; returns whether it did. */
    public boolean tryReserveRetry(int maxAttempts) {
        return reserve(firstAndRetries, maxAttempts);
    }

    /** Gives back a retry reserved but not made. */
    public void releaseRetry() {
        firstAndRetries.decrementAndGet();
    }

    /** Returns the first attempt and the retries made so far. */
    public int firstAndRetries() {
        return firstAndRetries.get();
    }

    /** Counts a hedge if fewer than {@code maxHedges} were made; returns whether it did. */
    public boolean tryReserveHedge(int maxHedges) {
        return reserve(hedges, maxHedges);
    }

    /** Gives back a hedge reserved but not made. */
    public void releaseHedge() {
        hedges.decrementAndGet();
    }

    /** Returns the hedges made so far. */
    public int hedges() {
        return hedges.get();
    }

    private static boolean reserve(AtomicInteger count, int max) {
        while (true) {
            int n = count.get();
            if (n >= max) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }
}
