package io.smartqueryrouter.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.spi.AttemptObserver;
import java.util.Locale;
import java.util.Objects;

/**
 * Makes each attempt of a router a Micrometer {@link Observation}, so an application's traces show
 * which node served a call, and what failed over or hedged: one observation (one span, with a
 * tracing bridge) per attempt, named {@value #NAME}, started on the thread that begins the attempt
 * (so it is a child of the observation current there, such as the incoming request's) and stopped
 * when the attempt completes.
 *
 * <p>Its key values are all low-cardinality, bounded by the router's configuration:
 * <table>
 *   <caption>key values of an attempt's observation</caption>
 *   <tr><th>key</th><th>value</th></tr>
 *   <tr><td>{@code router}</td><td>the router's name</td></tr>
 *   <tr><td>{@code node}</td><td>the node's id</td></tr>
 *   <tr><td>{@code attempt}</td><td>the attempt's number within its call, from 1 (at most the retry
 *       policy's attempts plus its hedges)</td></tr>
 *   <tr><td>{@code kind}</td><td>{@code first}, {@code retry}, {@code hedge} or {@code bound} (work on a node
 *       chosen before, such as a JDBC statement)</td></tr>
 *   <tr><td>{@code outcome}</td><td>{@code success}, {@code failure}, {@code overloaded}, {@code client_error}
 *       or {@code cancelled}, added when the attempt ends</td></tr>
 * </table>
 * No URL, query or SQL text is recorded.
 *
 * <pre>{@code
 * RouterObservations.of(observationRegistry).observe(ordersRouter);
 * }</pre>
 *
 * <p>Off costs nothing: a router that is not observed pays one field read per attempt, and
 * {@link #observe} leaves a router unobserved when the registry is a no-op one.
 * Thread-safe.
 */
public final class RouterObservations implements AttemptObserver {
    /** The name of every attempt's observation (and of the timer Micrometer's meter handler makes of it). */
    public static final String NAME = "smartqueryrouter.attempt";

    private final ObservationRegistry registry;

    private RouterObservations(ObservationRegistry registry) {
        this.registry = registry;
    }

    /**
     * Returns an observer reporting to {@code registry}.
     *
     * @param registry the registry that receives one observation per attempt
     * @return the observer; install it with {@link #observe}
     * @throws NullPointerException if {@code registry} is null
     */
    public static RouterObservations of(ObservationRegistry registry) {
        return new RouterObservations(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Makes every attempt of each router an observation, from now on (see
     * {@link Router#observeAttempts}). Does nothing when the registry is a no-op one.
     *
     * @param routers the routers to observe
     * @return this
     * @throws NullPointerException if a router is null
     */
    public RouterObservations observe(Router<?>... routers) {
        for (Router<?> router : routers) {
            Objects.requireNonNull(router, "router");
            if (!registry.isNoop()) {
                router.observeAttempts(this);
            }
        }
        return this;
    }

    /**
     * Starts the attempt's observation on the calling thread.
     *
     * @param router the router's name
     * @param node the node the attempt goes to
     * @param attempt the attempt's number within its call
     * @param kind why the attempt began
     * @return stops the observation with the attempt's outcome
     */
    @Override
    public Running attemptStarted(String router, Node<?> node, int attempt, Kind kind) {
        Observation observation = Observation.createNotStarted(NAME, registry)
                .contextualName(router + " " + kind.name().toLowerCase(Locale.ROOT) + " attempt")
                .lowCardinalityKeyValue("router", router)
                .lowCardinalityKeyValue("node", node.id())
                .lowCardinalityKeyValue("attempt", Integer.toString(attempt))
                .lowCardinalityKeyValue("kind", kind.name().toLowerCase(Locale.ROOT));
        if (observation.isNoop()) {
            return null;
        }
        observation.start();
        return outcome -> {
            observation.lowCardinalityKeyValue("outcome", outcome.name().toLowerCase(Locale.ROOT));
            observation.stop();
        };
    }

    @Override
    public String toString() {
        return "RouterObservations[" + registry + "]";
    }
}
