package io.smartqueryrouter.core.internal;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeSnapshot;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.Ticker;
import io.smartqueryrouter.core.spi.Candidates;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * The nodes of one router and every change of their state that is not a single call's: membership,
 * the copy-on-write {@link View} the call path reads, health transitions from the health checker,
 * passive outlier ejection and its end, cool-downs, and the router's listeners. Changes take one
 * lock and rebuild the view; reads never lock.
 *
 * @param <E> the endpoint type
 */
public final class NodeRegistry<E> {
    private static final System.Logger LOG = System.getLogger("io.smartqueryrouter.core.Router");

    private final String router;
    private final Ticker ticker;
    private final double priorNanos;
    private final double tauNanos;
    private final Set<NodeStatistic> statistics;
    /** How fast the service answers as a whole, shared by the nodes' states (read with {@code SERVICE_DISCOUNT} only). */
    private final ServiceLatency service = new ServiceLatency();
    private final OutlierEjection ejection;
    private final long maxCoolDownNanos;
    private final long downNodeWaitNanos;
    /** Whether a timed-out trial lengthens the wait before the next (a max trial interval above the interval). */
    private final boolean backoff;

    /**
     * How many times more often than most of the others a node must have failed lately to be an outlier
     * ({@link #failsLikeTheOthers}). At 5 failures in a row a node's failure ratio is at least 0.28, so
     * the others count as failing as often from 0.07, about 2 failures in their last 16 attempts; a
     * node with a service slow everywhere is seldom 4x worse than its peers, one slow or gone alone is
     * (its peers fail nothing). Measured in the simulator (benchmarks/results/issue-12r): with 4, no
     * run of correlated, correlated-dropping or capacity-loss-health on seeds 42, 7 and 1234 fails more
     * calls with ejection than without on every router stream; with 2 (tried before the test of failures
     * in a row) three correlated-dropping runs still did.
     */
    private static final double OUTLIER_FACTOR = 4;

    private final Object lock = new Object();
    private volatile NodeState<E>[] nodes;
    /** Removed nodes whose attempts may still run or begin (bound work); guarded by lock. */
    private final List<NodeState<E>> retired = new ArrayList<>();
    /** What the removed nodes folded into the totals had completed; guarded by lock. */
    private long foldedCompleted;
    /** Attempts begun and completed on folded nodes (bound work that outlived every sign of it). */
    private final LongAdder lateStarted = new LongAdder();
    private final LongAdder lateCompleted = new LongAdder();
    private volatile View view;
    private volatile RouterListener listener = SafeListeners.NONE;
    /** The listeners that hear of completed attempts; {@link SafeListeners#NONE} when none overrides that event. */
    private volatile RouterListener attemptListener = SafeListeners.NONE;

    /**
     * What the call path reads: rebuilt when membership, health, ejection or a cool-down changes.
     *
     * @param routable the nodes a call over the whole router may use now: the available ones, or in
     *     panic (fewer available than the panic threshold allows) every registered node
     * @param available the nodes that are healthy, not ejected, not cooling down
     * @param all every registered node, for failing open
     * @param healthy how many are healthy
     * @param ejected how many are ejected
     * @param nextDeadlineNanos the earliest end of an ejection or cool-down, or trial of an ejected
     *     node, if {@code hasDeadline}
     * @param hasDeadline whether some ejection or cool-down is running
     * @param trial an ejected node whose trial call (half-open) may go now, or null
     * @param panic whether too few nodes are available, so calls go across all of them
     */
    public record View(Candidates routable, Candidates available, Candidates all, int healthy, int ejected,
            long nextDeadlineNanos, boolean hasDeadline, NodeState<?> trial, boolean panic) {
    }

