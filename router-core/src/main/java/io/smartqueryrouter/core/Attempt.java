package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.HedgeState;
import io.smartqueryrouter.core.internal.NodeState;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.Predicate;

/**
 * One attempt of a call on one node: the unit adapters work with. {@link Router#begin()} chooses
 * the node and starts the clock; the adapter does its I/O on {@link #node()} and reports with
 * {@link #complete(Outcome)}; on a failure that is safe to repeat it asks {@link #retry()} for the
 * next attempt, which goes to a node not yet tried in this call.
 *
 * <pre>{@code
 * Attempt<URI> attempt = router.begin();
 * while (true) {
 *     try {
 *         Response r = send(attempt.node().endpoint());
 *         attempt.complete(Outcome.SUCCESS);
 *         return r;
 *     } catch (IOException e) {
 *         attempt.complete(Outcome.FAILURE);
 *         Optional<Attempt<URI>> next = attempt.retry();
 *         if (next.isEmpty()) throw e;
 *         attempt = next.get();
 *     }
 * }
 * }</pre>
 *
 * <p>Every attempt must be completed exactly once, or the node's in-flight count stays raised. An
 * attempt is used by one thread at a time; it may be completed on another thread than the one
 * that began it. The exception is {@link #hedge()}, which a timer thread may call while another
 * thread runs the attempt.
 *
 * @param <E> the endpoint type
 */
public final class Attempt<E> {
    private final Router<E> router;
    private final NodeState<E> state;
    private final Node<E> node;
    private final int number;
    private final Attempt<E> previous;
    private final Predicate<? super Node<E>> eligible;
    private final long startNanos;
    private final boolean pinned;
    private Outcome outcome;
    /**
     * What this attempt records off the call path (why a retry or hedge was refused, the state its
     * call shares once hedged); null until then, the common case. One field, so an attempt stays
     * as small as it was before hedging existed (56 bytes).
     */
    private volatile Notes notes;

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<Attempt, Notes> NOTES =
            AtomicReferenceFieldUpdater.newUpdater(Attempt.class, Notes.class, "notes");

    private static final class Notes {
        volatile HedgeState call;
        volatile String noRetryReason;
        volatile String noHedgeReason;

        Notes(HedgeState call) {
            this.call = call;
        }
    }

    Attempt(Router<E> router, NodeState<E> state, int number, Attempt<E> previous,
            Predicate<? super Node<E>> eligible, long startNanos, boolean pinned) {
        this.router = router;
        this.state = state;
        this.node = state.node();
        this.number = number;
        this.previous = previous;
        this.eligible = eligible;
        this.startNanos = startNanos;
        this.pinned = pinned;
    }

    /** An attempt of a call whose attempts share {@code call} (a hedged call). */
    Attempt(Router<E> router, NodeState<E> state, int number, Attempt<E> previous,
            Predicate<? super Node<E>> eligible, long startNanos, HedgeState call) {
        this.router = router;
        this.state = state;
        this.node = state.node();
        this.number = number;
        this.previous = previous;
        this.eligible = eligible;
        this.startNanos = startNanos;
        this.pinned = false;
        this.notes = new Notes(call);
    }

    private Notes notes() {
        Notes n = notes;
        if (n != null) {
            return n;
        }
        n = new Notes(null);
        return NOTES.compareAndSet(this, null, n) ? n : notes;
    }

    /** Returns the node this attempt goes to. */
    public Node<E> node() {
        return node;
    }

    /** Returns this attempt's number within its call, from 1. */
    public int number() {
        return number;
    }

    /** Returns the router's ticker reading when the attempt began. */
    public long startNanos() {
        return startNanos;
    }

    /** Returns the outcome, or {@code null} while the attempt runs. */
    public Outcome outcome() {
        return outcome;
    }

