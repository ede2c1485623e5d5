package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.GroupCandidates;
import io.smartqueryrouter.core.internal.NodeState;
import io.smartqueryrouter.core.spi.AttemptObserver;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One call over a router: the coordinator that makes every per-call decision, so that callers
 * ({@link Router#execute}, the OkHttp and JDBC adapters, your own) only do I/O and wait. It begins
 * the attempts, remembers the nodes tried, and when told how an attempt failed answers what
 * follows: retry on another node after a backoff, wait for the call's other attempts, or stop with
 * every attempt's failure attached and the reason. It also decides hedges, and it keeps the call's
 * deadline: no retry or hedge begins once it has passed, or when the time left is less than the
 * fastest untried node takes (its Peak-EWMA latency), and no backoff is waited that would outlast it.
 *
 * <pre>{@code
 * RoutedCall<URI> call = router.newCall();
 * Attempt<URI> attempt = call.begin();
 * while (true) {
 *     try {
 *         Response r = send(attempt.node().endpoint());
 *         attempt.complete(Outcome.SUCCESS);
 *         call.succeeded(attempt);
 *         return r;
 *     } catch (IOException e) {
 *         attempt.complete(Outcome.FAILURE);
 *         RoutedCall.Decision d = call.failed(attempt, e, sentAndUnsafe ? "POST was sent" : null);
 *         if (d.action() != RoutedCall.Action.RETRY) throw call.exception();
 *         if (!d.sleep()) {                       // interrupted while waiting
 *             call.cancel("interrupted");
 *             throw call.exception();
 *         }
 *         attempt = call.retry();
 *         if (attempt == null) throw call.exception();
 *     }
 * }
 * }</pre>
 *
 * <p>The rules, in order, when an attempt fails: a {@link Outcome#CLIENT_ERROR} ends the call at
 * once (any node would say the same); a {@link Outcome#CANCELLED} attempt, a request the caller
 * says may not be repeated, or a failure the {@link RetryPolicy#retryOn retry policy} does not
 * retry is not retried; nor is one past {@code maxAttempts} (the first attempt and its retries;
 * hedges not counted), or one whose deadline has passed or would pass during the backoff.
 * Otherwise the answer is {@link Action#RETRY} after the policy's backoff; {@link #retry()} then
 * begins the attempt if the retry budget allows and an untried node is left. When a failure is not
 * retried but other attempts of the call still run, the answer is {@link Action#WAIT}.
 *
 * <p>Thread-safe; its methods are short and never wait (a listener registered on the router is
 * called from within them: keep listeners quick). Each attempt it begins must be
 * completed ({@link Attempt#complete}) and then reported, by {@link #succeeded} or {@link #failed},
 * unless the call is already over (then complete it as {@link Outcome#CANCELLED}).
 *
 * @param <E> the endpoint type
 */
public final class RoutedCall<E> {
    /** What a call does after a failed attempt. */
    public enum Action {
        /** Wait {@link Decision#delayNanos()}, then begin the retry with {@link RoutedCall#retry()}. */
        RETRY,
        /** Nothing now: other attempts of the call still run, or a retry is pending; the call goes on. */
        WAIT,
        /** The call is over: fail it with {@link RoutedCall#exception()} (cancel what still runs). */
        STOP
    }

    /**
     * The decision after a failed attempt.
     *
     * @param action what to do
     * @param delayNanos the backoff before the retry, for {@link Action#RETRY}; 0 otherwise
     * @param reason why the failure is not retried, for {@link Action#WAIT} and {@link Action#STOP}; null for a retry
     */
    public record Decision(Action action, long delayNanos, String reason) {
        /**
         * Waits this decision's backoff on the calling thread (nothing for a zero delay).
         *
         * @return false if the thread was interrupted while waiting (its interrupt flag is set again)
         */
        public boolean sleep() {
            if (delayNanos <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(delayNanos);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private final CallPath<E> path;
    private final Predicate<? super Node<E>> eligible;
    /** The kept candidates when the filter is a group of this router, else null. */
    private final GroupCandidates<E> group;
    private final long deadlineNanos;
    private final boolean hasDeadline;
    private boolean timed = true;

    // guarded by this
    /** The node state of the first attempt: most calls make one, so no array until a second. */
    private Object firstTried;
    /** The node states tried, once there are two or more; null before. */
    private Object[] tried;
    /** Whether the call's attempts count against the router's concurrency limit: timed calls of a limited router. */
    private boolean limited;
    private int triedCount;
    private int numbers;
    private int firstAndRetries;
    private int hedges;
    /** The number of the attempt the call's first hedge hedged, 0 before one began or if the router does not weigh hedges. */
    private int hedgedNumber;
    /** Bit n set: attempt n was a hedge (attempts 1 to 63). */
    private long hedgeNumbers;
    private int running;
    private int pendingRetries;
    private boolean begun;
    private boolean done;
    private Node<E> lastBegun;
    private long lastBegunNanos;
    private Node<E> lastFailed;
    private List<NodeAttemptException> failures;
    private String stopReason;
    private String noHedgeReason;
    /** Why the latest retry or hedge may not go; scratch for the methods that decide it. */
    private String refusal;

    RoutedCall(CallPath<E> path, Predicate<? super Node<E>> eligible, Duration timeout) {
        this.path = path;
        this.eligible = eligible;
        this.group = groupOf(path, eligible);
        if (timeout != null) {
            Checks.positive("timeout", timeout);
            long nanos = saturatedNanos(timeout);
            this.hasDeadline = nanos != Long.MAX_VALUE;
            this.deadlineNanos = path.ticker().read() + nanos;
        } else {
            this.hasDeadline = false;
            this.deadlineNanos = 0;
        }
    }

    @SuppressWarnings("unchecked")
    static <E> GroupCandidates<E> groupOf(CallPath<E> path, Predicate<?> eligible) {
        return eligible instanceof NodeGroup<?> g && g.path == path ? ((NodeGroup<E>) g).candidates : null;
    }

    /**
     * Makes the call's attempts record no latency sample: for work whose duration says nothing of
     * how fast the node serves calls, such as taking a connection from a local pool. In-flight,
     * outcomes, consecutive failures and ejection work as usual, and a failure still raises the
     * node's cost to at least the router's prior. Call it before {@link #begin()}.
     *
     * @return this call
     * @throws IllegalStateException if the call has begun
     */
    public synchronized RoutedCall<E> untimed() {
        if (begun) {
            throw new IllegalStateException("router '" + path.name() + "': untimed() must come before begin()");
        }
        timed = false;
        return this;
    }

    /**
     * Begins the call's first attempt on the node the policy chooses among the available nodes the
     * call's filter accepts (failing open to any registered node it accepts when none is available).
     *
     * <p>On a router with a {@link ConcurrencyLimit}, a timed call whose first attempt would go
     * beyond the limit is refused at once, and nothing is sent.
     *
     * @return the attempt; complete it, then report it
     * @throws ConcurrencyLimitExceededException if the router is at its concurrency limit
     * @throws NoAvailableNodeException if no registered node is accepted
     * @throws IllegalStateException if the router is closed, or the call has begun already
     */
    public Attempt<E> begin() {
        long now = path.ticker().read();
        synchronized (this) {
            if (begun) {
                throw new IllegalStateException("router '" + path.name() + "': the call has begun already");
            }
            begun = true;
            limited = timed && path.limits();
            NodeState<E> chosen = path.first(eligible, group, now, limited);
            firstAndRetries = 1;
            return started(chosen, now, AttemptObserver.Kind.FIRST);
        }
    }

    /**
     * Makes the first attempt that {@link Router#bindFirst} began, still running, this call's first
     * attempt, as if {@link #begin()} had begun it: for a first attempt that failed and should fail over
     * (the call's filter should be the one {@code bindFirst} was given). The call becomes
     * {@link #untimed() untimed}, as the attempt is; the binding is closed (no work follows on its node).
     * Complete the returned attempt and report it like any other, with {@link #failed} or {@link #succeeded}.
     *
     * @param first a binding of this router whose first attempt still runs
     * @return the attempt, numbered 1, not yet completed
     * @throws IllegalArgumentException if the binding is another router's
     * @throws IllegalStateException if the call has begun already, or the binding's first attempt was ended
     *     or adopted already (or it has none)
     * @throws NullPointerException if {@code first} is null
     */
    public Attempt<E> adopt(BoundNode<E> first) {
        Objects.requireNonNull(first, "first");
        if (!first.of(path)) {
            throw new IllegalArgumentException("router '" + path.name() + "': " + first + " is not a binding of this router");
        }
        synchronized (this) {
            if (begun) {
                throw new IllegalStateException("router '" + path.name() + "': the call has begun already");
            }
            first.takeFirst();
            begun = true;
            timed = false;
            limited = false;
            firstAndRetries = 1;
            firstTried = first.state();
            triedCount = 1;
            running = 1;
            lastBegun = first.node();
            Attempt<E> attempt = new Attempt<>(path, first.state(), ++numbers, first.firstStartNanos(), false, false)
                    .observedAs(first.takeFirstObserved());
            first.close();
            return attempt;
        }
    }

    private Attempt<E> started(NodeState<E> chosen, long now, AttemptObserver.Kind kind) {
        if (triedCount == 0) {
            firstTried = chosen;
        } else {
            if (tried == null) {
                tried = new Object[4];
                tried[0] = firstTried;
            } else if (triedCount == tried.length) {
                tried = Arrays.copyOf(tried, triedCount * 2);
            }
            tried[triedCount] = chosen;
        }
        triedCount++;
        running++;
        lastBegun = chosen.node();
        lastBegunNanos = now;
        return new Attempt<>(path, chosen, ++numbers, now, timed, limited).observed(kind);
    }

    /**
     * Reports that an attempt succeeded: the call is over. Other attempts still running lost;
     * complete them as {@link Outcome#CANCELLED}.
     *
     * @param attempt the attempt that succeeded, already completed
     * @throws IllegalArgumentException if the attempt is not completed
     * @throws NullPointerException if {@code attempt} is null
     */
    public synchronized void succeeded(Attempt<E> attempt) {
        requireCompleted(attempt);
        requireRunning(attempt);
        running--;
        if (hedgedNumber != 0 && !done) {
            // a hedge answered, or the attempt it hedged did; a retry that answered says neither
            int n = attempt.number();
            boolean hedgeWon = n < Long.SIZE && (hedgeNumbers & (1L << n)) != 0;
            if (hedgeWon || n == hedgedNumber) {
                path.hedgedCallSucceeded(hedgeWon);
            }
        }
        done = true;
    }

    /**
     * Reports that an attempt failed and decides what the call does next (see the class
     * documentation for the rules).
     *
     * @param attempt the attempt, already completed with an outcome other than {@code SUCCESS}
     * @param failure what it failed with (kept in the call's failures, naming the node)
     * @param notRepeatable why the request must not be sent again (the adapter's answer, e.g.
     *     "POST is not safe to repeat once sent"), or {@code null} when it may be
     * @return the decision
     * @throws IllegalArgumentException if the attempt is not completed, or completed as {@code SUCCESS}
     */
    public synchronized Decision failed(Attempt<E> attempt, Throwable failure, String notRepeatable) {
        Outcome outcome = requireCompleted(attempt);
        if (outcome == Outcome.SUCCESS) {
            throw new IllegalArgumentException("router '" + path.name() + "': attempt " + attempt.number()
                    + " succeeded; report it with succeeded()");
        }
        Objects.requireNonNull(failure, "failure");
        requireRunning(attempt);
        running--;
        if (failures == null) {
            failures = new ArrayList<>(2);
        }
        failures.add(new NodeAttemptException(path.name(), attempt.node().id(), attempt.number(), outcome, failure));
        if (done) {
            return new Decision(Action.STOP, 0, stopReason);
        }
        lastFailed = attempt.node();
        RetryPolicy retry = path.retryPolicy();
        String why = null;
        long backoff = 0;
        if (notRepeatable != null) {
            // the adapter's own reason is the most precise one ("the executor refused the attempt", "POST was sent")
            why = notRepeatable;
        } else if (outcome == Outcome.CANCELLED) {
            why = Thread.currentThread().isInterrupted() ? "interrupted" : "the call was cancelled";
        } else if (!outcome.isRetryable()) {
            why = outcome + " is not retried";
        } else if (!retry.retryOn(failure)) {
            why = "the retry policy does not retry " + failure.getClass().getSimpleName();
        } else if (firstAndRetries + pendingRetries >= retry.maxAttempts()) {
            why = "max attempts " + retry.maxAttempts() + " reached";
        } else {
            backoff = retry.backoffNanos(firstAndRetries, path.random());
            long left = remainingNanos();
            if (left <= 0) {
                why = "the call's deadline passed";
            } else if (backoff >= left) {
                why = "the call's deadline leaves no time for the backoff";
            }
        }
        if (why == null) {
            pendingRetries++;
            return new Decision(Action.RETRY, backoff, null);
        }
        stopReason = why;
        // the caller's fault ends the call even while hedges run: every node would say the same
        if (outcome == Outcome.CLIENT_ERROR || (running == 0 && pendingRetries == 0)) {
            done = true;
            return new Decision(Action.STOP, 0, why);
        }
        return new Decision(Action.WAIT, 0, why);
    }

    /**
     * Begins the retry a {@link Action#RETRY} decision announced, once its backoff was waited: on
     * the best node not yet tried in the call, if the retry budget allows.
     *
     * @return the attempt, or {@code null} when the retry cannot go ("retry budget spent", "no
     *     untried node left", "the call's deadline passed", "router 'x' is closed", "the router is
     *     near its concurrency limit (...)"; see
     *     {@link #stopReason()}); then {@link #isDone()} says whether the call is over
     * @throws IllegalStateException if no retry decision is pending
     */
    public synchronized Attempt<E> retry() {
        if (pendingRetries == 0) {
            throw new IllegalStateException("router '" + path.name()
                    + "': retry() needs a RETRY decision from failed() first");
        }
        pendingRetries--;
        if (done) {
            return null;
        }
        long now = path.ticker().read();
        Candidates candidates = untried(now);
        if (candidates != null && !admitExtra()) {
            candidates = null;
        }
        if (candidates != null && !path.withdrawRetry(lastFailed, now)) {
            refusal = "retry budget spent";
            candidates = null;
            releaseExtra();
        }
        if (candidates == null) {
            stopReason = refusal;
            done = running == 0 && pendingRetries == 0;
            return null;
        }
        firstAndRetries++;
        path.countRetry(lastFailed, numbers + 1);
        return started(path.chooseAdmitted(candidates, now, limited), now, AttemptObserver.Kind.RETRY);
    }

    /**
     * Returns how long, from the start of the latest attempt, the call should wait for an answer
     * before it is hedged ({@link #hedge()}): see {@link HedgePolicy}. {@link Long#MAX_VALUE}
     * when hedging is off. Asking also hands the router's count of calls to the hedge budget.
     *
     * @return the hedge delay in the router's ticker nanoseconds, or {@link Long#MAX_VALUE} without hedging
     */
    public long hedgeDelayNanos() {
        return path.hedgeDelayNanos();
    }

    /**
     * Begins a hedge: another attempt of the same request on a node not yet tried in the call,
     * while an attempt still runs. Call it when the call waited {@link #hedgeDelayNanos()} without
     * an answer, and only if repeating the request is safe. The first answer wins.
     *
     * @return the hedge, or {@code null} when none may go; {@link #noHedgeReason()} says why
     *     ("hedging disabled", "the call is over", "no attempt is running", "max hedges 1 reached",
     *     "node 'a' answered since the attempt began", "node 'a' silent 20000 us, under 3 x its average 15000 us",
     *     "hedges rarely win on this router: ...",
     *     "router 'x' is closed", "the call's deadline passed", "no untried node left", "every untried node is
     *     as slow: ...", "the router is
     *     near its concurrency limit (...)", "hedge budget spent")
     */
    public synchronized Attempt<E> hedge() {
        long now = path.ticker().read();
        int maxHedges = path.hedgePolicy().maxHedges();
        Candidates candidates = null;
        if (!path.hedging()) {
            refusal = "hedging disabled";
        } else if (done) {
            refusal = "the call is over";
        } else if (running == 0) {
            refusal = "no attempt is running";
        } else if (hedges >= maxHedges) {
            refusal = "max hedges " + maxHedges + " reached";
        } else if ((refusal = path.hedgeRefusal(latestTried(), lastBegunNanos, now)) != null) {
            // the node of the latest attempt answers others, or has not been silent long: this call is slow, not the node
        } else {
            candidates = untried(now);
            if (candidates != null && (refusal = asSlowElsewhere(candidates, now)) != null) {
                candidates = null;
            }
            if (candidates != null && hedges == 0 && (refusal = path.unpaidHedgeRefusal()) != null) {
                candidates = null;
            }
            if (candidates != null && !admitExtra()) {
                candidates = null;
            }
            if (candidates != null && !path.withdrawHedge(now)) {
                refusal = "hedge budget spent";
                candidates = null;
                releaseExtra();
            }
        }
        if (candidates == null) {
            noHedgeReason = refusal;
            return null;
        }
        hedges++;
        Node<E> from = lastBegun;
        // the latest attempt begun, the one this hedges
        int hedged = numbers;
        Attempt<E> hedge = started(path.chooseAdmitted(candidates, now, limited), now, AttemptObserver.Kind.HEDGE);
        if (path.weighsHedges()) {
            if (hedgedNumber == 0) {
                hedgedNumber = hedged;
            }
            if (hedge.number() < Long.SIZE) {
                hedgeNumbers |= 1L << hedge.number();
            }
        }
        path.registry().listener().onHedge(path.name(), from, hedge.node(), hedge.number());
        return hedge;
    }

    /**
     * A hedge goes only to a node expected to answer in under 1 / this of the time the running attempt's node
     * has been silent: its Peak-EWMA, the fastest untried node's.
     */
    static final int HEDGE_GAIN = 2;

    /** The node of the latest attempt begun. */
    @SuppressWarnings("unchecked") // tried holds the NodeStates of this router's attempts
    private NodeState<E> latestTried() {
        return (NodeState<E>) (tried == null ? firstTried : tried[triedCount - 1]);
    }

    /**
     * Why a hedge to {@code candidates} would not pay, or null: a hedge pays only where another node answers
     * well before the silent one will; when every untried node takes as long (the whole service is slow: an
     * overload, a shared fault) it adds load where there is none to spare and does not come back sooner
     * (benchmarks/SIMULATION.md, "Hedging").
     */
    private String asSlowElsewhere(Candidates candidates, long now) {
        long waitingSince = latestTried().waitingSinceNanos();
        if (waitingSince == Long.MIN_VALUE) {
            return null;
        }
        double fastest = fastestNanos(candidates, now);
        if (HEDGE_GAIN * fastest <= now - waitingSince) {
            return null;
        }
        return "every untried node is as slow: the fastest takes " + millis((long) fastest)
                + " ms, the running attempt's node has been silent " + millis(now - waitingSince) + " ms";
    }

    /**
     * Admits a retry or hedge by the router's concurrency limit (always, for a call it does not
     * limit); else says why not in {@link #refusal}. Retries and hedges stop before first attempts do.
     */
    private boolean admitExtra() {
        if (!limited) {
            return true;
        }
        String why = path.admitExtra();
        if (why != null) {
            refusal = why;
            return false;
        }
        return true;
    }

    /** Gives back what {@link #admitExtra} took, for an extra attempt that does not go after all. */
    private void releaseExtra() {
        if (limited) {
            path.releaseAdmitted();
        }
    }

    /**
     * Returns the nodes another attempt of the call may go to now (available and untried first,
     * then, failing open, any untried one), or null after saying why in {@link #refusal}.
     */
    private Candidates untried(long now) {
        if (path.isClosed()) {
            refusal = "router '" + path.name() + "' is closed";
            return null;
        }
        if (hasDeadline && deadlineNanos - now <= 0) {
            refusal = "the call's deadline passed";
            return null;
        }
        Object[] triedNodes = tried != null ? tried : triedCount == 0 ? null : new Object[] {firstTried};
        Candidates candidates = path.filter(path.registry().view(now), triedNodes, eligible);
        if (candidates.isEmpty()) {
            refusal = "no untried node left";
            return null;
        }
        if (hasDeadline) {
            long left = deadlineNanos - now;
            double fastest = fastestNanos(candidates, now);
            if (fastest > left) {
                refusal = "the call's deadline leaves " + millis(left) + " ms, less than the fastest untried node takes ("
                        + millis((long) fastest) + " ms)";
                return null;
            }
        }
        return candidates;
    }

    /**
     * The least Peak-EWMA latency among the candidates: what another attempt takes at best. A node
     * with no sample yet could be fast, so it counts as 0.
     */
    private static double fastestNanos(Candidates candidates, long now) {
        double fastest = Double.MAX_VALUE;
        for (int i = 0; i < candidates.size() && fastest > 0; i++) {
            NodeStats s = candidates.get(i);
            fastest = Math.min(fastest, s.hasLatencySample() ? s.peakEwmaNanos(now) : 0);
        }
        return fastest;
    }

    private static String millis(long nanos) {
        return Long.toString(TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    /**
     * Ends the call because its caller gave up (interrupted, cancelled, timed out while waiting).
     * Attempts still running must be completed as {@link Outcome#CANCELLED} by whoever runs them.
     *
     * @param reason why, for {@link #exception()}
     */
    public synchronized void cancel(String reason) {
        if (!done) {
            done = true;
            stopReason = Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@return whether the call is over: an attempt succeeded, or it stopped} */
    public synchronized boolean isDone() {
        return done;
    }

    /** {@return why the call stopped or the latest retry did not go, or {@code null} while neither happened} */
    public synchronized String stopReason() {
        return stopReason;
    }

    /** {@return why the latest {@link #hedge()} gave nothing, or {@code null} if no hedge was refused yet} */
    public synchronized String noHedgeReason() {
        return noHedgeReason;
    }

    /**
     * {@return the failed attempts so far, in the order reported, each naming its node; an
     * unmodifiable copy, empty if none failed}
     */
    public synchronized List<NodeAttemptException> failures() {
        return failures == null ? List.of() : List.copyOf(failures);
    }

    /** {@return how many attempts the call has begun, hedges included} */
    public synchronized int attempts() {
        return numbers;
    }

    /**
     * Returns the time left before the call's deadline, in the router's ticker nanoseconds
     * ({@link Long#MAX_VALUE} without one; zero or less once passed).
     *
     * @return the nanoseconds left, {@link Long#MAX_VALUE} without a deadline, zero or negative once it passed
     */
    public long remainingNanos() {
        return hasDeadline ? deadlineNanos - path.ticker().read() : Long.MAX_VALUE;
    }

    /**
     * Returns the exception for a call that failed: every failed attempt attached, naming its node,
     * and why no further attempt was made.
     *
     * @return a new exception whose cause is the latest failure; the caller throws it
     * @throws IllegalStateException if no attempt has failed
     */
    public synchronized AttemptsFailedException exception() {
        if (failures == null) {
            throw new IllegalStateException("router '" + path.name() + "': no attempt of the call has failed");
        }
        return new AttemptsFailedException(path.name(), failures, stopReason != null ? stopReason : "no attempt left");
    }

    /** Each attempt is reported once: a second report would leave the call waiting for attempts that never come. */
    private void requireRunning(Attempt<E> attempt) {
        if (running <= 0) {
            throw new IllegalStateException("router '" + path.name() + "': attempt " + attempt.number()
                    + " was reported already, or is not an attempt of this call");
        }
    }

    private Outcome requireCompleted(Attempt<E> attempt) {
        Outcome outcome = Objects.requireNonNull(attempt, "attempt").outcome();
        if (outcome == null) {
            throw new IllegalArgumentException("router '" + path.name() + "': attempt " + attempt.number()
                    + " on node '" + attempt.node().id() + "' must be completed before it is reported");
        }
        return outcome;
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @Override
    public synchronized String toString() {
        return "RoutedCall[router=" + path.name() + ", attempts=" + numbers + (done ? ", done" : "")
                + (stopReason == null ? "" : ", stop=" + stopReason) + "]";
    }
}
