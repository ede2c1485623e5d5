package io.smartqueryrouter.core;

import io.smartqueryrouter.core.config.ConfigRules;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * Builds a {@link Router}. Every setter validates its value at once, with a message naming the
 * router, the field and the value.
 *
 * @param <E> the endpoint type
 */
public final class RouterBuilder<E> {
    final String name;
    final Map<String, Node<E>> nodes = new LinkedHashMap<>();
    RoutingPolicy policy;
    HealthCheck<E> healthCheck;
    RetryPolicy retry = RetryPolicy.defaults();
    OutlierEjection ejection = OutlierEjection.defaults();
    ConcurrencyLimit concurrencyLimit = ConcurrencyLimit.defaults();
    Ticker ticker = Ticker.system();
    RandomGenerator random;
    FailureClassifier classifier = FailureClassifier.ALWAYS_FAILURE;
    final List<RouterListener> listeners = new ArrayList<>();
    Duration latencyPrior = Duration.ofMillis(30);
    Duration peakEwmaDecay = Duration.ofSeconds(10);
    Duration maxCoolDown = Duration.ofSeconds(60);
    HedgePolicy hedge = HedgePolicy.disabled();
    ScheduledExecutorService executor;

    RouterBuilder(String name) {
        Objects.requireNonNull(name, "router name must not be null");
        if (!ConfigRules.isValidRouterName(name)) {
            throw new IllegalArgumentException("router name must be " + ConfigRules.ROUTER_NAME_RULE + ", but was '"
                    + name + "'");
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
     * @param node the node to route to; its id must be new to this builder
     * @return this builder
     * @throws IllegalArgumentException if a node with the same id was already added
     * @throws NullPointerException if {@code node} is null
     */
    public RouterBuilder<E> node(Node<E> node) {
        nonNull("node", node);
        if (nodes.putIfAbsent(node.id(), node) != null) {
            throw new IllegalArgumentException(field("duplicate node id '" + node.id() + "'"));
        }
        return this;
    }

    /**
     * Adds nodes, as {@link #node} does each.
     *
     * @param nodes the nodes to route to, in order; their ids must be new to this builder
     * @return this builder
     * @throws IllegalArgumentException if two nodes share an id, or one was already added
     * @throws NullPointerException if {@code nodes} or one of them is null
     */
    public RouterBuilder<E> nodes(Iterable<Node<E>> nodes) {
        nonNull("nodes", nodes).forEach(this::node);
        return this;
    }

    /**
     * Sets the routing policy (default {@code pool-ewma}).
     *
     * @param policy picks a node for each attempt; used by this router only, not shared
     * @return this builder
     * @throws NullPointerException if {@code policy} is null
     */
    public RouterBuilder<E> policy(RoutingPolicy policy) {
        this.policy = nonNull("policy", policy);
        return this;
    }

    /**
     * Sets the routing policy by its registered name (see {@link RoutingPolicies#byName}).
     *
     * @param policyName the name a {@link io.smartqueryrouter.core.spi.RoutingPolicyProvider} registered,
     *     such as {@code "least-in-flight"}
     * @return this builder
     * @throws NullPointerException if {@code policyName} is null
     * @throws IllegalArgumentException if no policy is registered under that name; the message lists those that are
     */
    public RouterBuilder<E> policy(String policyName) {
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
     * @param healthCheck the probe and its schedule
     * @return this builder
     * @throws NullPointerException if {@code healthCheck} is null
     * @throws IllegalArgumentException if its timeout is longer than its interval
     */
    public RouterBuilder<E> healthCheck(HealthCheck<E> healthCheck) {
        nonNull("healthCheck", healthCheck);
        try {
            healthCheck.validate();
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        this.healthCheck = healthCheck;
        return this;
    }

    /**
     * Sets failover and retry (default {@link RetryPolicy#defaults()}: 3 attempts, the default budget).
     *
     * @param retry the attempts a call may make and the budget that caps retries; {@link RetryPolicy#none()} for none
     * @return this builder
     * @throws NullPointerException if {@code retry} is null
     */
    public RouterBuilder<E> retry(RetryPolicy retry) {
        this.retry = nonNull("retry", retry);
        return this;
    }

    /**
     * Turns on hedged requests (default {@link HedgePolicy#disabled()}): a call still unanswered
     * after a delay sends a second attempt to another node, and the first answer wins. Only for
     * calls that are safe to repeat.
     *
     * @param hedge when to hedge and how many hedges the budget allows
     * @return this builder
     * @throws NullPointerException if {@code hedge} is null
     */
    public RouterBuilder<E> hedge(HedgePolicy hedge) {
        this.hedge = nonNull("hedge", hedge);
        return this;
    }

    /**
     * Sets passive outlier ejection (default {@link OutlierEjection#defaults()}).
     *
     * @param ejection when to eject a failing node and for how long; {@link OutlierEjection#disabled()} for never
     * @return this builder
     * @throws NullPointerException if {@code ejection} is null
     */
    public RouterBuilder<E> outlierEjection(OutlierEjection ejection) {
        this.ejection = nonNull("outlierEjection", ejection);
        return this;
    }

    /**
     * Sets the adaptive limit on the router's attempts in flight (default
     * {@link ConcurrencyLimit#defaults()}: on, starting at 1000 and shrinking only once every node
     * is slow): a call beyond it fails at once with
     * {@link ConcurrencyLimitExceededException}, and retries and hedges stop before it is reached.
     * Untimed calls (a JDBC connection taken from a pool) and {@link BoundNode} work are not limited.
     *
     * @param limit the limit's settings; {@link ConcurrencyLimit#defaults()} for the defaults,
     *     {@link ConcurrencyLimit#disabled()} for none
     * @return this builder
     * @throws NullPointerException if {@code limit} is null
     */
    public RouterBuilder<E> concurrencyLimit(ConcurrencyLimit limit) {
        this.concurrencyLimit = nonNull("concurrencyLimit", limit);
        return this;
    }

    /**
     * Sets the clock every time-dependent rule reads (default {@link Ticker#system()}).
     *
     * @param ticker the source of nanosecond time; a fake one in tests
     * @return this builder
     * @throws NullPointerException if {@code ticker} is null
     */
    public RouterBuilder<E> ticker(Ticker ticker) {
        this.ticker = nonNull("ticker", ticker);
        return this;
    }

    /**
     * Makes policies and backoff draw from this generator instead of a thread-local one, for
     * reproducible runs (the simulator, tests). The router may call it from several threads
     * at once if it is used from several threads.
     *
     * @param random the generator to draw from; thread-safe if the router is shared between threads
     * @return this builder
     * @throws NullPointerException if {@code random} is null
     */
    public RouterBuilder<E> random(RandomGenerator random) {
        this.random = nonNull("random", random);
        return this;
    }

    /**
     * Sets how {@link Router#execute} classifies exceptions (default: every one is a {@link Outcome#FAILURE}).
     *
     * @param classifier turns what an attempt threw into its {@link Outcome}
     * @return this builder
     * @throws NullPointerException if {@code classifier} is null
     */
    public RouterBuilder<E> failureClassifier(FailureClassifier classifier) {
        this.classifier = nonNull("failureClassifier", classifier);
        return this;
    }

    /**
     * Adds a listener for the router's events. Listeners are called in the order they were added.
     *
     * @param listener receives the router's events; may be added along with others
     * @return this builder
     * @throws NullPointerException if {@code listener} is null
     */
    public RouterBuilder<E> listener(RouterListener listener) {
        listeners.add(nonNull("listener", listener));
        return this;
    }

    /**
     * Sets the latency a node is assumed to have before its first sample (default 30 ms).
     *
     * @param prior the latency a new node starts with, and the hedge delay before any latency is known
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public RouterBuilder<E> latencyPrior(Duration prior) {
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
     * @param tau the time constant; longer is smoother and slower to react
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public RouterBuilder<E> peakEwmaDecay(Duration tau) {
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
     * @param max the longest a node stays out of rotation after one overloaded answer
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public RouterBuilder<E> maxCoolDown(Duration max) {
        try {
            this.maxCoolDown = Checks.positive("maxCoolDown", max);
        } catch (IllegalArgumentException e) {
            throw invalid(e);
        }
        return this;
    }

    /**
     * Makes the router run on the caller's executor instead of threads of its own (default: a
     * daemon driver thread and a small probe pool per router with a health check, a cached pool
     * for hedged {@code execute}): health-check passes are timed with it, probes and hedged
     * attempts run on it (unless the {@link HedgePolicy} names an executor of its own). For an
     * application with many routers that wants its threads bounded, or its own virtual-thread
     * executor. The router never shuts it down. Give it threads enough: a probe blocks one for up
     * to the probe timeout (and a probe that ignores its timeout, longer), and with a single thread
     * a hanging probe would delay the passes that count it failed, and hedges would queue behind
     * the attempts they should overtake. The first pass runs on the thread that calls {@link #build()}.
     *
     * @param executor the executor
     * @return this builder
     */
    public RouterBuilder<E> executor(ScheduledExecutorService executor) {
        this.executor = nonNull("executor", executor);
        return this;
    }

    /**
     * Builds the router and starts its health checking, if configured.
     *
     * @return the router; close it when done
     */
    public Router<E> build() {
        return new Router<>(this);
    }
}