    /**
     * Ends the attempt: records the latency since it began (unless cancelled), lowers the node's
     * in-flight count, counts the outcome, and ejects the node if it failed too often in a row.
     *
     * @throws NullPointerException if {@code outcome} is null
     * @throws IllegalStateException if the attempt was already completed
     */
    public void complete(Outcome outcome) {
        // the whole path inline here, passing fields rather than this: the JIT then inlines this small
        // method into the caller and can scalar-replace an attempt that never leaves it (0 bytes per call)
        if (outcome == null || this.outcome != null) {
            throw completeRefused(outcome);
        }
        this.outcome = outcome;
        router.completed(state, node, number, startNanos, outcome, 0, true);
    }

    /**
     * Ends the attempt like {@link #complete(Outcome)} and keeps the node out of rotation for
     * {@code coolDown} (capped by the router's {@code maxCoolDown}), as an HTTP {@code Retry-After}
     * asks. A running cool-down is extended, never shortened.
     *
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
        complete(outcome, coolDown.isZero() ? 0 : Math.max(1, saturatedNanos(coolDown)));
    }

    /**
     * Ends the attempt like {@link #complete(Outcome)} but without a latency sample: for work whose
     * duration says nothing of how fast the node serves calls, such as taking a connection from a
     * local pool. In-flight, counts, consecutive failures and ejection work as usual, and a failure
     * still raises the node's cost to at least the router's prior.
     *
     * @throws IllegalStateException if the attempt was already completed
     */
    public void completeUntimed(Outcome outcome) {
        complete(outcome, 0, false);
    }

    private void complete(Outcome outcome, long coolDownNanos) {
        complete(outcome, coolDownNanos, true);
    }

    private void complete(Outcome outcome, long coolDownNanos, boolean timed) {
        if (outcome == null || this.outcome != null) {
            throw completeRefused(outcome);
        }
        this.outcome = outcome;
        router.completed(state, node, number, startNanos, outcome, coolDownNanos, timed);
    }

    private RuntimeException completeRefused(Outcome requested) {
        if (requested == null) {
            return new NullPointerException("outcome");
        }
        return new IllegalStateException("attempt " + number + " on node '" + node.id() + "' of router '"
                + router.name() + "' was already completed as " + this.outcome);
    }

    /**
     * Reports the load the node said it had while serving this attempt, as a server may in response
     * headers: its queue length and the time it spent on the work itself. Policies that model the
     * server's queue ({@code c3}) use them; others ignore them. Either value may be unknown: pass a
     * negative number for it. May be called before or after {@link #complete}; each call is one
     * sample of the node's moving averages.
     *
     * @param queueLength requests waiting or in service at the node, or negative if unknown
     * @param serviceTimeNanos the node's own time on this request, or negative if unknown
     */
    public void reportServerLoad(double queueLength, long serviceTimeNanos) {
        state.reportServerLoad(queueLength, serviceTimeNanos);
    }

    /**
     * Begins a new attempt on this attempt's node, outside any failover: for work that is bound
     * to the node once it was chosen, such as the statements run on a connection taken from it.
     * It counts like any attempt (in flight, latency, outcome, ejection) but never retries
     * elsewhere: its {@link #retry()} is always empty. It works even after the node was removed
     * from the router, or the router was closed, so work already bound to a node finishes and is
     * counted.
     */
    public Attempt<E> followUp() {
        return router.followUp(state);
    }

    /** Returns whether this attempt came from {@link #followUp()}, so it never fails over. */
    public boolean isFollowUp() {
        return pinned;
    }

    /**
     * Begins the next attempt of the same call, on a node not yet tried in it (by any attempt of
     * the call, its hedges included), if retries allow: fewer than {@code maxAttempts} attempts
     * made (hedges not counted), the retry budget not spent, and an untried node left. Call it
     * only when repeating the work is safe; this attempt must be completed first. A
     * {@linkplain #followUp() follow-up} attempt is never retried.
     *
     * @return the next attempt, or empty when no retry is allowed
     * @throws IllegalStateException if this attempt is not completed yet, or the router is closed
     */
    public Optional<Attempt<E>> retry() {
        if (outcome == null) {
            throw new IllegalStateException("attempt " + number + " on node '" + node.id() + "' of router '"
                    + router.name() + "' must be completed before it is retried");
        }
        if (pinned) {
            refuseRetry("a follow-up attempt never fails over");
            return Optional.empty();
        }
        return Optional.ofNullable(router.retry(this, eligible));
    }

