package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.HealthChecker;
import io.smartqueryrouter.core.internal.HedgeBudget;
import io.smartqueryrouter.core.internal.HedgeState;
import io.smartqueryrouter.core.internal.NodeState;
import io.smartqueryrouter.core.internal.RecentLatency;
import io.smartqueryrouter.core.internal.Redaction;
import io.smartqueryrouter.core.internal.RetryBudgetState;
import io.smartqueryrouter.core.internal.SafeListeners;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * Routes calls over the nodes of one logical service: for each attempt it offers the policy the
 * nodes that are healthy, not ejected, not cooling down and not yet tried in the call, measures
 * what happened, and fails over to another node when the caller allows it.
 *
 * <pre>{@code
 * Router<URI> router = Router.<URI>builder("orders")
 *     .node(Node.of("a", URI.create("http://10.0.0.1:8080")))
 *     .node(Node.builder("b", URI.create("http://10.0.0.2:8080")).weight(2).zone("eu-1").build())
 *     .policy(RoutingPolicies.p2cPeakEwma())
 *     .healthCheck(HealthCheck.of(TcpProbe.forUri()).interval(Duration.ofSeconds(2)))
 *     .retry(RetryPolicy.builder().maxAttempts(3).build())
 *     .build();
 * String body = router.execute(node -> fetch(node.endpoint()));
 * }</pre>
 *
 * <p>When no node is available (all unhealthy, ejected or cooling down) the router fails open and
 * offers every registered node rather than refusing the call. A node that rejoins (its ejection
 * ends, or health checks find it healthy again) starts with no latency history, so it is tried
 * again at once rather than after its old cost decays. Nodes can be added, removed and
 * replaced while calls run; calls in flight on a removed node finish normally and are still
 * counted. Thread-safe. {@link #close()} stops health checking; a closed router refuses calls.
 *
 * <p>With a {@link HedgePolicy} ({@link Builder#hedge}), a call still unanswered after
 * {@link #hedgeDelayNanos()} sends a hedge to another node, and the first answer wins; see
 * {@link #execute} and {@link Attempt#hedge()}.
 *
 * @param <E> the endpoint type
 */
public final class Router<E> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final String name;
    private final RoutingPolicy policy;
    private final RetryPolicy retryPolicy;
    private final OutlierEjection ejection;
    private final Ticker ticker;
    private final RandomGenerator fixedRandom;
    private final FailureClassifier classifier;
    private final double priorNanos;
    private final double tauNanos;
    private final long maxCoolDownNanos;
    private final RetryBudgetState budget;
    private final HealthChecker<E> healthChecker;

    private final HedgePolicy hedgePolicy;
    /** Null when hedging is disabled: then no hedge code runs on any call path. */
    private final HedgeBudget hedgeBudget;
    /** Null unless the hedge delay is adaptive. */
    private final RecentLatency recentLatency;
    private final long hedgeFixedDelayNanos;
    private final long hedgeMinDelayNanos;
    private final Executor hedgeExecutor;
    private final ExecutorService ownedHedgeExecutor;

    private final Object lock = new Object();
    private volatile NodeState<E>[] nodes;
    private volatile View view;
    private volatile RouterListener listener = SafeListeners.NONE;
    private volatile boolean closed;

    private final LongAdder attemptsStarted = new LongAdder();
    private final LongAdder attemptsCompleted = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder budgetRefusals = new LongAdder();
    private final LongAdder noAvailableNode = new LongAdder();
    private final LongAdder hedges = new LongAdder();
    private final LongAdder hedgeBudgetRefusals = new LongAdder();
    /** Counted only while hedging is on: calls begun = attempts started - retries - hedges - follow-ups. */
    private final LongAdder followUps = new LongAdder();

    /** The windows of the recent latencies the adaptive hedge delay reads: it sees 5 to 10 s of them. */
    private static final long RECENT_LATENCY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** The hedge budget's window, and the hedges it always allows per window. */
    private static final int HEDGE_BUDGET_WINDOW_SECONDS = 1;
    private static final int HEDGE_BUDGET_RESERVE = 1;

    /** What the call path reads: rebuilt copy-on-write when membership, health or ejection changes. */
    private record View(Candidates available, Candidates all, int healthy, int ejected, long nextDeadlineNanos,
            boolean hasDeadline) {
    }

    private Router(Builder<E> b) {
        this.name = b.name;
        this.policy = b.policy != null ? b.policy : RoutingPolicies.p2cPeakEwma();
        this.retryPolicy = b.retry;
        this.ejection = b.ejection;
        this.ticker = b.ticker;
        this.fixedRandom = b.random;
        this.classifier = b.classifier;
        this.priorNanos = b.latencyPrior.toNanos();
        this.tauNanos = b.peakEwmaDecay.toNanos();
        this.maxCoolDownNanos = b.maxCoolDown.toNanos();
        RetryBudget rb = retryPolicy.budget();
        this.budget = new RetryBudgetState(rb.percent(), rb.minRetriesPerSecond(), (int) rb.window().getSeconds(),
                rb.isUnlimited());
        long now = ticker.read();
        @SuppressWarnings("unchecked")
        NodeState<E>[] initial = (NodeState<E>[]) new NodeState<?>[b.nodes.size()];
        int i = 0;
        for (Node<E> n : b.nodes.values()) {
            initial[i++] = new NodeState<>(n, priorNanos, tauNanos, now);
        }
        synchronized (lock) {
            this.nodes = initial;
            rebuildView(now);
        }
        this.hedgePolicy = b.hedge;
        if (hedgePolicy.isEnabled()) {
            this.hedgeBudget = new HedgeBudget(hedgePolicy.maxExtraPercent(), HEDGE_BUDGET_RESERVE,
                    HEDGE_BUDGET_WINDOW_SECONDS);
            this.hedgeBudget.observe(0, now);
            this.recentLatency = hedgePolicy.isAdaptive() ? new RecentLatency(RECENT_LATENCY_WINDOW_NANOS) : null;
            this.hedgeFixedDelayNanos = hedgePolicy.fixedDelay().map(Router::saturatedNanos).orElse(0L);
            this.hedgeMinDelayNanos = saturatedNanos(hedgePolicy.minDelay());
            this.ownedHedgeExecutor = hedgePolicy.executor().isPresent() ? null
                    : Executors.newCachedThreadPool(hedgeThreads(name));
            this.hedgeExecutor = hedgePolicy.executor().orElse(ownedHedgeExecutor);
        } else {
            this.hedgeBudget = null;
            this.recentLatency = null;
            this.hedgeFixedDelayNanos = Long.MAX_VALUE;
            this.hedgeMinDelayNanos = 0;
            this.hedgeExecutor = null;
            this.ownedHedgeExecutor = null;
        }
        if (recentLatency != null) {
            // the successful latencies reach the estimator through the listener path completed() already has,
            // so only a router with an adaptive hedge delay pays for them
            addListener(new LatencyRecorder(recentLatency, ticker));
        }
        for (RouterListener l : b.listeners) {
            addListener(l);
        }
        this.healthChecker = b.healthCheck == null ? null
                : HealthChecker.start(name, b.healthCheck, ticker, new SplittableRandom(),
                        () -> this.nodes, this::probed);
        LOG.log(Level.INFO, () -> "router '" + name + "' started with " + initial.length + " nodes, policy "
                + policy.name() + (b.healthCheck == null ? ", no health check" : ", " + b.healthCheck));
    }

    /**
     * Returns a builder for a router with the given name.
     *
     * @param name letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters
     * @throws IllegalArgumentException if the name is not of that form
     */
    public static <E> Builder<E> builder(String name) {
        return new Builder<>(name);
    }

    /** Returns the router's name. */
    public String name() {
        return name;
    }

    /** Returns the routing policy. */
    public RoutingPolicy policy() {
        return policy;
    }

    /** Returns the retry policy. */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** Returns the router's ticker. */
    public Ticker ticker() {
        return ticker;
    }

    /** Returns the hedge policy ({@link HedgePolicy#disabled()} unless one was set). */
    public HedgePolicy hedgePolicy() {
        return hedgePolicy;
    }

    /**
     * Returns how long, from now on, a call should wait for an answer before it is hedged
     * ({@link Attempt#hedge()}): the fixed delay of the {@link HedgePolicy}, or the chosen percentile
     * of the router's recent successful attempt latencies (at least the policy's {@code minDelay};
     * the router's latency prior until enough latencies are known). {@link Long#MAX_VALUE} when
     * hedging is disabled. Adapters ask it once per call that may be hedged, when the call begins;
     * the hedge budget also counts the router's calls when it is asked.
     */
    public long hedgeDelayNanos() {
        if (hedgeBudget == null) {
            return Long.MAX_VALUE;
        }
        long now = ticker.read();
        hedgeBudget.observe(callsBegun(), now);
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

    /** The first attempts begun so far (calls), as the hedge budget counts them. */
    private long callsBegun() {
        return attemptsStarted.sum() - retries.sum() - hedges.sum() - followUps.sum();
    }

    // ------------------------------------------------------------------ calls

    /**
     * Runs {@code call} on the best node, failing over to other nodes as the {@link RetryPolicy}
     * allows: after a failure that blames the node (per the {@link FailureClassifier}) and that
     * {@link RetryPolicy#retryOn} accepts, while attempts and budget last, with the backoff in
     * between. A failure the classifier calls {@link Outcome#CLIENT_ERROR} is not retried.
     *
     * <p>Without a {@link HedgePolicy} (the default) every attempt runs on the calling thread. With
     * one, use it only for calls that are safe to repeat: the attempts run on the policy's executor
     * (by default the router's own pool of daemon threads, named after the router) while the
     * calling thread waits. When no attempt has answered {@link #hedgeDelayNanos()} after the
     * latest one started, a hedge starts on another node if the policy and its budget allow; the
     * first success is returned, and every other attempt still running is completed as
     * {@link Outcome#CANCELLED} and its thread interrupted (a result it still returns is dropped,
     * and closed if it is {@link AutoCloseable}). An attempt that fails is retried by the rules
     * above while the others keep running; the call fails when every attempt failed and none is
     * left to start. If the calling thread is interrupted, every running attempt is cancelled.
     *
     * @return what the successful attempt returned
     * @throws NoAvailableNodeException if the router has no node
     * @throws AttemptsFailedException if no attempt succeeded; it carries each attempt's failure,
     *     naming the node. If the thread was interrupted, its interrupt flag is set again.
     * @throws IllegalStateException if the router is closed
     * @throws java.util.concurrent.RejectedExecutionException if hedging is on and the hedge
     *     policy's executor refuses the first attempt
     */
    public <T> T execute(NodeCall<E, T> call) {
        Objects.requireNonNull(call, "call");
        if (hedgeBudget != null) {
            return new HedgedExecution<>(this, call).run();
        }
        Attempt<E> attempt = begin();
        List<NodeAttemptException> failures = new ArrayList<>(2);
        while (true) {
            Throwable failure;
            Outcome outcome;
            try {
                T result = call.call(attempt.node());
                attempt.complete(Outcome.SUCCESS);
                return result;
            } catch (InterruptedException e) {
                failure = e;
                outcome = Outcome.CANCELLED;
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
                // an I/O call cut short because this thread was interrupted is not the node's fault
                outcome = Thread.currentThread().isInterrupted() ? Outcome.CANCELLED : classify(attempt, e);
                if (outcome == null || outcome == Outcome.SUCCESS) {
                    attempt.complete(Outcome.FAILURE);
                    throw new IllegalStateException("router '" + name + "': the failure classifier must not call "
                            + e.getClass().getName() + " " + outcome, e);
                }
            } catch (Error e) {
                attempt.complete(Outcome.FAILURE);
                throw e;
            }
            attempt.complete(outcome);
            failures.add(new NodeAttemptException(name, attempt.node().id(), attempt.number(), outcome, failure));
            String stop = whyNotRetry(outcome, failure);
            Optional<Attempt<E>> next = Optional.empty();
            if (stop == null) {
                // no pause before a retry that max attempts will refuse anyway
                boolean mayRetry = attempt.number() < retryPolicy.maxAttempts();
                if (mayRetry && !sleepBackoff(attempt.number())) {
                    stop = "interrupted";
                } else {
                    next = attempt.retry();
                }
            }
            if (next.isEmpty()) {
                throw new AttemptsFailedException(name, failures, stop != null ? stop : attempt.noRetryReason());
            }
            attempt = next.get();
        }
    }

    Outcome classify(Attempt<E> attempt, Exception failure) {
        try {
            return classifier.classify(failure);
        } catch (RuntimeException | Error e) {
            attempt.complete(Outcome.FAILURE);
            e.addSuppressed(failure);
            throw e;
        }
    }

    FailureClassifier classifier() {
        return classifier;
    }

    Executor hedgeExecutor() {
        return hedgeExecutor;
    }

    /** Returns whether the retry rules leave the failed attempt's call another retry by count (budget and nodes aside). */
    boolean attemptsLeft(Attempt<E> failed) {
        HedgeState call = failed.callStateIfAny();
        return (call == null ? failed.number() : call.firstAndRetries()) < retryPolicy.maxAttempts();
    }

    String whyNotRetry(Outcome outcome, Throwable failure) {
        if (outcome == Outcome.CANCELLED || Thread.currentThread().isInterrupted()) {
            return "interrupted";
        }
        if (!outcome.isRetryable()) {
            return outcome + " is not retried";
        }
        if (!retryPolicy.retryOn(failure)) {
            return "the retry policy does not retry " + failure.getClass().getSimpleName();
        }
        return null;
    }

    private boolean sleepBackoff(int failedAttempts) {
        long pause = retryPolicy.backoffNanos(failedAttempts, random());
        if (pause <= 0) {
            return true;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Begins the first attempt of a call on the node the policy chooses. The caller must
     * {@link Attempt#complete complete} it.
     *
     * @throws NoAvailableNodeException if the router has no node
     * @throws IllegalStateException if the router is closed
     */
    public Attempt<E> begin() {
        return begin(null);
    }

    /**
     * Begins the first attempt of a call on the best node that {@code eligible} accepts (a
     * read-replica filter, say); retries of the call apply the same filter. Filtering costs a
     * small allocation per call on top of the returned attempt.
     *
     * @param eligible which nodes this call may use, or {@code null} for all
     * @throws NoAvailableNodeException if no registered node is accepted
     * @throws IllegalStateException if the router is closed
     */
    public Attempt<E> begin(Predicate<? super Node<E>> eligible) {
        // kept small so it can inline into the caller, where the JIT may scalar-replace an attempt that
        // does not escape (it does not do so reliably: see benchmarks/RESULTS.md)
        long now = ticker.read();
        return new Attempt<>(this, firstChoice(eligible, now), 1, null, eligible, now, false);
    }

    private NodeState<E> firstChoice(Predicate<? super Node<E>> eligible, long now) {
        ensureOpen();
        View v = currentView(now);
        Candidates candidates = eligible == null && !v.available.isEmpty() ? v.available
                : candidates(v, null, eligible);
        if (candidates.isEmpty()) {
            noAvailableNode.increment();
            listener.onNoAvailableNode(name);
            throw new NoAvailableNodeException(name, v.all.size(), v.healthy, v.ejected,
                    v.all.isEmpty() ? "" : "the call's filter accepts none of them");
        }
        budget.deposit(now);
        return choose(candidates, now);
    }

    Attempt<E> retry(Attempt<E> failed, Predicate<? super Node<E>> eligible) {
        ensureOpen();
        // a call whose attempts run concurrently (hedged) counts them in its shared state
        HedgeState call = failed.callStateIfAny();
        int max = retryPolicy.maxAttempts();
        if (call == null ? failed.number() >= max : !call.tryReserveRetry(max)) {
            failed.refuseRetry("max attempts " + max + " reached");
            return null;
        }
        long now = ticker.read();
        Candidates candidates = candidates(currentView(now), failed, eligible);
        String refusal = null;
        if (candidates.isEmpty()) {
            refusal = "no untried node left";
        } else if (!budget.tryWithdraw(now)) {
            budgetRefusals.increment();
            listener.onRetryBudgetExhausted(name, failed.node());
            refusal = "retry budget spent";
        }
        if (refusal != null) {
            if (call != null) {
                call.releaseRetry();
            }
            failed.refuseRetry(refusal);
            return null;
        }
        retries.increment();
        int number = call == null ? failed.number() + 1 : call.nextNumber();
        listener.onRetry(name, failed.node(), number);
        NodeState<E> chosen = choose(candidates, now);
        if (call == null) {
            return new Attempt<>(this, chosen, number, failed, eligible, now, false);
        }
        call.addTried(chosen);
        return new Attempt<>(this, chosen, number, failed, eligible, now, call);
    }

    /** Begins a hedge of {@code from}'s call, or returns null after telling {@code from} why not. */
    Attempt<E> hedge(Attempt<E> from, Predicate<? super Node<E>> eligible) {
        if (hedgeBudget == null) {
            from.refuseHedge("hedging disabled");
            return null;
        }
        if (closed) {
            from.refuseHedge("router '" + name + "' is closed");
            return null;
        }
        HedgeState call = from.callState();
        if (!call.tryReserveHedge(hedgePolicy.maxHedges())) {
            from.refuseHedge("max hedges " + hedgePolicy.maxHedges() + " reached");
            return null;
        }
        long now = ticker.read();
        Candidates candidates = candidates(currentView(now), from, eligible);
        if (candidates.isEmpty()) {
            call.releaseHedge();
            from.refuseHedge("no untried node left");
            return null;
        }
        if (!hedgeBudget.tryWithdraw(callsBegun(), now)) {
            call.releaseHedge();
            hedgeBudgetRefusals.increment();
            from.refuseHedge("hedge budget spent");
            return null;
        }
        // counted before choose() counts the attempt, so calls begun never reads one too many
        hedges.increment();
        int number = call.nextNumber();
        NodeState<E> chosen = choose(candidates, now);
        call.addTried(chosen);
        listener.onHedge(name, from.node(), chosen.node(), number);
        return new Attempt<>(this, chosen, number, from, eligible, now, call);
    }

    /** Returns the hedges begun since the router started. */
    public long hedges() {
        return hedges.sum();
    }

    /** Returns the hedges the hedge budget refused since the router started. */
    public long hedgeBudgetRefusals() {
        return hedgeBudgetRefusals.sum();
    }

    /** Asks the policy and counts the attempt on the chosen node. */
    private NodeState<E> choose(Candidates candidates, long now) {
        int size = candidates.size();
        int i = size == 1 ? 0 : policy.select(candidates, now, random());
        if (i < 0 || i >= size) {
            throw new IllegalStateException("router '" + name + "': policy '" + policy.name() + "' chose index " + i
                    + " of " + size + " candidates");
        }
        @SuppressWarnings("unchecked")
        NodeState<E> chosen = (NodeState<E>) candidates.get(i);
        chosen.begin();
        attemptsStarted.increment();
        return chosen;
    }

    Attempt<E> followUp(NodeState<E> state) {
        long now = ticker.read();
        if (hedgeBudget != null) {
            followUps.increment();
        }
        state.begin();
        attemptsStarted.increment();
        return new Attempt<>(this, state, 1, null, null, now, true);
    }

    /** The nodes a call may use: available ones it accepts and has not tried, else (fail open) any it accepts and has not tried. */
    private Candidates candidates(View v, Attempt<E> tried, Predicate<? super Node<E>> eligible) {
        Candidates c = filter(v.available, tried, eligible);
        return c.isEmpty() ? filter(v.all, tried, eligible) : c;
    }

    private Candidates filter(Candidates from, Attempt<E> tried, Predicate<? super Node<E>> eligible) {
        NodeStats[] kept = new NodeStats[from.size()];
        int n = 0;
        for (int i = 0; i < from.size(); i++) {
            @SuppressWarnings("unchecked")
            NodeState<E> s = (NodeState<E>) from.get(i);
            if ((tried == null || !tried.tried(s)) && (eligible == null || eligible.test(s.node()))) {
                kept[n++] = s;
            }
        }
        return n == kept.length ? from : Candidates.of(Arrays.copyOf(kept, n));
    }

    /** Records an attempt's end; takes its fields rather than the attempt itself, so the attempt never escapes. */
    void completed(NodeState<E> state, Node<E> node, int number, long startNanos, Outcome outcome, long coolDownNanos,
            boolean timed) {
        long now = ticker.read();
        long latency = now - startNanos;
        int consecutive = timed ? state.complete(outcome, latency, now) : state.completeUntimed(outcome, now);
        attemptsCompleted.increment();
        RouterListener l = listener;
        if (l != SafeListeners.NONE || coolDownNanos > 0 || consecutive > 0) {
            // out of line, so the common path stays small enough for the JIT to inline into Attempt.complete
            afterCompleted(l, state, node, number, outcome, latency, now, consecutive, coolDownNanos);
        }
    }

    private void afterCompleted(RouterListener l, NodeState<E> state, Node<E> node, int number, Outcome outcome,
            long latency, long now, int consecutive, long coolDownNanos) {
        l.onAttemptCompleted(name, node, outcome, latency, number);
        if (coolDownNanos > 0) {
            coolDown(state, now, Math.min(coolDownNanos, maxCoolDownNanos));
        }
        if (outcome.blamesNode() && consecutive >= ejection.consecutiveFailures() && ejection.isEnabled()) {
            maybeEject(state, now);
        }
    }

    RandomGenerator random() {
        return fixedRandom != null ? fixedRandom : ThreadLocalRandom.current();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("router '" + name + "' is closed");
        }
    }

    // ------------------------------------------------------------------ state changes (off the call path)

    private View currentView(long now) {
        View v = view;
        if (v.hasDeadline && now - v.nextDeadlineNanos >= 0) {
            v = expireDeadlines(now);
        }
        return v;
    }

    private View expireDeadlines(long now) {
        List<Node<E>> restored = new ArrayList<>(1);
        View v;
        synchronized (lock) {
            for (NodeState<E> s : nodes) {
                if (s.ejected() && now - s.ejectedUntilNanos() >= 0) {
                    s.restore(now);
                    s.forgetLatency();
                    restored.add(s.node());
                }
                if (s.coolingDown() && now - s.coolDownUntilNanos() >= 0) {
                    s.endCoolDown();
                }
            }
            v = rebuildView(now);
        }
        for (Node<E> n : restored) {
            LOG.log(Level.INFO, () -> "router '" + name + "': node '" + n.id() + "' restored after ejection");
            listener.onRestored(name, n);
        }
        return v;
    }

    /** Rebuilds the view; the caller holds the lock. */
    private View rebuildView(long now) {
        NodeState<E>[] all = nodes;
        List<NodeStats> available = new ArrayList<>(all.length);
        int healthy = 0;
        int ejected = 0;
        long deadline = 0;
        boolean hasDeadline = false;
        for (NodeState<E> s : all) {
            healthy += s.healthy() ? 1 : 0;
            ejected += s.ejected() ? 1 : 0;
            if (s.available()) {
                available.add(s);
            }
            if (s.ejected() && (!hasDeadline || s.ejectedUntilNanos() - deadline < 0)) {
                deadline = s.ejectedUntilNanos();
                hasDeadline = true;
            }
            if (s.coolingDown() && (!hasDeadline || s.coolDownUntilNanos() - deadline < 0)) {
                deadline = s.coolDownUntilNanos();
                hasDeadline = true;
            }
        }
        View v = new View(Candidates.of(available.toArray(NodeStats[]::new)), Candidates.of(all), healthy, ejected,
                deadline, hasDeadline);
        this.view = v;
        return v;
    }

    private void coolDown(NodeState<E> state, long now, long nanos) {
        synchronized (lock) {
            if (state.removed()) {
                return;
            }
            state.coolDown(now + nanos);
            rebuildView(now);
        }
        LOG.log(Level.DEBUG, () -> "router '" + name + "': node '" + state.node().id() + "' cools down for "
                + Duration.ofNanos(nanos));
    }

    private void maybeEject(NodeState<E> state, long now) {
        long duration;
        synchronized (lock) {
            if (state.removed() || state.ejected() || state.consecutiveFailures() < ejection.consecutiveFailures()) {
                return;
            }
            int allowed = nodes.length * ejection.maxEjectionPercent() / 100;
            int ejectedNow = 0;
            for (NodeState<E> s : nodes) {
                // an ejection whose time is up no longer counts, even before the view noticed
                ejectedNow += s.ejected() && s.ejectedUntilNanos() - now > 0 ? 1 : 0;
            }
            if (ejectedNow >= allowed) {
                return;
            }
            duration = state.eject(now, ejection.baseEjection().toNanos(), ejection.maxEjection().toNanos());
            rebuildView(now);
        }
        Duration d = Duration.ofNanos(duration);
        LOG.log(Level.INFO, () -> "router '" + name + "': node '" + state.node().id() + "' ejected for " + d
                + " after " + ejection.consecutiveFailures() + " consecutive failures");
        listener.onEjected(name, state.node(), d);
    }

    private void probed(NodeState<E> state, ProbeResult result, long durationNanos, Boolean healthChange) {
        state.lastProbe(result);
        listener.onHealthChecked(name, state.node(), result, durationNanos);
        if (healthChange == null) {
            return;
        }
        synchronized (lock) {
            if (state.removed()) {
                return;
            }
            state.healthy(healthChange);
            if (healthChange) {
                state.forgetLatency();
            }
            rebuildView(ticker.read());
        }
        LOG.log(Level.INFO, () -> "router '" + name + "': node '" + state.node().id() + "' is now "
                + (healthChange ? "healthy" : "unhealthy: " + result.detail()));
        listener.onHealthChanged(name, state.node(), healthChange, result);
    }

    // ------------------------------------------------------------------ membership

    /**
     * Adds a node; it takes calls at once (and is probed at once when health checking is on).
     *
     * @throws IllegalArgumentException if a node with the same id is registered
     * @throws IllegalStateException if the router is closed
     */
    public void addNode(Node<E> node) {
        Objects.requireNonNull(node, "node");
        ensureOpen();
        synchronized (lock) {
            if (find(node.id()) != null) {
                throw new IllegalArgumentException("router '" + name + "': duplicate node id '" + node.id() + "'");
            }
            NodeState<E>[] next = Arrays.copyOf(nodes, nodes.length + 1);
            next[nodes.length] = new NodeState<>(node, priorNanos, tauNanos, ticker.read());
            nodes = next;
            rebuildView(ticker.read());
        }
        LOG.log(Level.INFO, () -> "router '" + name + "': added " + node);
        listener.onNodeAdded(name, node);
    }

    /**
     * Removes the node with the given id. Calls in flight on it complete normally and are counted
     * in the router's totals; no new call goes to it.
     *
     * @return whether such a node was registered
     */
    public boolean removeNode(String id) {
        NodeState<E> removed;
        synchronized (lock) {
            removed = find(id);
            if (removed == null) {
                return false;
            }
            removed.markRemoved();
            NodeState<E>[] next = Arrays.copyOf(nodes, nodes.length - 1);
            int i = 0;
            for (NodeState<E> s : nodes) {
                if (s != removed) {
                    next[i++] = s;
                }
            }
            nodes = next;
            rebuildView(ticker.read());
        }
        LOG.log(Level.INFO, () -> "router '" + name + "': removed node '" + id + "'");
        listener.onNodeRemoved(name, removed.node());
        return true;
    }

    /**
     * Replaces the definition of a registered node (same id: new endpoint, weight, zone or labels),
     * keeping its statistics, health and ejection state.
     *
     * @throws IllegalArgumentException if no node with that id is registered
     */
    public void replaceNode(Node<E> node) {
        Objects.requireNonNull(node, "node");
        synchronized (lock) {
            NodeState<E> s = find(node.id());
            if (s == null) {
                throw new IllegalArgumentException("router '" + name + "': no node with id '" + node.id()
                        + "' to replace; registered: " + ids());
            }
            s.node(node);
            rebuildView(ticker.read());
        }
        LOG.log(Level.INFO, () -> "router '" + name + "': replaced " + node);
    }

    /** Returns the registered nodes, in registration order. */
    public List<Node<E>> nodes() {
        return Arrays.stream(nodes).map(NodeState::node).toList();
    }

    /** Returns the live statistics of the node with the given id, if registered. */
    public Optional<NodeStats> stats(String id) {
        return Optional.ofNullable(find(id));
    }

    private NodeState<E> find(String id) {
        for (NodeState<E> s : nodes) {
            if (s.node().id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    private List<String> ids() {
        return Arrays.stream(nodes).map(s -> s.node().id()).toList();
    }

    // ------------------------------------------------------------------ listeners, snapshot, lifecycle

    /**
     * Registers a listener; it is told {@link RouterListener#onNodeAdded} for every node registered
     * now, then every event from here on.
     */
    public void addListener(RouterListener added) {
        Objects.requireNonNull(added, "listener");
        RouterListener single;
        synchronized (lock) {
            listener = SafeListeners.plus(listener, added);
            single = SafeListeners.plus(SafeListeners.NONE, added);
        }
        for (NodeState<E> s : nodes) {
            single.onNodeAdded(name, s.node());
        }
    }

    /** Unregisters a listener (compared by identity). */
    public void removeListener(RouterListener removed) {
        synchronized (lock) {
            listener = SafeListeners.minus(listener, removed);
        }
    }

    /** Returns the state of every node and the router's totals, for people and dashboards. */
    public RouterSnapshot snapshot() {
        long now = ticker.read();
        currentView(now);
        List<NodeSnapshot> list = new ArrayList<>();
        for (NodeState<E> s : nodes) {
            ProbeResult probe = s.lastProbe();
            list.add(new NodeSnapshot(s.node().id(), Redaction.endpoint(s.node().endpoint()),
                    s.weight(), s.node().zone(), s.healthy(), s.ejected(),
                    s.ejected() ? Duration.ofNanos(Math.max(0, s.ejectedUntilNanos() - now)) : Duration.ZERO,
                    s.timesEjected(), s.coolingDown(), s.inFlight(), s.requests(), s.completed(Outcome.SUCCESS),
                    s.completed(Outcome.FAILURE), s.completed(Outcome.OVERLOADED), s.completed(Outcome.CLIENT_ERROR),
                    s.completed(Outcome.CANCELLED), s.consecutiveFailures(),
                    Duration.ofNanos((long) s.peakEwmaNanos(now)), Duration.ofNanos((long) s.ewmaNanos()),
                    probe == null ? "" : probe.detail()));
        }
        return new RouterSnapshot(name, policy.name(), list, attemptsStarted.sum(), attemptsCompleted.sum(),
                retries.sum(), budgetRefusals.sum(), noAvailableNode.sum());
    }

    /** Returns whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops health checking and waits for its threads to end, and shuts down the router's own pool
     * for hedged calls (attempts running on it finish); later calls to {@link #begin} and
     * {@link #execute} throw {@link IllegalStateException}. Attempts already begun may still be
     * completed. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (healthChecker != null) {
            healthChecker.close();
        }
        if (ownedHedgeExecutor != null) {
            // running attempts finish; idle threads end now
            ownedHedgeExecutor.shutdown();
        }
        LOG.log(Level.INFO, () -> "router '" + name + "' closed");
    }

    @Override
    public String toString() {
        return "Router[" + name + ", " + nodes.length + " nodes, " + policy.name() + "]";
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static java.util.concurrent.ThreadFactory hedgeThreads(String router) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "smartqueryrouter-" + router + "-hedge-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Feeds successful attempt latencies to the adaptive hedge delay. */
    private static final class LatencyRecorder implements RouterListener {
        private final RecentLatency recent;
        private final Ticker ticker;

        LatencyRecorder(RecentLatency recent, Ticker ticker) {
            this.recent = recent;
            this.ticker = ticker;
        }

        @Override
        public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
            if (outcome == Outcome.SUCCESS) {
                recent.record(latencyNanos, ticker.read());
            }
        }

        @Override
        public String toString() {
            return "the adaptive hedge delay's latency recorder";
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Builds a {@link Router}. Every setter validates its value at once, with a message naming the
     * router, the field and the value.
     *
     * @param <E> the endpoint type
     */
    public static final class Builder<E> {
        private final String name;
        private final Map<String, Node<E>> nodes = new LinkedHashMap<>();
        private RoutingPolicy policy;
        private HealthCheck<E> healthCheck;
        private RetryPolicy retry = RetryPolicy.defaults();
        private OutlierEjection ejection = OutlierEjection.defaults();
        private Ticker ticker = Ticker.system();
        private RandomGenerator random;
        private FailureClassifier classifier = FailureClassifier.ALWAYS_FAILURE;
        private final List<RouterListener> listeners = new ArrayList<>();
        private Duration latencyPrior = Duration.ofMillis(30);
        private Duration peakEwmaDecay = Duration.ofSeconds(10);
        private Duration maxCoolDown = Duration.ofSeconds(60);
        private HedgePolicy hedge = HedgePolicy.disabled();

        private Builder(String name) {
            Objects.requireNonNull(name, "router name must not be null");
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("router name must be 1 to 100 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit, but was '" + name + "'");
            }
            this.name = name;
        }

        private String field(String field) {
            return "router '" + name + "': " + field;
        }

        private <T> T nonNull(String field, T value) {
            return Objects.requireNonNull(value, () -> field(field) + " must not be null");
        }

        private IllegalArgumentException invalid(IllegalArgumentException e) {
            return new IllegalArgumentException("router '" + name + "': " + e.getMessage(), e);
        }

        /**
         * Adds a node.
         *
         * @throws IllegalArgumentException if a node with the same id was already added
         */
        public Builder<E> node(Node<E> node) {
            nonNull("node", node);
            if (nodes.putIfAbsent(node.id(), node) != null) {
                throw new IllegalArgumentException(field("duplicate node id '" + node.id() + "'"));
            }
            return this;
        }

        /** Adds nodes, as {@link #node} does each. */
        public Builder<E> nodes(Iterable<Node<E>> nodes) {
            nonNull("nodes", nodes).forEach(this::node);
            return this;
        }

        /** Sets the routing policy (default {@code p2c-peak-ewma}). */
        public Builder<E> policy(RoutingPolicy policy) {
            this.policy = nonNull("policy", policy);
            return this;
        }

        /**
         * Sets the routing policy by its registered name (see {@link RoutingPolicies#byName}).
         *
         * @throws IllegalArgumentException if no policy is registered under that name; the message lists those that are
         */
        public Builder<E> policy(String policyName) {
            nonNull("policy", policyName);
            try {
                this.policy = RoutingPolicies.byName(policyName);
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
            return this;
        }

        /**
         * Turns on active health checking (default off: every node counts as healthy).
         *
         * @throws IllegalArgumentException if its timeout is longer than its interval
         */
        public Builder<E> healthCheck(HealthCheck<E> healthCheck) {
            nonNull("healthCheck", healthCheck);
            try {
                healthCheck.validate();
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
            this.healthCheck = healthCheck;
            return this;
        }

        /** Sets failover and retry (default {@link RetryPolicy#defaults()}: 3 attempts, the default budget). */
        public Builder<E> retry(RetryPolicy retry) {
            this.retry = nonNull("retry", retry);
            return this;
        }

        /**
         * Turns on hedged requests (default {@link HedgePolicy#disabled()}): a call still unanswered
         * after a delay sends a second attempt to another node, and the first answer wins. Only for
         * calls that are safe to repeat.
         */
        public Builder<E> hedge(HedgePolicy hedge) {
            this.hedge = nonNull("hedge", hedge);
            return this;
        }

        /** Sets passive outlier ejection (default {@link OutlierEjection#defaults()}). */
        public Builder<E> outlierEjection(OutlierEjection ejection) {
            this.ejection = nonNull("outlierEjection", ejection);
            return this;
        }

        /** Sets the clock every time-dependent rule reads (default {@link Ticker#system()}). */
        public Builder<E> ticker(Ticker ticker) {
            this.ticker = nonNull("ticker", ticker);
            return this;
        }

        /**
         * Makes policies and backoff draw from this generator instead of a thread-local one, for
         * reproducible runs (the simulator, tests). The router may call it from several threads
         * at once if it is used from several threads.
         */
        public Builder<E> random(RandomGenerator random) {
            this.random = nonNull("random", random);
            return this;
        }

        /** Sets how {@link Router#execute} classifies exceptions (default: every one is a {@link Outcome#FAILURE}). */
        public Builder<E> failureClassifier(FailureClassifier classifier) {
            this.classifier = nonNull("failureClassifier", classifier);
            return this;
        }

        /** Adds a listener for the router's events. */
        public Builder<E> listener(RouterListener listener) {
            listeners.add(nonNull("listener", listener));
            return this;
        }

        /**
         * Sets the latency a node is assumed to have before its first sample (default 30 ms).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder<E> latencyPrior(Duration prior) {
            try {
                this.latencyPrior = Checks.positive("latencyPrior", prior);
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
            return this;
        }

        /**
         * Sets tau, the time constant of the latency moving averages (default 10 s): a sample's
         * weight falls to 1/e after tau.
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder<E> peakEwmaDecay(Duration tau) {
            try {
                this.peakEwmaDecay = Checks.positive("peakEwmaDecay", tau);
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
            return this;
        }

        /**
         * Caps the cool-down an overloaded answer can ask for (default 60 s).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder<E> maxCoolDown(Duration max) {
            try {
                this.maxCoolDown = Checks.positive("maxCoolDown", max);
            } catch (IllegalArgumentException e) {
                throw invalid(e);
            }
            return this;
        }

        /** Builds the router and starts its health checking, if configured. */
        public Router<E> build() {
            return new Router<>(this);
        }
    }
}
