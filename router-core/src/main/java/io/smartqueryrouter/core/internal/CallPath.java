package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.ConcurrencyLimitExceededException;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.NoAvailableNodeException;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.AttemptObserver;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The call side of one router, shared by all its calls: asks the policy for a node and counts the
 * attempt, records each completion into the node's statistics, and holds what calls share (the
 * retry and hedge budgets, the adaptive hedge delay, the concurrency limit, the router's totals).
 * Per-call decisions are made by {@link io.smartqueryrouter.core.RoutedCall}, which reads and
 * spends from here.
 *
 * <p>{@link #choose} and {@link #completed} are the hot path: no lock, no allocation.
 *
 * @param <E> the endpoint type
 */
public final class CallPath<E> {
    /** The windows of the recent latencies the adaptive hedge delay reads: it sees 5 to 10 s of them. */
    private static final long RECENT_LATENCY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The hedge budget's window, and the hedges it always allows per window. */
    private static final int HEDGE_BUDGET_WINDOW_SECONDS = 1;
    private static final int HEDGE_BUDGET_RESERVE = 1;
    /**
     * The "now" of a binding's first attempt ({@link #bindFirst}) before anything needed the clock: the
     * clock is read only when something needs the time (see {@link #bindFirst}).
     */
    public static final long UNREAD = Long.MIN_VALUE;

    private final String name;
    private final NodeRegistry<E> registry;
    private final RoutingPolicy policy;
    /** The policy when it is {@code pool-ewma}, which may pick without the clock; else null. */
    private final PoolEwmaPolicy unreadPicks;
    private final Ticker ticker;
    private final RandomGenerator fixedRandom;
    private final RetryPolicy retryPolicy;
    private final CallBudget budget;
    private final double priorNanos;
    private final HedgePolicy hedgePolicy;
    /** Null when hedging is disabled: then no hedge code runs on any call path. */
    private final CallBudget hedgeBudget;
    /** Null unless the hedge delay is adaptive. */
    private final RecentLatency recentLatency;
    private final long hedgeFixedDelayNanos;
    private final long hedgeMinDelayNanos;
    private volatile boolean closed;
    /** Watches attempts for tracing; {@link AttemptObserver#NONE} unless set. */
    private volatile AttemptObserver observer = AttemptObserver.NONE;
    /** Null when the concurrency limit is off: then no limit code runs on any call path. */
    private final AdaptiveLimit limit;

    private final LongAdder retries = new LongAdder();
    private final LongAdder budgetRefusals = new LongAdder();
    private final LongAdder noAvailableNode = new LongAdder();
    private final LongAdder hedges = new LongAdder();
    private final LongAdder hedgeBudgetRefusals = new LongAdder();
    /**
     * Attempts of work bound to a node: not calls, so taken out of the calls the retry budget sees;
     * counted only when there is such a budget ({@link #limitedBudget}), since nothing else reads them.
     */
    private final LongAdder boundAttempts = new LongAdder();
    /**
     * Whether the retry budget is limited: then it looks at the calls begun ({@link #callsBegun()}) once a
     * second from a first attempt, which reads the clock for it, and bound attempts are counted for it.
     */
    private final boolean limitedBudget;
    /** First attempts, counted only while hedging is on: the hedge budget looks at them on every hedged call. */
    private final LongAdder hedgedCalls = new LongAdder();
    /** {@link #hedgePayoff()}'s bits. */
    private final AtomicLong hedgePayoffBits = new AtomicLong(Double.doubleToRawLongBits(1));
    /** The calls due a hedge while hedges rarely win: every {@link #HEDGE_TRIAL_EVERY}-th is hedged. */
    private final AtomicLong hedgeTrials = new AtomicLong();
    /** The hedges {@link #unpaidHedgeRefusal()} refused. */
    private final LongAdder unpaidHedgeRefusals = new LongAdder();
    /** Calls whose first attempt the concurrency limit refused; retries and hedges it refused. */
    private final LongAdder limitRejections = new LongAdder();
    private final LongAdder limitRefusedExtras = new LongAdder();

    /**
     * @param random a seeded generator to draw from, or null for the thread-local one
     */
    public CallPath(String name, NodeRegistry<E> registry, RoutingPolicy policy, Ticker ticker,
            RandomGenerator random, RetryPolicy retryPolicy, double priorNanos, HedgePolicy hedgePolicy,
            ConcurrencyLimit concurrencyLimit) {
        this.name = name;
        this.registry = registry;
        this.policy = policy;
        this.unreadPicks = policy instanceof PoolEwmaPolicy p ? p : null;
        this.ticker = ticker;
        this.fixedRandom = random;
        this.retryPolicy = retryPolicy;
        RetryBudget rb = retryPolicy.budget();
        int windowSeconds = (int) rb.window().getSeconds();
        this.budget = new CallBudget(rb.percent(), (long) rb.minRetriesPerSecond() * windowSeconds, windowSeconds,
                rb.isUnlimited(), ticker.read());
        this.limitedBudget = !rb.isUnlimited();
        this.priorNanos = priorNanos;
        this.hedgePolicy = hedgePolicy;
        this.limit = concurrencyLimit.isEnabled() ? new AdaptiveLimit(concurrencyLimit, ticker.read(), this::noNodeHasHeadroom)
                : null;
        if (hedgePolicy.isEnabled()) {
            this.hedgeBudget = new CallBudget(hedgePolicy.maxExtraPercent(), HEDGE_BUDGET_RESERVE,
                    HEDGE_BUDGET_WINDOW_SECONDS, false, ticker.read());
            this.recentLatency = hedgePolicy.isAdaptive() ? new RecentLatency(RECENT_LATENCY_WINDOW_NANOS) : null;
            this.hedgeFixedDelayNanos = hedgePolicy.fixedDelay().map(CallPath::saturatedNanos).orElse(0L);
            this.hedgeMinDelayNanos = saturatedNanos(hedgePolicy.minDelay());
        } else {
            this.hedgeBudget = null;
            this.recentLatency = null;
            this.hedgeFixedDelayNanos = Long.MAX_VALUE;
            this.hedgeMinDelayNanos = 0;
        }
    }

    /** Returns the router's name. */
    public String name() {
        return name;
    }

    /** Returns the router's ticker. */
    public Ticker ticker() {
        return ticker;
    }

    /** Returns the retry policy. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** Returns the hedge policy. */
    public HedgePolicy hedgePolicy() {
        return hedgePolicy;
    }

    /** Returns the node registry. */
    public NodeRegistry<E> registry() {
        return registry;
    }

    /** Returns the generator policies and backoff draw from. */
    public RandomGenerator random() {
        return fixedRandom != null ? fixedRandom : ThreadLocalRandom.current();
    }

    /** Refuses calls from now on. */
    public void close() {
        closed = true;
    }

    /** Returns whether the router is closed. */
    public boolean isClosed() {
        return closed;
    }

    /** @throws IllegalStateException if the router is closed */
    public void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("router '" + name + "' is closed");
        }
    }

    // ------------------------------------------------------------------ the hot path

    /**
     * Chooses the node of a call's first attempt among those {@code eligible} accepts (null: all),
     * failing open to any registered node when none is available, and counts the call in the retry
     * budget. A {@code limited} attempt is first admitted by the concurrency limit, if there is one.
     *
     * @param group the candidates of {@code eligible} kept between calls (a {@code NodeGroup}), or null:
     *     then the candidates are the group's, filtered once per view
     * @param limited whether the attempt counts against the concurrency limit (see {@link #limits()})
     * @throws ConcurrencyLimitExceededException if the attempt is limited and the limit is reached
     * @throws NoAvailableNodeException if no registered node is accepted
     * @throws IllegalStateException if the router is closed
     */
    public NodeState<E> first(Predicate<? super Node<E>> eligible, GroupCandidates<E> group, long now, boolean limited) {
        ensureOpen();
        if (!limited || limit == null) {
            return firstChoice(eligible, group, now);
        }
        if (!limit.tryAcquire(now)) {
            throw limitExceeded();
        }
        try {
            return firstChoice(eligible, group, now);
        } catch (RuntimeException | Error e) {
            limit.releaseUnused();
            throw e;
        }
    }

    private NodeState<E> firstChoice(Predicate<? super Node<E>> eligible, GroupCandidates<E> group, long now) {
        NodeRegistry.View v = registry.view(now);
        return firstAmong(firstCandidates(v, eligible, group), v, eligible, now, true);
    }

    private Candidates firstCandidates(NodeRegistry.View v, Predicate<? super Node<E>> eligible, GroupCandidates<E> group) {
        Candidates candidates = group != null ? group.first(v)
                : eligible == null && !v.routable().isEmpty() ? v.routable()
                : filter(v, null, eligible);
        if (candidates.isEmpty()) {
            throw noAvailableNode(v, eligible);
        }
        return candidates;
    }

    /**
     * The first attempt of a binding ({@code Router.bindFirst}): chosen as {@link #first} chooses for an
     * attempt the concurrency limit does not count, but reading the clock only when something needs the
     * time: a running ejection or cool-down whose end may have come, a limited retry budget's look, an
     * ejected node's open trial, or a pick among more than one candidate. The attempt is untimed and does
     * not start the node's wait for an answer (its silence): see {@link NodeState#beginUntimed()}.
     *
     * @param availableOnly whether to choose among the available members of {@code group} only (then null
     *     when there is none, nothing counted), rather than failing open to any node {@code eligible} accepts
     * @return the chosen node, counted in flight; null when {@code availableOnly} and none is available
     * @throws NoAvailableNodeException if no registered node is accepted (and not {@code availableOnly})
     * @throws IllegalStateException if the router is closed
     */
    public NodeState<E> bindFirst(Predicate<? super Node<E>> eligible, GroupCandidates<E> group, boolean availableOnly) {
        ensureOpen();
        long now = UNREAD;
        NodeRegistry.View v = registry.currentView();
        if (v.hasDeadline()) {
            now = ticker.read();
            v = registry.view(now);
        }
        Candidates candidates;
        if (availableOnly) {
            candidates = group.available(v);
            if (candidates.isEmpty()) {
                return null;
            }
        } else {
            candidates = firstCandidates(v, eligible, group);
        }
        return firstAmong(candidates, v, eligible, now, false);
    }

    /** {@code now}, or the clock's reading if it is {@link #UNREAD}. */
    private long read(long now) {
        return now != UNREAD ? now : ticker.read();
    }

    /**
     * The first attempt's node among {@code candidates} (not empty): the budget's look, an open trial, else the policy.
     *
     * @param waits whether the attempt starts the node's wait for an answer ({@code now} is then a reading)
     */
    private NodeState<E> firstAmong(Candidates candidates, NodeRegistry.View v, Predicate<? super Node<E>> eligible,
            long now, boolean waits) {
        if (limitedBudget) {
            now = read(now);
            if (budget.observeDue(now)) {
                // at the first call of each new second: the calls counted since the last look go to the retry budget
                budget.observe(callsBegun(), now);
            }
        }
        if (hedgeBudget != null) {
            hedgedCalls.increment();
        }
        NodeState<?> trial = v.trial();
        if (trial != null) {
            now = read(now);
            if (takesTrial(trial, eligible, now, waits)) {
                @SuppressWarnings("unchecked")
                NodeState<E> t = (NodeState<E>) trial;
                begin(t, now, waits);
                return t;
            }
        }
        // an untimed attempt (waits false) reads the clock only if the pick needs it: begin ignores now then
        return begin(pick(candidates, now), now, waits);
    }

    /** Whether this call takes the open trial of an ejected node (half-open): one call per trial interval. */
    private boolean takesTrial(NodeState<?> trial, Predicate<? super Node<E>> eligible, long now, boolean timed) {
        @SuppressWarnings("unchecked")
        Node<E> node = (Node<E>) trial.node();
        return (eligible == null || eligible.test(node)) && registry.claimTrial(trial, now, timed);
    }

    /**
     * Whether no node calls over the whole router may go to now has headroom: every one has a
     * Peak-EWMA above the threshold or failed its last attempt. A node without a sample (new, or back
     * from an outage) may have some. The concurrency limit asks this once per window before it
     * shrinks: if some node is fast, the slow calls are the policy's choice (a herd, a slow node's
     * share), and shedding calls would not cure that. A node whose last attempts failed is not fast
     * whatever its Peak-EWMA says (a failure raises it only to the prior, and an idle node's fades):
     * a crashed node that the policy stopped sending to before ejection took it out (or with ejection
     * off) kept the limit from ever shrinking while the nodes left queued, and every call then timed
     * out (the simulator's capacity-loss: the oracle failed 54% of calls; with ejection off the
     * default 19%, 10% with this test).
     */
    private boolean noNodeHasHeadroom(double thresholdNanos, long now) {
        Candidates c = registry.currentView().routable();
        for (int i = 0; i < c.size(); i++) {
            NodeStats s = c.get(i);
            if (!s.hasLatencySample() || s.consecutiveFailures() == 0 && s.peakEwmaNanos(now) <= thresholdNanos) {
                return false;
            }
        }
        return c.size() > 0;
    }

    /** Counts and reports a call the concurrency limit refused, and returns the exception to throw. */
    private ConcurrencyLimitExceededException limitExceeded() {
        limitRejections.increment();
        int l = limit.limit();
        // the refused attempt is uncounted already: what runs is at least the limit, unless some ended since
        int running = Math.max(l, limit.inFlight());
        registry.listener().onConcurrencyLimitExceeded(name, l, running);
        return new ConcurrencyLimitExceededException(name, l, running);
    }

    /** Counts and reports a call that found no node, and returns the exception to throw. */
    private NoAvailableNodeException noAvailableNode(NodeRegistry.View v, Predicate<? super Node<E>> eligible) {
        noAvailableNode.increment();
        registry.listener().onNoAvailableNode(name);
        return new NoAvailableNodeException(name, v.all().size(), v.healthy(), v.ejected(),
                v.all().isEmpty() ? "" : eligible != null ? "the call's filter accepts none of them" : "");
    }

    /**
     * The nodes a call may use: the available ones that {@code eligible} accepts and {@code tried}
     * does not hold, else (failing open) any registered one that passes both.
     *
     * @param tried the node states a call already tried, or null
     */
    public Candidates filter(NodeRegistry.View v, Object[] tried, Predicate<? super Node<E>> eligible) {
        Candidates c = filter(v.routable(), tried, eligible);
        return c.isEmpty() ? filter(v.all(), tried, eligible) : c;
    }

    /** The candidates of {@code from} that {@code eligible} accepts; {@code from} itself when it accepts all. */
    Candidates filterOnly(Candidates from, Predicate<? super Node<E>> eligible) {
        return filter(from, null, eligible);
    }

    private Candidates filter(Candidates from, Object[] tried, Predicate<? super Node<E>> eligible) {
        NodeState<?>[] kept = new NodeState<?>[from.size()];
        int n = 0;
        for (int i = 0; i < from.size(); i++) {
            @SuppressWarnings("unchecked")
            NodeState<E> s = (NodeState<E>) from.get(i);
            if (!contains(tried, s) && (eligible == null || eligible.test(s.node()))) {
                kept[n++] = s;
            }
        }
        return n == kept.length ? from : Candidates.of(java.util.Arrays.copyOf(kept, n));
    }

    private static boolean contains(Object[] tried, Object state) {
        if (tried != null) {
            for (Object o : tried) {
                if (o == state) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Asks the policy and counts the attempt on the chosen node. */
    public NodeState<E> choose(Candidates candidates, long now) {
        return begin(pick(candidates, now), now, true);
    }

    /**
     * Asks the policy (not for a single candidate). {@code now} may be {@link #UNREAD}: then the clock is read
     * for the policy, unless {@code pool-ewma} can order the candidates without it ({@link PoolEwmaPolicy#selectUnread}).
     */
    private NodeState<E> pick(Candidates candidates, long now) {
        int size = candidates.size();
        int i = size == 1 ? 0
                : now != UNREAD ? policy.select(candidates, now, random())
                : unreadPicks != null ? unreadPicks.selectUnread(candidates, ticker, random())
                : policy.select(candidates, ticker.read(), random());
        if (i < 0 || i >= size) {
            throw new IllegalStateException("router '" + name + "': policy '" + policy.name() + "' chose index " + i
                    + " of " + size + " candidates");
        }
        @SuppressWarnings("unchecked")
        NodeState<E> chosen = (NodeState<E>) candidates.get(i);
        return chosen;
    }

    /**
     * Asks the policy for the node of a retry or hedge already admitted by {@link #admitExtra},
     * and counts it; uncounts it from the limit if the policy throws.
     */
    public NodeState<E> chooseAdmitted(Candidates candidates, long now, boolean limited) {
        if (!limited || limit == null) {
            return choose(candidates, now);
        }
        try {
            return choose(candidates, now);
        } catch (RuntimeException | Error e) {
            limit.releaseUnused();
            throw e;
        }
    }

    /** Counts an attempt on a node already bound to the work (no choice, no failover). */
    public void beginBound(NodeState<E> state, long now) {
        if (limitedBudget) {
            boundAttempts.increment();
        }
        begin(state, now, true);
    }

    /**
     * Counts an attempt on {@code state}. The router's totals are the nodes' own counts (no
     * counter of its own on this path); on a node removed since, the registry decides under its lock.
     *
     * The attempt then reads {@code folded()} to know whether it is late.
     *
     * @param waits whether the attempt starts the node's wait for an answer at {@code now} (a binding's
     *     untimed first attempt does not, and {@code now} may then be {@link #UNREAD})
     * @return {@code state}
     */
    private NodeState<E> begin(NodeState<E> state, long now, boolean waits) {
        // in flight first, then the removal check: a fold (which needs nothing in flight) cannot slip between
        // (a node picked from a view read just before its removal counts with it; it cannot be folded yet)
        if (waits) {
            state.begin(now);
        } else {
            state.beginUntimed();
        }
        if (state.removed()) {
            registry.begunOnRemoved(state);
        }
        return state;
    }

    /**
     * Records an attempt's end; takes its fields rather than the attempt, so the attempt never escapes.
     *
     * @param limited whether the attempt was counted by the concurrency limit
     * @param ahead the router's other attempts the attempt found on its node when it began, or -1 if unknown
     */
    public void completed(NodeState<E> state, Node<E> node, int number, long startNanos, Outcome outcome,
            long coolDownNanos, boolean timed, boolean late, boolean limited, int ahead) {
        if (!timed) {
            // never limited (the limit counts timed attempts only)
            completedUntimed(state, node, number, startNanos, true, outcome, coolDownNanos, late);
            return;
        }
        long now = ticker.read();
        long latency = now - startNanos;
        int consecutive = state.complete(outcome, latency, now, ahead);
        if (limited) {
            limit.release(outcome, latency, now);
        }
        if (late) {
            registry.lateCompleted();
        }
        RouterListener l = registry.attemptListener();
        if (l != SafeListeners.NONE || coolDownNanos > 0 || consecutive > 0 || recentLatency != null
                || state.ejected()) {
            // out of line, so the common path stays small enough for the JIT to inline into Attempt.complete
            afterCompleted(l, state, node, number, outcome, latency, now, consecutive, coolDownNanos, true);
        }
    }

    /**
     * Records the end of an untimed attempt (see {@code RoutedCall.untimed()}): no latency sample, so
     * an answer (a success, a client error, a cancellation) reads no clock, unless a listener, a
     * cool-down or the node's ejection needs the time; a failure reads it to raise the node's cost.
     *
     * @param startKnown whether {@code startNanos} was kept; if not, a listener hears a duration of 0
     * Out of line from {@link #completed}: untimed attempts are not the loop the JIT must scalar-replace.
     */
    public void completedUntimed(NodeState<E> state, Node<E> node, int number, long startNanos, boolean startKnown,
            Outcome outcome, long coolDownNanos, boolean late) {
        boolean blames = outcome.blamesNode();
        // NodeState reads the time of an untimed outcome only when it blames the node
        long now = blames ? ticker.read() : 0;
        int consecutive = state.completeUntimed(outcome, now);
        if (late) {
            registry.lateCompleted();
        }
        RouterListener l = registry.attemptListener();
        if (l != SafeListeners.NONE || coolDownNanos > 0 || consecutive > 0 || state.ejected()) {
            if (!blames) {
                now = ticker.read();
            }
            // a start not kept (no listener was there as the attempt began): a listener added since hears 0
            afterCompleted(l, state, node, number, outcome, startKnown ? now - startNanos : 0, now, consecutive,
                    coolDownNanos, false);
        }
    }

    private void afterCompleted(RouterListener l, NodeState<E> state, Node<E> node, int number, Outcome outcome,
            long latency, long now, int consecutive, long coolDownNanos, boolean timed) {
        // an untimed attempt's duration is no latency sample, for the hedge delay either
        if (timed && recentLatency != null && outcome == Outcome.SUCCESS) {
            recentLatency.record(latency, now);
        }
        l.onAttemptCompleted(name, node, outcome, latency, number);
        boolean wasEjected = state.ejected();
        registry.afterCompleted(state, outcome, now, consecutive, coolDownNanos, latency);
        if (timed && limit != null && !wasEjected && outcome == Outcome.FAILURE && state.ejected()) {
            // this failure ejected its node: the limit gives the ejected share time to settle if it was an outlier's
            limit.outlierEjected(latency, now);
        }
    }

    /** {@return the attempt observer, {@link AttemptObserver#NONE} when there is none} */
    public AttemptObserver observer() {
        return observer;
    }

    /** Sets the attempt observer; {@link AttemptObserver#NONE} removes it. */
    public void observer(AttemptObserver observer) {
        this.observer = observer;
    }

    /** Tells the observer an attempt began; one that throws is logged and ignored (null: nothing more to tell). */
    public static AttemptObserver.Running attemptStarted(AttemptObserver observer, String router, Node<?> node, int number,
            AttemptObserver.Kind kind) {
        try {
            return observer.attemptStarted(router, node, number, kind);
        } catch (RuntimeException | Error e) {
            observerFailed(observer, "attemptStarted", e);
            return null;
        }
    }

    /** Tells an observed attempt's end; one that throws is logged and ignored. */
    public static void attemptEnded(AttemptObserver.Running running, Outcome outcome) {
        try {
            running.attemptEnded(outcome);
        } catch (RuntimeException | Error e) {
            observerFailed(running, "attemptEnded", e);
        }
    }

    private static void observerFailed(Object observer, String event, Throwable e) {
        if (e instanceof VirtualMachineError vmError) {
            throw vmError;
        }
        System.getLogger(CallPath.class.getName()).log(System.Logger.Level.WARNING, "attempt observer "
                + observer.getClass().getName() + " threw on " + event + "; ignored", e);
    }

    // ------------------------------------------------------------------ what calls spend

    /** {@return whether the router has a concurrency limit: then its timed calls' attempts count against it} */
    public boolean limits() {
        return limit != null;
    }

    /**
     * Admits a retry or hedge of a limited call if fewer attempts than the limit's share for them
     * run; counts a refusal.
     *
     * @return null if admitted (then it counts in flight until completed, or {@link #releaseAdmitted}),
     *     else why not, for the call's stop reason
     */
    public String admitExtra() {
        if (limit.tryAcquireExtra()) {
            return null;
        }
        limitRefusedExtras.increment();
        return "the router is near its concurrency limit (" + limit.inFlight() + " attempts in flight, limit "
                + limit.limit() + "; retries and hedges stop at " + limit.extraCap() + ")";
    }

    /** Uncounts a retry or hedge admitted by {@link #admitExtra} that did not begin after all. */
    public void releaseAdmitted() {
        limit.releaseUnused();
    }

    /**
     * Takes a retry from the budget; counts and reports a refusal.
     *
     * @return whether the retry may go
     */
    public boolean withdrawRetry(Node<E> failed, long now) {
        if (budget.tryWithdraw(callsBegun(), now)) {
            return true;
        }
        budgetRefusals.increment();
        registry.listener().onRetryBudgetExhausted(name, failed);
        return false;
    }

    /** Counts a retry about to begin, and reports it. */
    public void countRetry(Node<E> failed, int number) {
        retries.increment();
        registry.listener().onRetry(name, failed, number);
    }

    /**
     * Takes a hedge from the hedge budget and counts it (before the hedge's attempt is counted, so
     * calls begun never reads one too many); counts a refusal.
     *
     * @return whether the hedge may go
     */
    public boolean withdrawHedge(long now) {
        if (!hedgeBudget.tryWithdraw(hedgedCalls.sum(), now)) {
            hedgeBudgetRefusals.increment();
            return false;
        }
        hedges.increment();
        return true;
    }

    /**
     * Says why a call whose latest attempt began on {@code node} at {@code begunNanos} should not be
     * hedged now, or null if it should: a hedge only pays when the node stalls (a pause, a queue
     * behind a stuck call), not when the call's own work is long, since a hedge of a long call is
     * as long, and duplicating long work is what made hedging hurt (benchmarks/POLICIES.md). A node
     * that has answered any call (not a cancel) since the attempt began is not stalled; with an
     * adaptive delay, nor is one silent for less than {@value #STALL_FACTOR} times its average latency
     * (the plain EWMA, kept whenever the router hedges). The hedge would only add load. A fixed delay
     * is taken as the caller's own measure of a stall.
     *
     * @return the reason, or null
     */
    public String hedgeRefusal(NodeState<E> node, long begunNanos, long now) {
        long waitingSince = node.waitingSinceNanos();
        if (waitingSince == Long.MIN_VALUE) {
            return null;
        }
        if (waitingSince - begunNanos > 0) {
            return "node '" + node.node().id() + "' answered since the attempt began";
        }
        if (recentLatency == null) {
            // a fixed delay is the caller's own measure of a stall
            return null;
        }
        // the node's own average (the prior before any answer): against the router's median instead, long calls
        // (bimodal work) were hedged and p99 rose 12% (benchmarks/POLICIES.md)
        double usual = node.ewmaNanos();
        if (now - waitingSince < STALL_FACTOR * usual) {
            return "node '" + node.node().id() + "' silent " + (now - waitingSince) / 1000 + " us, under " + STALL_FACTOR
                    + " x its average " + (long) usual / 1000 + " us";
        }
        return null;
    }

    /**
     * Says why a call's first hedge, due by every other rule, should not go because the router's hedges rarely win,
     * or null if it should: with an adaptive delay, while under {@value #MIN_HEDGE_PAYOFF_PERCENT}% of its recent
     * hedged calls were answered by their hedge rather than by the attempt it hedged ({@link #hedgePayoff()}), only
     * one such call in {@value #HEDGE_TRIAL_EVERY} is hedged, so the payoff is measured again. Where a call's own work
     * is what takes long (some requests are heavy) its hedge repeats that work and the original, begun first,
     * answers first: such hedges only add load (benchmarks/POLICIES.md, "Hedges that do not win").
     *
     * @return the reason, or null
     */
    public String unpaidHedgeRefusal() {
        double payoff = hedgePayoff();
        if (recentLatency == null || payoff * 100 >= MIN_HEDGE_PAYOFF_PERCENT
                || hedgeTrials.incrementAndGet() % HEDGE_TRIAL_EVERY == 0) {
            return null;
        }
        unpaidHedgeRefusals.increment();
        return "hedges rarely win on this router: about " + (int) (payoff * 100) + "% of its recent hedged calls were "
                + "answered by the hedge, under " + MIN_HEDGE_PAYOFF_PERCENT + "%; one call in " + HEDGE_TRIAL_EVERY
                + " is still hedged";
    }

    /** {@return whether the router weighs its hedges' wins: with an adaptive delay} */
    public boolean weighsHedges() {
        return recentLatency != null;
    }

    /**
     * Of the router's recent hedged calls that succeeded on the hedged attempt or on a hedge, the share a hedge
     * answered: an exponentially weighted average over those calls, each moving it 1/{@value #HEDGE_PAYOFF_WEIGHT_INVERSE}
     * of the way; 1 before any. See {@link #unpaidHedgeRefusal()}.
     */
    public double hedgePayoff() {
        return Double.longBitsToDouble(hedgePayoffBits.get());
    }

    /** Counts a hedged call's success into {@link #hedgePayoff()}: {@code hedgeWon} if a hedge answered, not the hedged attempt. */
    public void hedgedCallSucceeded(boolean hedgeWon) {
        double sample = hedgeWon ? 1 : 0;
        while (true) {
            long bits = hedgePayoffBits.get();
            double p = Double.longBitsToDouble(bits);
            if (hedgePayoffBits.compareAndSet(bits, Double.doubleToRawLongBits(p + (sample - p) / HEDGE_PAYOFF_WEIGHT_INVERSE))) {
                return;
            }
        }
    }

    /** Below this {@link #hedgePayoff()}, in percent, a call is hedged only now and then ({@link #HEDGE_TRIAL_EVERY}). */
    static final int MIN_HEDGE_PAYOFF_PERCENT = 25;
    /** While hedges rarely win, one call in this many that would be hedged is, so the payoff is measured again. */
    static final int HEDGE_TRIAL_EVERY = 8;
    /** How many hedged calls {@link #hedgePayoff()} remembers, about. */
    static final int HEDGE_PAYOFF_WEIGHT_INVERSE = 16;

    /** A node counts as stalled, worth a hedge, once silent for this many times its average latency. */
    static final int STALL_FACTOR = 3;

    /** Returns whether hedging is on. */
    public boolean hedging() {
        return hedgeBudget != null;
    }

    /**
     * How long from now a call should wait for an answer before it is hedged: the fixed delay, or
     * the chosen percentile of recent successful latencies (at least the minimum delay; the
     * slowest recent one while too few are known; the prior before any); {@link Long#MAX_VALUE}
     * without hedging. Asking counts the router's calls for the hedge budget.
     */
    public long hedgeDelayNanos() {
        if (hedgeBudget == null) {
            return Long.MAX_VALUE;
        }
        long now = ticker.read();
        hedgeBudget.observe(hedgedCalls.sum(), now);
        if (recentLatency == null) {
            return hedgeFixedDelayNanos;
        }
        double percentile = hedgePolicy.percentile().orElse(0.95);
        long p = recentLatency.percentileNanos(percentile, now, hedgePolicy.minSamples());
        if (p < 0) {
            // too few latencies to trust this percentile: the slowest recent one (hedging later, never sooner)
            p = recentLatency.percentileNanos(1.0, now, 1);
        }
        return Math.max(hedgeMinDelayNanos, p >= 0 ? p : (long) priorNanos);
    }

    /** The calls begun so far: first attempts, derived from the counters the call path keeps anyway. */
    private long callsBegun() {
        // an attempt racing these reads may be off by one for a moment; the budget only ever grows by the count
        long extra = retries.sum() + hedges.sum() + boundAttempts.sum();
        return registry.attemptTotals()[1] - extra;
    }

    // ------------------------------------------------------------------ totals

    /** Returns retries begun. */
    public long retries() {
        return retries.sum();
    }

    /** Returns retries the budget refused. */
    public long budgetRefusals() {
        return budgetRefusals.sum();
    }

    /** Returns calls that found no node. */
    public long noAvailableNode() {
        return noAvailableNode.sum();
    }

    /** Returns hedges begun. */
    public long hedges() {
        return hedges.sum();
    }

    /** Returns hedges the hedge budget refused. */
    public long hedgeBudgetRefusals() {
        return hedgeBudgetRefusals.sum();
    }

    /** {@return the hedges {@link #unpaidHedgeRefusal()} refused} */
    public long unpaidHedgeRefusals() {
        return unpaidHedgeRefusals.sum();
    }

    /** Returns the concurrency limit now, or 0 without one. */
    public int concurrencyLimit() {
        return limit == null ? 0 : limit.limit();
    }

    /** Returns the attempts the concurrency limit counts in flight now, or 0 without one. */
    public int limitedInFlight() {
        return limit == null ? 0 : limit.inFlight();
    }

    /** Returns calls whose first attempt the concurrency limit refused. */
    public long limitRejections() {
        return limitRejections.sum();
    }

    /** Returns retries and hedges the concurrency limit refused. */
    public long limitRefusedExtras() {
        return limitRefusedExtras.sum();
    }

    private static long saturatedNanos(java.time.Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
