package io.smartqueryrouter.core;

import io.smartqueryrouter.core.internal.CallPath;
import io.smartqueryrouter.core.internal.GroupCandidates;
import io.smartqueryrouter.core.internal.HealthChecker;
import io.smartqueryrouter.core.internal.NodeRegistry;
import io.smartqueryrouter.core.internal.NodeState;
import io.smartqueryrouter.core.spi.AttemptObserver;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

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
 * <p>Its parts: a node registry (membership, health, ejection, cool-downs), the call path (the
 * policy's pick, the statistics, the budgets) and, per call, a {@link RoutedCall} that makes every
 * decision of the call; this class only wires them together. {@link #begin()} is one attempt
 * with no failover, {@link #newCall()} a call that may fail over and hedge, {@link #execute} runs
 * one for you.
 *
 * <p>When no node is available (all unhealthy, ejected or cooling down) the router fails open and
 * offers every registered node rather than refusing the call. A node that rejoins (its ejection
 * ends, or health checks find it healthy again) starts with no latency history, so it is tried
 * again at once rather than after its old cost decays. Nodes can be added, removed and
 * replaced while calls run; calls in flight on a removed node finish normally and are still
 * counted. Thread-safe. {@link #close()} stops health checking; a closed router refuses calls.
 *
 * <p>With a {@link HedgePolicy} ({@link RouterBuilder#hedge}), a call still unanswered after
 * its hedge delay sends a hedge to another node, and the first answer wins; see
 * {@link #execute} and {@link RoutedCall#hedge()}.
 *
 * @param <E> the endpoint type
 */
public final class Router<E> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    private final String name;
    private final RoutingPolicy policy;
    private final RetryPolicy retryPolicy;
    private final HedgePolicy hedgePolicy;
    private final ConcurrencyLimit concurrencyLimit;
    private final Ticker ticker;
    private final FailureClassifier classifier;
    private final NodeRegistry<E> registry;
    private final CallPath<E> path;
    private final HealthChecker<E> healthChecker;
    /** Null when hedging is off. */
    private final Executor hedgeExecutor;
    private final ExecutorService ownedHedgeExecutor;
    private final Object lifecycle = new Object();

    Router(RouterBuilder<E> b) {
        this.name = b.name;
        this.policy = b.policy != null ? b.policy : RoutingPolicies.poolEwma();
        this.retryPolicy = b.retry;
        this.hedgePolicy = b.hedge;
        this.concurrencyLimit = b.concurrencyLimit;
        this.ticker = b.ticker;
        this.classifier = b.classifier;
        double prior = b.latencyPrior.toNanos();
        // a hedge asks whether the node of the running attempt still answers others (CallPath.hedgeRefusal)
        Set<NodeStatistic> kept = EnumSet.noneOf(NodeStatistic.class);
        kept.addAll(policy.statistics());
        if (hedgePolicy.isEnabled()) {
            kept.add(NodeStatistic.SILENCE);
            kept.add(NodeStatistic.EWMA);
        }
        this.registry = new NodeRegistry<>(name, ticker, prior, b.peakEwmaDecay.toNanos(), kept,
                b.ejection, b.maxCoolDown.toNanos(),
                (b.healthCheck != null ? b.healthCheck.timeout() : HealthCheck.DEFAULT_TIMEOUT).toNanos(),
                List.copyOf(b.nodes.values()));
        this.path = new CallPath<>(name, registry, policy, ticker, b.random, retryPolicy, prior, hedgePolicy,
                b.concurrencyLimit);
        if (hedgePolicy.isEnabled()) {
            this.ownedHedgeExecutor = hedgePolicy.executor().isPresent() || b.executor != null ? null
                    : Executors.newCachedThreadPool(HedgedExecution.threads(name));
            this.hedgeExecutor = hedgePolicy.executor().orElse(b.executor != null ? b.executor : ownedHedgeExecutor);
        } else {
            this.ownedHedgeExecutor = null;
            this.hedgeExecutor = null;
        }
        for (RouterListener l : b.listeners) {
            registry.addListener(l);
        }
        // the probes' jitter draws from the router's seeded generator when it has one, for reproducible runs
        RandomGenerator probeJitter = b.random != null ? b.random : new SplittableRandom();
        if (b.healthCheck == null) {
            this.healthChecker = null;
        } else if (b.executor != null) {
            this.healthChecker = HealthChecker.startOn(name, b.healthCheck, ticker, probeJitter,
                    registry::states, registry::probed, b.executor);
        } else {
            this.healthChecker = HealthChecker.start(name, b.healthCheck, ticker, probeJitter,
                    registry::states, registry::probed);
        }
        LOG.log(Level.INFO, () -> "router '" + name + "' started with " + b.nodes.size() + " nodes, policy "
                + policy.name() + (b.healthCheck == null ? ", no health check" : ", " + b.healthCheck)
                + (b.concurrencyLimit.isEnabled() ? ", " + b.concurrencyLimit : ""));
    }

    /**
     * Returns a builder for a router with the given name.
     *
     * @param name letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters
     * @param <E> the endpoint type
     * @return the builder
     * @throws IllegalArgumentException if the name is not of that form
     */
    public static <E> RouterBuilder<E> builder(String name) {
        return new RouterBuilder<>(name);
    }

    /** @return the router's name */
    public String name() {
        return name;
    }

    /** @return the routing policy */
    public RoutingPolicy policy() {
        return policy;
    }

    /** @return the retry policy */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** @return the hedge policy ({@link HedgePolicy#disabled()} unless one was set) */
    public HedgePolicy hedgePolicy() {
        return hedgePolicy;
    }

    /** @return the concurrency limit's settings ({@link ConcurrencyLimit#disabled()} unless one was set); {@link #snapshot()} has its current value */
    public ConcurrencyLimit concurrencyLimit() {
        return concurrencyLimit;
    }

    /** @return the router's ticker */
    public Ticker ticker() {
        return ticker;
    }

    FailureClassifier classifier() {
        return classifier;
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
     * calling thread waits. When no attempt has answered the hedge delay ({@link RoutedCall#hedgeDelayNanos()}) after the
     * latest one started, a hedge starts on another node if the policy and its budget allow; the
     * first success is returned, and every other attempt still running is completed as
     * {@link Outcome#CANCELLED} and its thread interrupted (a result it still returns is dropped,
     * and closed if it is {@link AutoCloseable}). An attempt that fails is retried by the rules
     * above while the others keep running; the call fails when every attempt failed and none is
     * left to start. If the calling thread is interrupted, every running attempt is cancelled.
     *
     * @param call the work to run on a node
     * @param <T> the result type
     * @return what the successful attempt returned
     * @throws ConcurrencyLimitExceededException if the router has a {@link ConcurrencyLimit} and is
     *     at it: nothing was run
     * @throws NoAvailableNodeException if the router has no node
     * @throws AttemptsFailedException if no attempt succeeded; it carries each attempt's failure,
     *     naming the node. If the thread was interrupted, its interrupt flag is set again.
     * @throws IllegalStateException if the router is closed
     * @throws java.util.concurrent.RejectedExecutionException if hedging is on and the hedge
     *     policy's executor refuses the first attempt
     */
    public <T> T execute(NodeCall<E, T> call) {
        return execute(call, null);
    }

    /**
     * Runs {@code call} like {@link #execute(NodeCall)} within a time budget: no retry or hedge
     * begins once {@code timeout} has passed, or when the time left is less than the fastest
     * untried node takes, and no backoff outlasts it. With hedging, the calling thread stops
     * waiting when it passes: the attempts still running are cancelled and interrupted. Without
     * hedging the attempt runs on the calling thread, so the call's own I/O timeouts bound it.
     *
     * @param call the work to run on a node
     * @param timeout the call's time budget from now, or {@code null} for none
     * @param <T> the result type
     * @return what the successful attempt returned
     * @throws NoAvailableNodeException if the router has no node
     * @throws AttemptsFailedException if no attempt succeeded in time; it carries each attempt's
     *     failure, naming the node, and why the call stopped ("the call's deadline passed")
     * @throws IllegalArgumentException if the timeout is not positive
     * @throws IllegalStateException if the router is closed
     */
    public <T> T execute(NodeCall<E, T> call, Duration timeout) {
        Objects.requireNonNull(call, "call");
        RoutedCall<E> routed = newCall(null, timeout);
        if (hedgeExecutor != null) {
            return new HedgedExecution<>(this, routed, call, hedgeExecutor).run();
        }
        return SequentialExecution.run(this, routed, call);
    }

    /**
     * Begins a single attempt on the node the policy chooses, with no failover: the cheapest way
     * to route one piece of work. The caller must {@link Attempt#complete complete} it. For a call
     * that may retry or hedge, use {@link #newCall()}.
     *
     * @return the attempt
     * @throws ConcurrencyLimitExceededException if the router has a {@link ConcurrencyLimit} and is at it
     * @throws NoAvailableNodeException if the router has no node
     * @throws IllegalStateException if the router is closed
     */
    public Attempt<E> begin() {
        // kept small so it can inline into the caller, where the JIT may scalar-replace an attempt that
        // does not escape (it does not do so reliably: see benchmarks/RESULTS.md)
        long now = ticker.read();
        boolean limited = path.limits();
        return new Attempt<>(path, path.first(null, null, now, limited), 1, now, true, limited)
                .observed(AttemptObserver.Kind.FIRST);
    }

    /**
     * Returns a new call over all nodes, without a deadline.
     *
     * @return the call; {@link RoutedCall#begin()} starts it
     */
    public RoutedCall<E> newCall() {
        return new RoutedCall<>(path, null, null);
    }

    /**
     * Returns a new call over the nodes {@code eligible} accepts (a read-replica filter, say; its
     * retries and hedges apply it too), that no retry or hedge outlives.
     *
     * @param eligible which nodes the call may use, or {@code null} for all; filtering costs a
     *     small allocation per attempt, except for a {@link NodeGroup} of this router on the first attempt
     * @param timeout the call's time budget from now, or {@code null} for none
     * @return the call; {@link RoutedCall#begin()} starts it
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public RoutedCall<E> newCall(Predicate<? super Node<E>> eligible, Duration timeout) {
        return new RoutedCall<>(path, eligible, timeout);
    }

    /**
     * Returns a group of this router's nodes: those {@code members} accepts. Pass it as a call's filter
     * ({@link #newCall(Predicate, Duration)}): its candidates are worked out once per change of the
     * router's view, or after {@link NodeGroup#refresh()}, instead of on every call.
     *
     * @param name what the group is, for messages (such as {@code "replicas"})
     * @param members which nodes belong; must answer the same for a node until the group is refreshed
     * @return the group
     * @throws NullPointerException if an argument is null
     */
    public NodeGroup<E> group(String name, Predicate<? super Node<E>> members) {
        return NodeGroup.of(path, name, members);
    }

    /**
     * Binds work to the node an attempt went to, for what must follow on that node only (the
     * statements of a connection taken from it).
     *
     * @param attempt an attempt of this router
     * @return the binding; its attempts never fail over
     * @throws IllegalArgumentException if the attempt is another router's
     */
    public BoundNode<E> bind(Attempt<E> attempt) {
        checkOwn(attempt);
        return new BoundNode<>(path, attempt.state);
    }

    /**
     * Begins the first attempt of a call over {@code eligible} without making the call, and binds work
     * to its node: the cheapest way to route work that almost always succeeds at once and only now and
     * then fails over (taking a connection from a local pool). The node is the one
     * {@link RoutedCall#begin()} of an {@link RoutedCall#untimed() untimed} call over {@code eligible}
     * would choose, by the same rules (the available nodes it accepts, failing open to any it accepts;
     * an ejected node's open trial; the call counted for the retry budget), and the attempt is counted
     * in flight on it. The attempt is untimed and never refused by a {@link ConcurrencyLimit}; it owes
     * the node no answer, so it does not start the node's {@link NodeStats#silentNanos silence}. The
     * router's {@link Ticker} is read only when something needs the time: a running ejection or cool-down
     * (whose end may have come), a limited retry budget's look, an ejected node's open trial, a pick among
     * more than one node, or a listener or observer of attempts; a binding to the one node of a group,
     * with none of these, reads no clock.
     *
     * <p>End the attempt with {@link BoundNode#endFirst(Outcome)}, then do the work on the binding
     * (close it when the work is over). If the attempt failed and another node should be tried, hand it
     * to a call over the same {@code eligible} instead: {@code newCall(eligible, timeout).adopt(binding)}
     * makes it the call's first attempt (and closes the binding), after which the call goes on as any.
     *
     * @param eligible which nodes the work may use, or {@code null} for all; a {@link NodeGroup} of this
     *     router filters nothing and allocates nothing
     * @return the binding, its first attempt running
     * @throws NoAvailableNodeException if no registered node is accepted
     * @throws IllegalStateException if the router is closed
     */
    public BoundNode<E> bindFirst(Predicate<? super Node<E>> eligible) {
        return BoundNode.first(path, path.bindFirst(eligible, RoutedCall.groupOf(path, eligible), false));
    }

    /**
     * Like {@link #bindFirst(Predicate)} over {@code group}, but without failing open: when none of the
     * group's members is available (healthy, not ejected, not cooling down) it returns {@code null} and
     * counts nothing, so the caller can turn to another group before it tries members believed down (the
     * JDBC data source reads from the primary before it tries replicas it knows are down). One look at
     * the group's kept candidates, where asking {@link NodeGroup#available()} first and then binding took
     * two.
     *
     * @param group a group of this router
     * @return the binding, its first attempt running, or {@code null} when no member is available
     * @throws NullPointerException if {@code group} is null
     * @throws IllegalArgumentException if {@code group} belongs to another router
     * @throws IllegalStateException if the router is closed
     */
    public BoundNode<E> bindFirstAvailable(NodeGroup<E> group) {
        GroupCandidates<E> candidates = RoutedCall.groupOf(path, Objects.requireNonNull(group, "group"));
        if (candidates == null) {
            throw new IllegalArgumentException("router '" + name + "': " + group + " is not a group of this router");
        }
        NodeState<E> state = path.bindFirst(group, candidates, true);
        return state == null ? null : BoundNode.first(path, state);
    }

    /**
     * Reports the load a node said it had while serving an attempt, as a server may in response
     * headers: its queue length and the time it spent on the work itself. Kept only when the
     * policy reads it ({@code c3}); otherwise ignored. Either value may be unknown: pass a negative
     * number for it. Each call is one sample of the node's moving averages.
     *
     * @param attempt the attempt that was served
     * @param queueLength requests waiting or in service at the node, or negative if unknown
     * @param serviceTimeNanos the node's own time on this request, or negative if unknown
     */
    public void reportServerLoad(Attempt<E> attempt, double queueLength, long serviceTimeNanos) {
        checkOwn(attempt);
        attempt.state.reportServerLoad(queueLength, serviceTimeNanos);
    }

    private void checkOwn(Attempt<E> attempt) {
        if (attempt.path != path) {
            throw new IllegalArgumentException("router '" + name + "': " + attempt + " is not an attempt of this router");
        }
    }

    // ------------------------------------------------------------------ membership

    /**
     * Adds a node; it takes calls at once (and is probed at once when health checking is on).
     *
     * @param node the node
     * @throws IllegalArgumentException if a node with the same id is registered
     * @throws IllegalStateException if the router is closed
     */
    public void addNode(Node<E> node) {
        Objects.requireNonNull(node, "node");
        path.ensureOpen();
        registry.add(node);
    }

    /**
     * Removes the node with the given id. Calls in flight on it complete normally and are counted
     * in the router's totals; no new call goes to it.
     *
     * @param id the node's id
     * @return whether such a node was registered
     */
    public boolean removeNode(String id) {
        return registry.remove(id);
    }

    /**
     * Replaces the definition of a registered node (same id: new endpoint, weight, zone or labels),
     * keeping its statistics, health and ejection state.
     *
     * @param node the new definition
     * @throws IllegalArgumentException if no node with that id is registered
     */
    public void replaceNode(Node<E> node) {
        registry.replace(Objects.requireNonNull(node, "node"));
    }

    /** @return the registered nodes, in registration order */
    public List<Node<E>> nodes() {
        return Arrays.stream(registry.states()).map(NodeState::node).toList();
    }

    /**
     * Returns the live statistics of a node.
     *
     * @param id the node's id
     * @return its statistics, if registered
     */
    public Optional<NodeStats> stats(String id) {
        return Optional.ofNullable(registry.find(id));
    }

    // ------------------------------------------------------------------ listeners, snapshot, lifecycle

    /**
     * Registers a listener; it is told {@link RouterListener#onNodeAdded} for every node registered
     * now, then every event from here on.
     *
     * @param listener the listener
     */
    public void addListener(RouterListener listener) {
        registry.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Sets the observer that watches every attempt of this router from its beginning to its end, for
     * tracing (see {@link AttemptObserver}; {@code router-micrometer}'s {@code RouterObservations} makes
     * a Micrometer {@code Observation} of each). A router has one observer at a time: this replaces the
     * one before, for attempts begun from now on. Without one (the default) an attempt costs one more
     * field read.
     *
     * @param observer the observer; {@link AttemptObserver#NONE} removes it
     * @throws NullPointerException if {@code observer} is null
     */
    public void observeAttempts(AttemptObserver observer) {
        path.observer(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Unregisters a listener (compared by identity).
     *
     * @param listener the listener
     */
    public void removeListener(RouterListener listener) {
        registry.removeListener(listener);
    }

    /** @return the state of every node and the router's totals, for people and dashboards */
    public RouterSnapshot snapshot() {
        long[] totals = registry.attemptTotals();
        List<NodeSnapshot> nodes = registry.snapshot();
        return new RouterSnapshot(name, policy.name(), nodes, totals[1], totals[0],
                path.retries(), path.budgetRefusals(), path.noAvailableNode(), path.hedges(),
                path.hedgeBudgetRefusals(), path.unpaidHedgeRefusals(), path.concurrencyLimit(), path.limitedInFlight(),
                path.limitRejections(), path.limitRefusedExtras());
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return path.isClosed();
    }

    /**
     * Stops health checking and waits for its threads to end, and shuts down the router's own pool
     * for hedged calls (attempts running on it finish); later calls to {@link #begin},
     * {@link RoutedCall#begin} and {@link #execute} throw {@link IllegalStateException}. Attempts
     * already begun may still be completed. Idempotent.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (path.isClosed()) {
                return;
            }
            path.close();
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
        return "Router[" + name + ", " + registry.states().length + " nodes, " + policy.name() + "]";
    }

}