    /**
     * @param router the router's name, for messages
     * @param initial the nodes, in order
     * @param statistics what each node keeps besides the Peak-EWMA
     * @param downNodeWaitNanos the longest an attempt should wait on a node believed down
     */
    public NodeRegistry(String router, Ticker ticker, double priorNanos, double tauNanos,
            Set<NodeStatistic> statistics, OutlierEjection ejection, long maxCoolDownNanos, long downNodeWaitNanos,
            List<Node<E>> initial) {
        this.router = router;
        this.ticker = ticker;
        this.priorNanos = priorNanos;
        this.tauNanos = tauNanos;
        // ejection compares a node's failure ratio with the others' (failsLikeTheOthers), whatever the policy reads
        Set<NodeStatistic> kept = EnumSet.noneOf(NodeStatistic.class);
        kept.addAll(statistics);
        if (ejection.isEnabled()) {
            kept.add(NodeStatistic.FAILURE_RATIO);
        }
        this.statistics = Set.copyOf(kept);
        this.ejection = ejection;
        this.maxCoolDownNanos = maxCoolDownNanos;
        this.downNodeWaitNanos = downNodeWaitNanos;
        this.backoff = ejection.maxTrialInterval().compareTo(ejection.trialInterval()) > 0;
        long now = ticker.read();
        @SuppressWarnings("unchecked")
        NodeState<E>[] states = (NodeState<E>[]) new NodeState<?>[initial.size()];
        for (int i = 0; i < states.length; i++) {
            states[i] = newState(initial.get(i), now);
        }
        synchronized (lock) {
            this.nodes = states;
            rebuildView(now);
        }
    }

    private NodeState<E> newState(Node<E> node, long now) {
        return new NodeState<>(node, priorNanos, tauNanos, now, statistics, service);
    }

    /** Returns the current listener (one object standing for all of them; a no-op without any). */
    public RouterListener listener() {
        return listener;
    }

    /**
     * Returns the listener for completed attempts: {@link SafeListeners#NONE} unless some listener
     * overrides {@link RouterListener#onAttemptCompleted}, so a listener of other events only (an
     * adapter following health checks, say) costs the call path nothing.
     */
    public RouterListener attemptListener() {
        return attemptListener;
    }

    /** Returns whether a listener hears every attempt's completion (then its duration is wanted). */
    public boolean hearsAttempts() {
        return attemptListener != SafeListeners.NONE;
    }

    /** Returns the registered nodes' states, in registration order; the array must not be changed. */
    public NodeState<E>[] states() {
        return nodes;
    }