    /**
     * Returns why the last {@link #retry()} of this attempt gave nothing ("max attempts 3 reached",
     * "retry budget spent", "no untried node left", ...), for messages; {@code null} before that.
     */
    public String noRetryReason() {
        Notes n = notes;
        return n == null ? null : n.noRetryReason;
    }

    void refuseRetry(String reason) {
        notes().noRetryReason = reason;
    }

    /**
     * Begins a hedge of this attempt's call: another attempt of the same request, on a node not yet
     * tried in the call and accepted by the call's filter, while this attempt is still in flight
     * (see {@link HedgePolicy}). Call it when the call has waited {@link Router#hedgeDelayNanos()}
     * without an answer, and only if repeating the work is safe. The first answer wins; complete
     * the other attempts as {@link Outcome#CANCELLED} (or with what they got, if they answered too).
     * The hedge counts like any attempt (in flight, latency, outcome); its number follows the
     * call's latest attempt.
     *
     * <p>Thread-safe: a timer thread may call it while another thread runs this attempt. Do not
     * call it while another thread calls {@link #retry()} on the same attempt.
     *
     * @return the hedge attempt, or empty when no hedge is allowed; {@link #noHedgeReason()} says why:
     *     "hedging disabled", "a follow-up attempt is never hedged", "the attempt already completed",
     *     "router 'x' is closed", "max hedges 1 reached", "no untried node left", "hedge budget spent"
     */
    public Optional<Attempt<E>> hedge() {
        if (!router.hedgePolicy().isEnabled()) {
            refuseHedge("hedging disabled");
            return Optional.empty();
        }
        if (pinned) {
            refuseHedge("a follow-up attempt is never hedged");
            return Optional.empty();
        }
        if (outcome != null) {
            refuseHedge("the attempt already completed");
            return Optional.empty();
        }
        return Optional.ofNullable(router.hedge(this, eligible));
    }

    /**
     * Returns why the last {@link #hedge()} of this attempt gave nothing, for messages; {@code null}
     * before that.
     */
    public String noHedgeReason() {
        Notes n = notes;
        return n == null ? null : n.noHedgeReason;
    }

    void refuseHedge(String reason) {
        notes().noHedgeReason = reason;
    }

    /** Returns the state this attempt's call shares among its attempts, or null if it has none yet. */
    HedgeState callStateIfAny() {
        Notes n = notes;
        return n == null ? null : n.call;
    }

    /** Returns the state this attempt's call shares among its attempts, creating it from this attempt's chain. */
    HedgeState callState() {
        Notes notes = notes();
        synchronized (notes) {
            if (notes.call == null) {
                int n = 0;
                for (Attempt<E> a = this; a != null; a = a.previous) {
                    n++;
                }
                Object[] nodes = new Object[n];
                int i = 0;
                for (Attempt<E> a = this; a != null; a = a.previous) {
                    nodes[i++] = a.state;
                }
                notes.call = new HedgeState(nodes, number);
            }
            return notes.call;
        }
    }

    /** Returns whether this attempt or an earlier one of its call went to the given node. */
    boolean tried(NodeState<?> candidate) {
        HedgeState c = callStateIfAny();
        if (c != null) {
            // it knows every attempt of the call, the concurrent ones too
            return c.tried(candidate);
        }
        for (Attempt<E> a = this; a != null; a = a.previous) {
            if (a.state == candidate) {
                return true;
            }
        }
        return false;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "Attempt[router=" + router.name() + ", node=" + node.id() + ", number=" + number
                + (outcome == null ? "" : ", outcome=" + outcome) + "]";
    }
}