    /** Returns the state of the node with this id, or null. */
    public NodeState<E> find(String id) {
        for (NodeState<E> s : nodes) {
            if (s.node().id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** Returns the registered node ids, for messages. */
    public List<String> ids() {
        return Arrays.stream(nodes).map(s -> s.node().id()).toList();
    }

    /**
     * Returns the longest an attempt should wait on this node: {@code Long.MAX_VALUE} while the
     * router believes it well, the health check's timeout while it is unhealthy or ejected (a call
     * that went there in panic, as a trial, or failing open).
     */
    public long waitLimitNanos(NodeState<E> state) {
        return state.healthy() && !state.ejected() ? Long.MAX_VALUE : downNodeWaitNanos;
    }

    /**
     * Returns the longest an attempt begun at {@code startNanos} should wait on this node: as
     * {@link #waitLimitNanos(NodeState)}, but an ejected node's trial call (half-open) may wait less
     * once an earlier trial of the ejection timed out: as long as the slowest available node lately
     * took, fixed when the trial began ({@link #claimTrial}).
     */
    public long waitLimitNanos(NodeState<E> state, long startNanos) {
        return state.healthy() && !state.ejected() ? Long.MAX_VALUE : state.trialWaitNanos(startNanos, downNodeWaitNanos);
    }

    /**
     * Returns the view as it stands, without reading the clock: an ejection or cool-down whose time is
     * up still counts until the next {@link #view(long)} ends it.
     */
    public View currentView() {
        return view;
    }

    /** Returns the view as of {@code now}, ending the ejections and cool-downs whose time is up first. */
    public View view(long now) {
        View v = view;
        if (v.hasDeadline && now - v.nextDeadlineNanos >= 0) {
            v = expireDeadlines(now);
        }
        return v;
    }

    // ------------------------------------------------------------------ membership

    /**
     * Adds a node.
     *
     * @throws IllegalArgumentException if its id is taken
     */
    public void add(Node<E> node) {
        synchronized (lock) {
            if (find(node.id()) != null) {
                throw new IllegalArgumentException("router '" + router + "': duplicate node id '" + node.id() + "'");
            }
            long now = ticker.read();
            NodeState<E>[] next = Arrays.copyOf(nodes, nodes.length + 1);
            next[nodes.length] = newState(node, now);
            nodes = next;
            rebuildView(now);
        }
        LOG.log(Level.INFO, () -> "router '" + router + "': added " + node);
        listener.onNodeAdded(router, node);
    }

    /** Removes a node; calls in flight on it finish normally. Returns whether it was registered. */
    public boolean remove(String id) {
        NodeState<E> removed;
        synchronized (lock) {
            removed = find(id);
            if (removed == null) {
                return false;
            }
            removed.markRemoved();
            retired.add(removed);
            foldQuiescent();
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
        LOG.log(Level.INFO, () -> "router '" + router + "': removed node '" + id + "'");
        listener.onNodeRemoved(router, removed.node());
        return true;
    }

    /**
     * Replaces a node's definition, keeping its state.
     *
     * @throws IllegalArgumentException if no node has its id
     */
    public void replace(Node<E> node) {
        synchronized (lock) {
            NodeState<E> s = find(node.id());
            if (s == null) {
                throw new IllegalArgumentException("router '" + router + "': no node with id '" + node.id()
                        + "' to replace; registered: " + ids());
            }
            s.node(node);
            rebuildView(ticker.read());
        }
        LOG.log(Level.INFO, () -> "router '" + router + "': replaced " + node);
    }

    // ------------------------------------------------------------------ totals

    /**
     * Decides how an attempt already counted in flight on a removed node counts: under the lock, so
     * no fold interleaves. The caller raised the node's in-flight count before it saw the node
     * removed, so a fold that has not happened yet cannot happen while the attempt runs. An attempt
     * on a node folded already counts apart (late), and reads that off the node when it is created.
     */
    public void begunOnRemoved(NodeState<E> state) {
        synchronized (lock) {
            if (state.folded()) {
                lateStarted.increment();
            }
        }
    }

    /** Counts the end of a late attempt. */
    public void lateCompleted() {
        lateCompleted.increment();
    }

    /**
     * Folds the removed nodes nothing counts on any more into {@link #foldedCompleted}: nothing in
     * flight (a {@code BoundNode} still open does not keep its node: what it begins after the fold counts
     * apart, late). The caller holds the lock.
     */
    private void foldQuiescent() {
        retired.removeIf(s -> {
            if (s.inFlight() != 0) {
                return false;
            }
            s.fold();
            foldedCompleted += s.completedTotal();
            return true;
        });
    }

    /**
     * Returns the router's attempts completed and started, over every node it ever had, from the
     * nodes' own counts (the call path keeps no counter of its own). Each node's completions are
     * read before its attempts in flight, and started is completed plus in flight, so it is never less.
     *
     * @return {completed, started}
     */
    public long[] attemptTotals() {
        long completed;
        long inFlight;
        synchronized (lock) {
            foldQuiescent();
            completed = foldedCompleted + lateCompleted.sum();
            inFlight = lateStarted.sum() - lateCompleted.sum();
            for (NodeState<E> s : retired) {
                completed += s.completedTotal();
                inFlight += s.inFlight();
            }
            for (NodeState<E> s : nodes) {
                completed += s.completedTotal();
                inFlight += s.inFlight();
            }
        }
        return new long[] {completed, completed + Math.max(0, inFlight)};
    }

    // ------------------------------------------------------------------ listeners

    /** Adds a listener and tells it of every registered node. */
    public void addListener(RouterListener added) {
        RouterListener single;
        synchronized (lock) {
            listener = SafeListeners.plus(listener, added);
            attemptListener = SafeListeners.hearingAttempts(listener);
            single = SafeListeners.plus(SafeListeners.NONE, added);
        }
        for (NodeState<E> s : nodes) {
            single.onNodeAdded(router, s.node());
        }
    }

    /** Removes a listener (by identity). */
    public void removeListener(RouterListener removed) {
        synchronized (lock) {
            listener = SafeListeners.minus(listener, removed);
            attemptListener = SafeListeners.hearingAttempts(listener);
        }
    }

    // ------------------------------------------------------------------ what completions and probes change

    /**
     * What follows a completed attempt off the hot path: the end of an ejection when an attempt
     * begun since the ejection was answered (an answer to one begun before it, a call queued behind
     * the failures that ejected the node, says nothing new), the cool-down it asked for, and an
     * ejection once the node failed too often in a row. A call to an ejected node that failed after
     * timing out (for its trial call: waiting longer than the slowest available node took when the
     * trial began; for another call, or with no such node: half its wait limit or more) is no
     * refusal: a trial that timed out lets the ejection's later trials wait less
     * ({@link #claimTrial}), and with a max trial interval above the trial interval
     * ({@link OutlierEjection#maxTrialInterval()}) any such call doubles the wait before the node's
     * next trial, up to it: a node that stays black-holed, with no health check to show it, costs a
     * few wait-limited calls per ejection.
     *
     * @param durationNanos how long the attempt took (0 when not known)
     */
    public void afterCompleted(NodeState<E> state, Outcome outcome, long now, int consecutive, long coolDownNanos,
            long durationNanos) {
        if (state.ejected() && (outcome == Outcome.SUCCESS || outcome == Outcome.CLIENT_ERROR)
                && (durationNanos == 0 || now - durationNanos - state.ejectedAtNanos() >= 0)) {
            answeredWhileEjected(state, now, "answered a call");
        } else if (state.ejected() && outcome.blamesNode()) {
            long start = now - durationNanos;
            long usual = state.trialUsualNanos(start);
            // timed out, not refused: waited longer than the slowest available node lately took to answer (the
            // adapter's own timeout may be under the wait limit), or half the wait limit when that is unknown
            boolean timedOut = durationNanos >= (usual > 0 ? usual : state.trialWaitNanos(start, downNodeWaitNanos) / 2);
            if (usual >= 0 && timedOut && !state.trialUnanswered()) {
                // a trial waited longer than an answer takes and got nothing: from now on this ejection's trials may
                // wait less
                state.trialUnanswered(true);
            }
            if (backoff && timedOut) {
                trialTimedOut(state, now);
            }
        }
        if (coolDownNanos > 0) {
            coolDown(state, now, Math.min(coolDownNanos, maxCoolDownNanos));
        }
        if (outcome.blamesNode() && consecutive >= ejection.consecutiveFailures() && ejection.isEnabled()) {
            maybeEject(state, now);
        }
    }

    private void coolDown(NodeState<E> state, long now, long nanos) {
        synchronized (lock) {
            if (state.removed()) {
                return;
            }
            state.coolDown(now + nanos);
            rebuildView(now);
        }
        LOG.log(Level.DEBUG, () -> "router '" + router + "': node '" + state.node().id() + "' cools down for "
                + Duration.ofNanos(nanos));
    }

    private void maybeEject(NodeState<E> state, long now) {
        long duration;
        List<Node<E>> restored;
        synchronized (lock) {
            if (state.removed() || state.ejected() || state.consecutiveFailures() < ejection.consecutiveFailures()) {
                return;
            }
            if (othersFailing(state)) {
                // not an outlier: the nodes left fail too, so the ejected ones are needed back
                restored = restoreAll(now);
                duration = -1;
            } else if (failsLikeTheOthers(state, now)) {
                // no outlier: ejecting it would idle its capacity while the nodes that take its share fail as often
                return;
            } else {
                int allowed = nodes.length * ejection.maxEjectionPercent() / 100;
                int ejectedNow = 0;
                for (NodeState<E> s : nodes) {
                    // an ejection whose time is up no longer counts, even before the view noticed
                    ejectedNow += s.ejected() && s.ejectedUntilNanos() - now > 0 ? 1 : 0;
                }
                if (ejectedNow >= allowed) {
                    return;
                }
                restored = List.of();
                duration = state.eject(now, ejection.baseEjection().toNanos(), ejection.maxEjection().toNanos(),
                        ejection.trialInterval().toNanos());
            }
            rebuildView(now);
        }
        if (duration < 0) {
            for (Node<E> n : restored) {
                LOG.log(Level.INFO, () -> "router '" + router + "': node '" + n.id() + "' restored before its "
                        + "ejection ended: the nodes left fail too (node '" + state.node().id() + "' among them)");
                listener.onRestored(router, n);
            }
            return;
        }
        Duration d = Duration.ofNanos(duration);
        LOG.log(Level.INFO, () -> "router '" + router + "': node '" + state.node().id() + "' ejected for " + d
                + " after " + ejection.consecutiveFailures() + " consecutive failures");
        listener.onEjected(router, state.node(), d);
    }

    /**
     * Whether at least half of the other nodes not ejected or cooling down are failing too: unhealthy,
     * or with at least half as many blamed failures in a row as eject a node. Then the fault is the
     * cluster's (overload, a shared dependency, an outage), not this node's, and ejecting it would
     * pile its load onto nodes that fail already. The caller holds the lock.
     */
    private boolean othersFailing(NodeState<E> state) {
        int inARow = (ejection.consecutiveFailures() + 1) / 2;
        int others = 0;
        int failing = 0;
        for (NodeState<E> s : nodes) {
            if (s != state && !s.ejected() && !s.coolingDown()) {
                others++;
                failing += !s.healthy() || s.consecutiveFailures() >= inARow ? 1 : 0;
            }
        }
        return others > 0 && failing * 2 >= others;
    }

    /**
     * Whether at least half of the other nodes not ejected or cooling down have lately failed at least
     * {@link #OUTLIER_FACTOR 1/4} as often as this one ({@link NodeStats#failureRatio}): then the node
     * is no outlier, whatever its failures in a row (the relative test of Envoy's success-rate and
     * failure-percentage detection, which ejects a host only when it fails clearly more than the
     * cluster). {@link #othersFailing} asks for failures in a row, which a service slow everywhere
     * does not give when a node's timeouts alternate with answers (servers that drop work whose
     * caller gave up answer the calls still queued fast enough): there an ejection left the node's
     * capacity idle until its trial a second later while the others, failing as often, took its share,
     * and the node then came back with its latency history forgotten against peers still remembering
     * the slowdown, so latency-led policies crowded it; 0.02-0.2 points more calls failed than with no
     * ejection (benchmarks/results/issue-12r). The caller holds the lock.
     */
    private boolean failsLikeTheOthers(NodeState<E> state, long now) {
        double own = state.failureRatio(now);
        int others = 0;
        int asOften = 0;
        for (NodeState<E> s : nodes) {
            if (s != state && !s.ejected() && !s.coolingDown()) {
                others++;
                asOften += s.failureRatio(now) * OUTLIER_FACTOR >= own ? 1 : 0;
            }
        }
        return others > 0 && asOften * 2 >= others;
    }

    /** Ends every ejection; the caller holds the lock and rebuilds the view. Returns the nodes restored. */
    private List<Node<E>> restoreAll(long now) {
        List<Node<E>> restored = new ArrayList<>();
        for (NodeState<E> s : nodes) {
            if (s.ejected()) {
                s.restore(now);
                restored.add(s.node());
            }
        }
        return restored;
    }

    /**
     * Takes the open trial of an ejected node for one call (half-open): returns whether this call got
     * it; then no other trial goes to the node for the current trial gap (the trial interval, longer
     * after trials that timed out: {@link #afterCompleted}), and the call's answer decides.
     *
     * <p>The first trial of an ejection may wait the wait limit on a node believed down (the health
     * check's timeout): an overloaded node working through its backlog gets that long to answer.
     * Once a trial of the ejection failed after waiting longer than the slowest available node then
     * took (a timeout, not a refusal: {@link #afterCompleted}), each later timed trial call (one
     * whose latency the router measures) may wait only that long, while every available node
     * answers its calls ({@link #usualWaitNanos}, {@link #anyAvailableFailing}): a node that answers
     * as the nodes in use do still passes, however slow they all are, while a black hole costs each
     * trial call no more than a slow answer from a healthy node before the call fails over. An
     * untimed trial (taking a pooled JDBC connection, which says nothing of query latency) always
     * keeps the wait limit.
     *
     * @param timed whether the call's latency is measured
     */
    public boolean claimTrial(NodeState<?> state, long now, boolean timed) {
        synchronized (lock) {
            if (state.removed() || !state.ejected() || !state.trialOpen()) {
                return false;
            }
            state.trialTaken(now, state.trialGapNanos());
            long usual = usualWaitNanos(state, now);
            boolean shorter = timed && usual > 0 && state.trialUnanswered() && !anyAvailableFailing(state);
            state.trialBegan(now, shorter ? usual : downNodeWaitNanos, usual);
            rebuildView(now);
            return true;
        }
    }

    /**
     * How long the slowest node calls go to lately took, for an ejected node's trial call: the largest
     * Peak-EWMA among the available nodes with a latency sample (a Peak-EWMA follows a node's slow
     * answers and fades over its tau), at least the prior, at most the wait limit on a node believed
     * down; 0 when no available node has a sample. The caller holds the lock.
     */
    private long usualWaitNanos(NodeState<?> trial, long now) {
        Candidates available = view.available();
        boolean sampled = false;
        double slowest = priorNanos;
        for (int i = 0; i < available.size(); i++) {
            NodeStats s = available.get(i);
            if (s != trial && s.hasLatencySample()) {
                sampled = true;
                slowest = Math.max(slowest, s.peakEwmaNanos(now));
            }
        }
        return sampled ? (long) Math.min(downNodeWaitNanos, slowest) : 0;
    }

    /**
     * Whether an available node other than {@code trial} failed its latest attempt: then the nodes do
     * not all answer normally (overload, a herd, a shared fault), and the ejected node may be slow for
     * the same reason rather than gone. The caller holds the lock.
     */
    private boolean anyAvailableFailing(NodeState<?> trial) {
        Candidates available = view.available();
        for (int i = 0; i < available.size(); i++) {
            NodeStats s = available.get(i);
            if (s != trial && s.consecutiveFailures() > 0) {
                return true;
            }
        }
        return false;
    }

    private void trialTimedOut(NodeState<E> state, long now) {
        long gap;
        synchronized (lock) {
            if (state.removed() || !state.ejected()) {
                return;
            }
            gap = Math.min(2 * state.trialGapNanos(), ejection.maxTrialInterval().toNanos());
            state.trialTaken(now, gap);
            rebuildView(now);
        }
        Duration d = Duration.ofNanos(gap);
        LOG.log(Level.DEBUG, () -> "router '" + router + "': node '" + state.node().id() + "' timed out its trial; "
                + "next trial in " + d);
    }

    /**
     * An ejected node answered a call (a trial, or one sent in panic): its ejection ends at once.
     *
     * @param how what showed it, for the log
     */
    public void answeredWhileEjected(NodeState<E> state, long now, String how) {
        synchronized (lock) {
            if (state.removed() || !state.ejected()) {
                return;
            }
            state.restore(now);
            // the failures that ejected it say nothing of how it answers now
            state.forgetLatency();
            rebuildView(now);
        }
        LOG.log(Level.INFO, () -> "router '" + router + "': node '" + state.node().id() + "' " + how
                + ": restored before its ejection ended");
        listener.onRestored(router, state.node());
    }

    /** The health checker's sink: records a probe and applies a health change. */
    public void probed(NodeState<E> state, ProbeResult result, long durationNanos, Boolean healthChange) {
        state.lastProbe(result);
        listener.onHealthChecked(router, state.node(), result, durationNanos);
        if (healthChange != null) {
            changeHealth(state, result, healthChange);
        }
        if (result.healthy() && state.healthy() && state.ejected()) {
            // a passing active check of a healthy node ends its ejection (Envoy's successful_active_health_check_uneject_host)
            answeredWhileEjected(state, ticker.read(), "passed its health check");
        }
    }

    private void changeHealth(NodeState<E> state, ProbeResult result, boolean healthy) {
        synchronized (lock) {
            if (state.removed()) {
                return;
            }
            state.healthy(healthy);
            if (healthy) {
                state.forgetLatency();
            }
            rebuildView(ticker.read());
        }
        LOG.log(Level.INFO, () -> "router '" + router + "': node '" + state.node().id() + "' is now "
                + (healthy ? "healthy" : "unhealthy: " + result.detail()));
        listener.onHealthChanged(router, state.node(), healthy, result);
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
                } else if (s.ejected() && !s.trialOpen() && now - s.trialAtNanos() >= 0) {
                    s.openTrial();
                }
                if (s.coolingDown() && now - s.coolDownUntilNanos() >= 0) {
                    s.endCoolDown();
                }
            }
            v = rebuildView(now);
        }
        for (Node<E> n : restored) {
            LOG.log(Level.INFO, () -> "router '" + router + "': node '" + n.id() + "' restored after ejection");
            listener.onRestored(router, n);
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
        NodeState<?> trial = null;
        for (NodeState<E> s : all) {
            healthy += s.healthy() ? 1 : 0;
            ejected += s.ejected() ? 1 : 0;
            if (s.available()) {
                available.add(s);
            }
            if (s.ejected()) {
                // its ejection's end, or its next trial if that comes first
                long due = s.trialOpen() || s.ejectedUntilNanos() - s.trialAtNanos() <= 0 ? s.ejectedUntilNanos()
                        : s.trialAtNanos();
                if (!hasDeadline || due - deadline < 0) {
                    deadline = due;
                    hasDeadline = true;
                }
                if (trial == null && s.trialOpen() && s.healthy() && !s.coolingDown()) {
                    trial = s;
                }
            }
            if (s.coolingDown() && (!hasDeadline || s.coolDownUntilNanos() - deadline < 0)) {
                deadline = s.coolDownUntilNanos();
                hasDeadline = true;
            }
        }
        // panic (Envoy's healthy panic threshold): too few nodes left to carry the load, so use them all
        boolean panic = available.size() < all.length && available.size() * 100 < ejection.panicThreshold() * all.length;
        View previous = this.view;
        Candidates everyNode = Candidates.of(all);
        Candidates availableNow = Candidates.of(available.toArray(NodeStats[]::new));
        View v = new View(panic ? everyNode : availableNow, availableNow, everyNode, healthy, ejected, deadline,
                hasDeadline, panic ? null : trial, panic);
        this.view = v;
        if (previous != null && previous.panic() != panic) {
            int n = available.size();
            LOG.log(Level.INFO, () -> "router '" + router + "': " + (panic ? "panic: only " + n + " of " + all.length
                    + " nodes available (threshold " + ejection.panicThreshold() + "%), calls go across all of them"
                    : "panic over: " + n + " of " + all.length + " nodes available"));
        }
        return v;
    }

    /** Returns every node's state now, for a snapshot. */
    public List<NodeSnapshot> snapshot() {
        long now = ticker.read();
        view(now);
        List<NodeSnapshot> list = new ArrayList<>();
        for (NodeState<E> s : nodes) {
            ProbeResult probe = s.lastProbe();
            // completions are read before requests, so a node never shows more completed than begun
            long success = s.completed(Outcome.SUCCESS);
            long failure = s.completed(Outcome.FAILURE);
            long overloaded = s.completed(Outcome.OVERLOADED);
            long clientError = s.completed(Outcome.CLIENT_ERROR);
            long cancelled = s.completed(Outcome.CANCELLED);
            int inFlight = s.inFlight();
            long requests = Math.max(s.requests(), success + failure + overloaded + clientError + cancelled + inFlight);
            list.add(new NodeSnapshot(s.node().id(), Redaction.endpoint(s.node().endpoint()),
                    s.weight(), s.node().zone(), s.healthy(), s.ejected(),
                    s.ejected() ? Duration.ofNanos(Math.max(0, s.ejectedUntilNanos() - now)) : Duration.ZERO,
                    s.timesEjected(), s.coolingDown(), inFlight, requests, success, failure, overloaded, clientError,
                    cancelled, s.consecutiveFailures(), Duration.ofNanos((long) s.peakEwmaNanos(now)),
                    probe == null ? "" : probe.detail()));
        }
        return list;
    }
}
