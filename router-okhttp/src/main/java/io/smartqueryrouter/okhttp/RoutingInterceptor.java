package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.ConcurrencyLimitExceededException;
import io.smartqueryrouter.core.NoAvailableNodeException;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeAttemptException;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RoutedCall;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.TcpProbe;
import io.smartqueryrouter.core.config.NodeConfig;
import io.smartqueryrouter.core.config.ProbeKinds;
import io.smartqueryrouter.core.config.RouterConfig;
import io.smartqueryrouter.okhttp.internal.HttpOutcomes;
import io.smartqueryrouter.okhttp.internal.PinnedDns;
import io.smartqueryrouter.okhttp.internal.RetryAfter;
import io.smartqueryrouter.okhttp.internal.SendTracker;
import io.smartqueryrouter.okhttp.internal.ServerLoad;
import io.smartqueryrouter.okhttp.internal.Urls;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OkHttp application interceptor that sends each call to the best node of a {@link Router} and
 * fails over to another node when repeating the request is safe.
 *
 * <pre>{@code
 * Router<HttpUrl> orders = Router.<HttpUrl>builder("orders")
 *     .node(Node.of("a", HttpUrl.get("http://10.0.0.1:8080/")))
 *     .node(Node.of("b", HttpUrl.get("http://10.0.0.2:8080/")))
 *     .healthCheck(HealthCheck.of(HttpHealthProbe.get("/health")))
 *     .build();
 * OkHttpClient client = new OkHttpClient.Builder()
 *     .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build())
 *     .build();
 * client.newCall(new Request.Builder().url("http://orders/api/items?id=7").build()).execute();
 * }</pre>
 *
 * <h2>Two modes</h2>
 * <ul>
 *   <li>{@link Builder#route(String, Router) Logical names}: a request whose host is a registered
 *       logical name ({@code http://orders/api/items?id=7}) goes to the chosen node's base URL:
 *       its scheme, host and port, with its path as a prefix ({@code http://10.0.0.1:8080/v1/} gives
 *       {@code http://10.0.0.1:8080/v1/api/items?id=7}). Path, query, headers and body are kept.</li>
 *   <li>{@link Builder#pin(String, Router) Pinned addresses}: for one real host with several
 *       addresses. The URL is not changed; each attempt resolves the host to the chosen node's
 *       {@link InetAddress} through a per-attempt {@code Dns} ({@code chain.withDns}), so TLS
 *       certificate and hostname verification, SNI, the {@code Host} header and cookies stay those of
 *       the real host. {@link DnsRouter} keeps such a router in step with DNS.</li>
 * </ul>
 * Requests to other hosts pass through untouched. One interceptor can serve several routers.
 *
 * <h2>What each attempt tells the router</h2>
 * <ul>
 *   <li>Latency: from the start of the attempt to the response headers (time to first byte); reading
 *       the body is not measured. OkHttp's own redirects and authentication follow-ups happen inside
 *       the attempt and are part of it.</li>
 *   <li>Outcome: a connect, TLS or read failure, and 500, 502, 504 and other 5xx (but 501 and 505)
 *       are the node's {@link Outcome#FAILURE}; 429 and 503 are {@link Outcome#OVERLOADED}, and their
 *       {@code Retry-After} (seconds or HTTP date) keeps the node out of rotation that long, capped by
 *       the router's {@code maxCoolDown}; other 4xx, 501 and 505 are {@link Outcome#CLIENT_ERROR};
 *       a call cancelled by the application or an interrupted thread is {@link Outcome#CANCELLED}.
 *       An attempt cut by the call's timeout is a {@code FAILURE}: the node did not answer in time.</li>
 * </ul>
 *
 * <h2>Failover</h2>
 * After an attempt that blames the node, the request goes to a node not yet tried in the call when
 * the {@link RepeatRule} allows it (default {@link RepeatRule#rfc9110()}: not sent yet, an
 * idempotent method, or an {@code Idempotency-Key} header), and the router's retry policy has
 * attempts and budget left. A body that is one-shot or duplex is never written twice. For a request
 * the rule does not allow to resend, OkHttp's own silent retry is switched off for the attempt
 * ({@code chain.withRetryOnConnectionFailure(false)}), so a POST is never sent twice. A failed
 * response is closed before the next attempt. The caller gets the last attempt's response when it
 * got one (a 503, say); when every attempt threw, a {@link RoutedCallException} that carries each
 * attempt's failure with its node. No attempt starts after the call was cancelled, after its
 * timeout or deadline, or when the thread was interrupted (its interrupt flag is kept).
 *
 * <p>One limit of OkHttp itself: it repeats a request answered 503 with {@code Retry-After: 0}
 * once on the same connection, whatever its method, below any application interceptor.
 *
 * <h2>Hedged requests</h2>
 * When the router has a {@link io.smartqueryrouter.core.HedgePolicy}, the calls of the
 * {@link Call.Factory} that {@link #hedging(OkHttpClient)} returns are hedged: a request that is
 * safe to repeat and still unanswered after the hedge delay ({@link RoutedCall#hedgeDelayNanos()}) goes to a second
 * node too, and the first answer wins (see {@link #hedging}).
 *
 * <h2>Server-reported load</h2>
 * Every response may report the node's load for policies that model it ({@code c3}): a queue
 * length header (default {@code X-Server-Queue}, a non-negative number) and a service time header
 * (default {@code Server-Timing}, W3C syntax: the {@code dur} in milliseconds of the first metric
 * that has one, as in {@code Server-Timing: app;dur=12.5}). They go to
 * {@link Router#reportServerLoad}. A malformed value is ignored (logged at DEBUG), never fails
 * the call. {@link Builder#queueLengthHeader} and {@link Builder#serviceTimeHeader} rename them.
 *
 * <p>Immutable and thread-safe; logs nothing per call above DEBUG, and never a URL's user info or
 * query.
 */
public final class RoutingInterceptor implements Interceptor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RoutingInterceptor.class.getName());
    /**
     * The call timeout is measured from a moment later than OkHttp's (by how much depends on how busy
     * the machine is); allow for it: a cancel this close to the deadline is taken as the timeout.
     */
    private static final long MAX_DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Longest sleep of a backoff between two checks for cancellation. */
    private static final long BACKOFF_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** The probe kinds an OkHttp router's configuration may name. */
    static final ProbeKinds<HttpUrl> PROBES = ProbeKinds.<HttpUrl>builder("an OkHttp router")
            .kind(ProbeKinds.HTTP, (owner, health) -> HttpHealthProbe.get(Objects.requireNonNull(health.path(),
                    () -> owner + ": health-check probe 'http' needs a path")))
            .kind(ProbeKinds.TCP, (owner, health) ->
                    TcpProbe.of(url -> InetSocketAddress.createUnresolved(url.host(), url.port())))
            .build();

    private final Map<String, Route<?>> routes;
    private final RepeatRule repeatRule;
    private final String queueLengthHeader;
    private final String serviceTimeHeader;
    /** The routers built by {@link Builder#route(RouterConfig)}: this interceptor's to close. */
    private final List<Router<?>> owned;

    private RoutingInterceptor(Builder b) {
        this.routes = Map.copyOf(b.routes);
        this.repeatRule = b.repeatRule;
        this.queueLengthHeader = b.queueLengthHeader;
        this.serviceTimeHeader = b.serviceTimeHeader;
        this.owned = List.copyOf(b.owned);
    }

    /**
     * Returns a {@link Call.Factory} whose calls are hedged ("The Tail at Scale", Dean and Barroso):
     * give it to code that takes a factory (Retrofit's {@code callFactory}, say) or call
     * {@code newCall} on it as on the client. For a request to a routed host whose router has a
     * {@link io.smartqueryrouter.core.HedgePolicy}, and that the {@link #repeatRule()} allows to
     * repeat once sent (never a one-shot or duplex body; by default never a POST without an
     * {@code Idempotency-Key}), the call sends attempt 1 with OkHttp's asynchronous API
     * ({@code enqueue}); if no answer came after the hedge delay ({@link RoutedCall#hedgeDelayNanos()}), a timer on one
     * shared daemon thread begins a hedge ({@link RoutedCall#hedge()}) and enqueues the request again,
     * pinned to the hedge's node. The first answer that does not call for a retry (a success, or an
     * answer that is the client's fault) wins; the other OkHttp calls are cancelled and their
     * attempts completed {@link Outcome#CANCELLED}; responses that lose or fail are closed. An
     * attempt that fails is retried by the router's retry policy (after its backoff, on the timer)
     * while the others keep going; when none succeeds the call ends as a call through the
     * interceptor would (the last failed response, or a {@link RoutedCallException}).
     * {@code execute()} waits for the winner without a thread of its own per attempt;
     * {@code enqueue()} calls back on the client's dispatcher threads. {@code cancel()} cancels
     * every attempt. The client's call timeout bounds the whole hedged call. Every other request
     * becomes a plain {@code client.newCall(request)}.
     *
     * <p>The attempts are ordinary asynchronous calls of {@code client}, to the logical host: raise
     * its dispatcher's {@code maxRequestsPerHost} (default 5) so a hedge is not queued behind the
     * calls it should overtake.
     *
     * @param client the client with this interceptor installed as an application interceptor
     * @return a call factory backed by {@code client}; requests to hosts that are not hedged get its plain calls
     * @throws NullPointerException if {@code client} is null
     * @throws IllegalArgumentException if {@code client} does not have this interceptor among its
     *     application interceptors
     */
    public Call.Factory hedging(OkHttpClient client) {
        Objects.requireNonNull(client, "RoutingInterceptor.hedging: client must not be null");
        if (!client.interceptors().contains(this)) {
            throw new IllegalArgumentException("RoutingInterceptor.hedging: the client must have this interceptor "
                    + "installed with OkHttpClient.Builder.addInterceptor");
        }
        return new HedgingCallFactory(this, client);
    }

    /** Returns the route of a (canonical) host, or null if it is not routed. */
    Route<?> routeFor(String host) {
        return routes.get(host);
    }

    /**
     * Returns the router that serves {@code host} (a logical or pinned host, any case), for snapshots,
     * listeners and metrics; empty if the host is not routed.
     *
     * @param host a host name as it appears in request URLs
     * @return the host's router, or empty if the host is not routed
     * @throws IllegalArgumentException if {@code host} is not a bare host name
     * @throws NullPointerException if {@code host} is null
     */
    public Optional<Router<?>> router(String host) {
        Route<?> route = routes.get(Urls.canonicalHost("RoutingInterceptor: host", host));
        return route == null ? Optional.empty() : Optional.of(route.router);
    }

    /**
     * Closes the routers this interceptor built from configuration ({@link Builder#route(RouterConfig)}),
     * stopping their health checks; routers given to the builder are the caller's to close. Idempotent.
     */
    @Override
    public void close() {
        owned.forEach(Router::close);
    }

    /** {@return a builder with no route, the default {@link RepeatRule#rfc9110()} and the default load headers} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return the rule that decides whether a failed request may go to another node (default
     * {@link RepeatRule#rfc9110()})}
     */
    public RepeatRule repeatRule() {
        return repeatRule;
    }

    /**
     * Routes the request if its host is registered, else passes it on unchanged.
     *
     * @throws RoutedCallException if no attempt got an answer (see the class documentation)
     * @throws IllegalStateException if it was added as a network interceptor: it must be an
     *     application interceptor ({@code OkHttpClient.Builder.addInterceptor})
     * @throws IOException the attempt's own exception when the call was cancelled or the thread
     *     interrupted; {@code InterruptedIOException("interrupted")} when interrupted during a backoff
     */
    @Override
    public Response intercept(Chain chain) throws IOException {
        Route<?> route = routes.get(chain.request().url().host());
        if (route == null) {
            return chain.proceed(chain.request());
        }
        AttemptTag tag = chain.request().tag(AttemptTag.class);
        return tag != null ? tagged(chain, route, tag) : route(chain, route);
    }

    /**
     * Sends one attempt of a hedged call to the node its tag names: no failover here, the hedged
     * call decides what follows.
     */
    private <E> Response tagged(Chain chain, Route<E> route, AttemptTag tag) throws IOException {
        if (chain.connection() != null) {
            tag.complete(Outcome.CANCELLED);
            throw new IllegalStateException("RoutingInterceptor must be added with OkHttpClient.Builder.addInterceptor: "
                    + "a network interceptor cannot choose the connection or send a request twice");
        }
        @SuppressWarnings("unchecked")
        Attempt<E> attempt = (Attempt<E>) tag.attempt;
        Node<E> node = attempt.node();
        Call call = chain.call();
        Response response;
        try {
            response = bounded(route.chain(chain, node.endpoint()), attempt)
                    .proceed(route.request(chain.request(), node.endpoint()));
        } catch (IOException e) {
            tag.complete(Thread.currentThread().isInterrupted() || call.isCanceled() ? Outcome.CANCELLED
                    : Outcome.FAILURE);
            throw e;
        } catch (RuntimeException | Error e) {
            tag.complete(Outcome.CANCELLED);
            throw e;
        }
        reportServerLoad(route.router, attempt, response);
        Outcome outcome = HttpOutcomes.outcome(response.code());
        tag.complete(outcome, outcome == Outcome.OVERLOADED ? RetryAfter.of(response.headers(), Instant.now())
                : Duration.ZERO);
        return response;
    }

    /**
     * The attempt's chain with its connect, read and write timeouts cut to the attempt's wait limit
     * while the router believes the node down (a call sent there in panic, as a trial, or failing
     * open), so no call waits long on a node already known to be gone; shorter timeouts are kept.
     */
    static Chain bounded(Chain chain, Attempt<?> attempt) {
        long limit = attempt.waitLimitNanos();
        if (limit == Long.MAX_VALUE) {
            return chain;
        }
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(limit)));
        return chain.withConnectTimeout(shorter(chain.connectTimeoutMillis(), millis), TimeUnit.MILLISECONDS)
                .withReadTimeout(shorter(chain.readTimeoutMillis(), millis), TimeUnit.MILLISECONDS)
                .withWriteTimeout(shorter(chain.writeTimeoutMillis(), millis), TimeUnit.MILLISECONDS);
    }

    /** The shorter of an OkHttp timeout (0: none) and a limit. */
    private static int shorter(int timeoutMillis, int limitMillis) {
        return timeoutMillis == 0 ? limitMillis : Math.min(timeoutMillis, limitMillis);
    }

    private <E> void reportServerLoad(Router<E> router, Attempt<E> attempt, Response response) {
        double queue = ServerLoad.queueLength(response.headers(), queueLengthHeader);
        long service = ServerLoad.serviceTimeNanos(response.headers(), serviceTimeHeader);
        if (queue >= 0 || service >= 0) {
            router.reportServerLoad(attempt, queue, service);
        }
    }

    /**
     * Sends the request through the route's router: I/O and waiting here, every decision (retry or
     * not, where, after what backoff, within the call's timeout) by the call's {@link RoutedCall}.
     */
    private <E> Response route(Chain chain, Route<E> route) throws IOException {
        if (chain.connection() != null) {
            throw new IllegalStateException("RoutingInterceptor must be added with OkHttpClient.Builder.addInterceptor: "
                    + "a network interceptor cannot choose the connection or send a request twice");
        }
        Request request = chain.request();
        Call call = chain.call();
        long deadline = deadline(call);
        if (call.isCanceled()) {
            throw new IOException("Canceled");
        }
        boolean resendable = !HttpOutcomes.hasOneTimeBody(request) && repeatRule.mayRepeat(request, true);
        SendTracker tracker = new SendTracker();
        call.addEventListener(tracker);

        RoutedCall<E> routed = newCall(route, deadline);
        Attempt<E> attempt = begin(routed, route, request);
        while (true) {
            Node<E> node = attempt.node();
            tracker.reset();
            Response response = null;
            IOException failure = null;
            try {
                Chain attemptChain = bounded(route.chain(chain, node.endpoint()), attempt);
                if (!resendable) {
                    attemptChain = attemptChain.withRetryOnConnectionFailure(false);
                }
                response = attemptChain.proceed(route.request(request, node.endpoint()));
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException | Error e) {
                // a bug or a body that threw: nothing says the node is at fault
                attempt.complete(Outcome.CANCELLED);
                throw e;
            }

            Outcome outcome;
            if (response != null) {
                reportServerLoad(route.router, attempt, response);
                outcome = HttpOutcomes.outcome(response.code());
                Duration coolDown = outcome == Outcome.OVERLOADED
                        ? RetryAfter.of(response.headers(), Instant.now()) : Duration.ZERO;
                attempt.complete(outcome, coolDown);
                if (!outcome.isRetryable()) {
                    if (outcome == Outcome.SUCCESS) {
                        routed.succeeded(attempt);
                    }
                    return response;
                }
            } else {
                outcome = Thread.currentThread().isInterrupted() || (call.isCanceled() && !timedOut(call, deadline))
                        ? Outcome.CANCELLED
                        : Outcome.FAILURE;
                attempt.complete(outcome);
            }

            String notRepeatable;
            try {
                notRepeatable = whyNotRepeat(request, failure, response != null || tracker.sent(), call, deadline);
            } catch (RuntimeException | Error e) {
                // the user's repeat rule threw: do not leak the failed response
                if (response != null) {
                    response.close();
                }
                throw e;
            }
            RoutedCall.Decision decision = routed.failed(attempt,
                    failure != null ? failure : new IOException("HTTP " + response.code()), notRepeatable);
            Attempt<E> next = null;
            if (decision.action() == RoutedCall.Action.RETRY) {
                if (pause(decision.delayNanos(), call, response, routed)) {
                    next = routed.retry();
                } else {
                    routed.cancel("the call was cancelled");
                }
            }
            if (next == null) {
                if (response != null) {
                    return response;
                }
                throw failed(route, request, routed, failure, outcome);
            }
            if (response != null) {
                response.close();
            }
            Attempt<E> failed = attempt;
            attempt = next;
            String nextNode = attempt.node().id();
            LOG.log(Level.DEBUG, () -> "router '" + route.router.name() + "': " + describe(request) + " attempt "
                    + failed.number() + " on node '" + node.id() + "' was " + failed.outcome()
                    + "; trying node '" + nextNode + "'");
        }
    }

    /** A call over the route's router that no retry or hedge outlives: the OkHttp call's timeout is its deadline. */
    static <E> RoutedCall<E> newCall(Route<E> route, long deadline) {
        return route.router.newCall(null,
                deadline == Long.MAX_VALUE ? null : Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    static <E> Attempt<E> begin(RoutedCall<E> routed, Route<E> route, Request request) throws RoutedCallException {
        try {
            return routed.begin();
        } catch (NoAvailableNodeException e) {
            throw new RoutedCallException(route.router.name(), "router '" + route.router.name() + "': "
                    + describe(request) + " has no node to go to: " + e.getMessage(), List.of(), e);
        } catch (ConcurrencyLimitExceededException e) {
            throw new RoutedCallException(route.router.name(), "router '" + route.router.name() + "': "
                    + describe(request) + " was refused: " + e.getMessage(), List.of(), e);
        } catch (IllegalStateException e) {
            throw new RoutedCallException(route.router.name(), "router '" + route.router.name() + "': "
                    + describe(request) + " cannot be routed: " + e.getMessage(), List.of(), e);
        }
    }

    /**
     * Returns why the failed request must not go to another node, or null when it may, as far as
     * HTTP and the caller are concerned (the call's own rules are the {@link RoutedCall}'s).
     * Both the plain and the hedged path ask it after each failed attempt.
     */
    String whyNotRepeat(Request request, IOException failure, boolean sent, Call call, long deadline) {
        if (Thread.currentThread().isInterrupted()) {
            return "the call was cancelled";
        }
        if (failure instanceof InterruptedIOException && !(failure instanceof SocketTimeoutException)) {
            return "the call was interrupted";
        }
        if (call.isCanceled()) {
            // the call's deadline itself is the RoutedCall's to keep; here only: did OkHttp's timeout cancel it?
            return timedOut(call, deadline) ? "the call's timeout was reached" : "the call was cancelled";
        }
        if (sent && HttpOutcomes.hasOneTimeBody(request)) {
            return "its one-shot or duplex body was sent";
        }
        if (!repeatRule.mayRepeat(request, sent)) {
            return sent ? HttpOutcomes.method(request) + " is not safe to repeat once sent" : "the repeat rule refused";
        }
        return null;
    }

    /**
     * Returns the System.nanoTime() at which the call times out, or Long.MAX_VALUE. OkHttp starts its
     * call timeout just before the first interceptor runs, so now + timeout is a hair late; a
     * deadline set on the call's {@code timeout()} is taken as is.
     */
    private static long deadline(Call call) {
        long now = System.nanoTime();
        long timeout = call.timeout().timeoutNanos();
        long deadline = timeout > 0 ? now + timeout : Long.MAX_VALUE;
        if (call.timeout().hasDeadline()) {
            long d = call.timeout().deadlineNanoTime();
            deadline = deadline == Long.MAX_VALUE || d - deadline < 0 ? d : deadline;
        }
        return deadline;
    }

    /**
     * Whether a cancelled call was cancelled by its timeout rather than by the application: the
     * deadline has passed, give or take the slack (a tenth of the timeout, at most 100 ms) by which
     * our reading of the deadline trails OkHttp's.
     */
    private static boolean timedOut(Call call, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            return false;
        }
        long timeout = call.timeout().timeoutNanos();
        long slack = timeout > 0 ? Math.min(MAX_DEADLINE_SLACK_NANOS, timeout / 10) : 0;
        return System.nanoTime() - (deadline - slack) >= 0;
    }

    /**
     * Sleeps the backoff in slices; returns false if the call was cancelled meanwhile. On an
     * interrupt it closes the failed response and throws, keeping the thread's interrupt flag.
     */
    private static boolean pause(long nanos, Call call, Response response, RoutedCall<?> routed)
            throws InterruptedIOException {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            if (call.isCanceled()) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, BACKOFF_SLICE_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (response != null) {
                    response.close();
                }
                routed.cancel("interrupted");
                InterruptedIOException interrupted = new InterruptedIOException("interrupted");
                routed.failures().forEach(interrupted::addSuppressed);
                throw interrupted;
            }
        }
        return !call.isCanceled();
    }

    /**
     * The exception for a call whose last attempt threw: when the call was cancelled or interrupted,
     * that attempt's own exception (callers rely on its type), with the earlier attempts suppressed;
     * otherwise a RoutedCallException carrying every attempt and why the call stopped.
     */
    static IOException failed(Route<?> route, Request request, RoutedCall<?> routed, IOException last,
            Outcome lastOutcome) {
        List<NodeAttemptException> failures = routed.failures();
        if (last != null && lastOutcome == Outcome.CANCELLED) {
            failures.subList(0, failures.size() - 1).forEach(last::addSuppressed);
            return last;
        }
        String why = routed.stopReason() != null ? routed.stopReason() : "no attempt left";
        String name = route.router.name();
        String message = "router '" + name + "': " + describe(request) + " failed after " + failures.size()
                + (failures.size() == 1 ? " attempt" : " attempts") + " (" + why + "): "
                + failures.stream().map(f -> f.nodeId() + ": " + f.getCause()).collect(Collectors.joining("; "));
        return new RoutedCallException(name, message, failures, failures.get(failures.size() - 1).getCause());
    }

    static String describe(Request request) {
        return HttpOutcomes.method(request) + " " + Urls.describe(request.url());
    }

    @Override
    public String toString() {
        return "RoutingInterceptor" + routes.values().stream().sorted((a, b) -> a.host.compareTo(b.host))
                .map(Route::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    // ------------------------------------------------------------------ routes

    /** How one registered host is sent to a node. */
    abstract static class Route<E> {
        final String host;
        final Router<E> router;

        Route(String host, Router<E> router) {
            this.host = host;
            this.router = router;
        }

        /** The request to send to the node. */
        abstract Request request(Request original, E endpoint);

        /** The chain to send it through. */
        abstract Chain chain(Chain chain, E endpoint);
    }

    private static final class LogicalRoute extends Route<HttpUrl> {
        LogicalRoute(String host, Router<HttpUrl> router) {
            super(host, router);
        }

        @Override
        Request request(Request original, HttpUrl base) {
            return original.newBuilder().url(Urls.underBase(original.url(), base)).build();
        }

        @Override
        Chain chain(Chain chain, HttpUrl base) {
            return chain;
        }

        @Override
        public String toString() {
            return host + " -> router '" + router.name() + "'";
        }
    }

    private static final class PinnedRoute extends Route<InetAddress> {
        PinnedRoute(String host, Router<InetAddress> router) {
            super(host, router);
        }

        @Override
        Request request(Request original, InetAddress address) {
            return original;
        }

        @Override
        Chain chain(Chain chain, InetAddress address) {
            return chain.withDns(new PinnedDns(host, address, chain.getDns()));
        }

        @Override
        public String toString() {
            return host + " (pinned) -> router '" + router.name() + "'";
        }
    }

    // ------------------------------------------------------------------ builder

    /**
     * Builds a {@link RoutingInterceptor}. Each setter validates at once; a host can be registered
     * only once, in one mode.
     */
    public static final class Builder {
        private final Map<String, Route<?>> routes = new LinkedHashMap<>();
        private final List<Router<?>> owned = new ArrayList<>();
        private RepeatRule repeatRule = RepeatRule.rfc9110();
        private String queueLengthHeader = "X-Server-Queue";
        private String serviceTimeHeader = "Server-Timing";

        private Builder() {
        }

        /**
         * Sets the response header in which nodes report their queue length, a non-negative number
         * (default {@code X-Server-Queue}).
         *
         * @param name the header's name, an RFC 9110 token
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if not a valid header name
         */
        public Builder queueLengthHeader(String name) {
            this.queueLengthHeader = headerName("queueLengthHeader", name);
            return this;
        }

        /**
         * Sets the response header in which nodes report their own time on a request, in the W3C
         * Server Timing syntax: the {@code dur} in milliseconds of the first metric that has one
         * (default {@code Server-Timing}).
         *
         * @param name the header's name, an RFC 9110 token
         * @return this builder
         * @throws NullPointerException if {@code name} is null
         * @throws IllegalArgumentException if not a valid header name
         */
        public Builder serviceTimeHeader(String name) {
            this.serviceTimeHeader = headerName("serviceTimeHeader", name);
            return this;
        }

        private static String headerName(String field, String name) {
            Objects.requireNonNull(name, () -> "RoutingInterceptor: " + field + " must not be null");
            // RFC 9110 section 5.1: a field name is a token
            boolean token = !name.isEmpty() && name.chars().allMatch(c -> c > 0x20 && c < 0x7f
                    && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0);
            if (!token) {
                throw new IllegalArgumentException("RoutingInterceptor: " + field + " must be a header name (an RFC 9110 "
                        + "token), but was '" + name + "'");
            }
            return name;
        }

        /**
         * Routes requests whose host is {@code logicalHost} to the nodes of {@code router}, whose
         * endpoints are base URLs: {@code http://orders/api/items?id=7} goes to
         * {@code <scheme>://<node host>:<node port>/<node path>api/items?id=7}. The request's own
         * scheme and port are ignored; the base URL's user info, query and fragment are not used.
         *
         * @param logicalHost a host name such as {@code orders}; compared case-insensitively
         * @param router the router whose nodes' endpoints are the base URLs; the caller's to close
         * @return this builder
         * @throws IllegalArgumentException if the host is not a bare host name, or is already registered
         * @throws NullPointerException if an argument is null
         */
        public Builder route(String logicalHost, Router<HttpUrl> router) {
            String host = Urls.canonicalHost("RoutingInterceptor: route host", logicalHost);
            return add(new LogicalRoute(host, Objects.requireNonNull(router, "RoutingInterceptor: router of '"
                    + host + "' must not be null")));
        }

        /**
         * Routes requests whose host is the configuration's router name ({@code http://orders/api/items}
         * for router {@code orders}) to a router built from it, as {@link #route(String, Router)} does.
         * Each node's {@code url} is its base URL ({@code http://10.0.0.1:8080/v1/}); the health
         * check's probe kind is {@code http} ({@link HttpHealthProbe#get(String) GET path}, healthy on
         * a 2xx) or {@code tcp} ({@link TcpProbe}: a TCP connect to the base URL's host and port). The
         * router is built, and its health checking started, here; {@link RoutingInterceptor#close()}
         * closes it and {@link RoutingInterceptor#router(String)} returns it.
         *
         * <pre>{@code
         * RouterYamlConfig yaml = RouterYaml.load(Path.of("routers.yaml"));
         * RoutingInterceptor routing = RoutingInterceptor.builder().route(yaml.router("orders")).build();
         * }</pre>
         *
         * @param config the router's configuration; its name becomes the routed host
         * @return this builder
         * @throws IllegalArgumentException if a url is not an http or https URL, the policy is not
         *     registered, the probe kind is neither http nor tcp, the name is not a host name or is
         *     already routed, or the configuration has a pool section (for the router or a node: pools
         *     are a routing {@code DataSource}'s); the message names the router and the node or value
         * @throws NullPointerException if {@code config} is null
         */
        public Builder route(RouterConfig config) {
            Objects.requireNonNull(config, "RoutingInterceptor: config must not be null");
            String name = config.name();
            refusePool(config);
            Router<HttpUrl> router = config.<HttpUrl>newRouterBuilder(node -> baseUrl(name, node),
                    healthCheck -> PROBES.probe("router '" + name + "'", healthCheck)).build();
            try {
                route(name, router);
            } catch (RuntimeException | Error e) {
                router.close();
                throw e;
            }
            owned.add(router);
            return this;
        }

        /** A pool section configures a database node's connection pool: an HTTP router has none to give it to. */
        private static void refusePool(RouterConfig config) {
            String where = config.pool() != null ? "router '" + config.name() + "'" : null;
            for (NodeConfig n : config.nodes()) {
                if (where == null && n.pool() != null) {
                    where = "router '" + config.name() + "': node '" + n.id() + "'";
                }
            }
            if (where != null) {
                throw new IllegalArgumentException(where + ": a pool section applies to database routers only (a "
                        + "routing DataSource's connection pools); an HTTP router's connections are its OkHttpClient's "
                        + "ConnectionPool: remove the pool section");
            }
        }

        private static HttpUrl baseUrl(String router, NodeConfig node) {
            HttpUrl url = HttpUrl.parse(node.url());
            if (url == null) {
                // no user info or query in the message: they may hold credentials
                String shown = node.url().replaceAll("(?<=://)[^/@?#]*@", "").replaceAll("\\?.*", "?...");
                throw new IllegalArgumentException("router '" + router + "': node '" + node.id()
                        + "': url must be an http:// or https:// base URL, but was '" + shown + "'");
            }
            return url;
        }

        /**
         * Pins each attempt to a request for {@code host} (any scheme and port) to one address among
         * the nodes of {@code router}; the URL is not changed, so TLS, SNI, the {@code Host} header
         * and cookies are those of {@code host}. Pinning has no effect when the client sends through
         * an HTTP proxy, which resolves the host itself.
         *
         * @param host a real host name such as {@code api.example.com}; compared case-insensitively
         * @param router the router whose nodes are the host's addresses; the caller's to close
         * @return this builder
         * @throws IllegalArgumentException if the host is not a bare host name, or is already registered
         * @throws NullPointerException if an argument is null
         */
        public Builder pin(String host, Router<InetAddress> router) {
            String canonical = Urls.canonicalHost("RoutingInterceptor: pinned host", host);
            return add(new PinnedRoute(canonical, Objects.requireNonNull(router, "RoutingInterceptor: router of '"
                    + canonical + "' must not be null")));
        }

        /**
         * Pins requests for the host of {@code dnsRouter} to its addresses, as
         * {@link #pin(String, Router) pin(dnsRouter.host(), dnsRouter.router())} does.
         *
         * @param dnsRouter the host and its router, kept in step with DNS; the caller's to close
         * @return this builder
         * @throws IllegalArgumentException if the host is already registered
         * @throws NullPointerException if {@code dnsRouter} is null
         */
        public Builder pin(DnsRouter dnsRouter) {
            Objects.requireNonNull(dnsRouter, "RoutingInterceptor: dnsRouter must not be null");
            return pin(dnsRouter.host(), dnsRouter.router());
        }

        /**
         * Sets the rule that decides whether a failed request may go to another node (default
         * {@link RepeatRule#rfc9110()}).
         *
         * @param rule asked after every attempt that failed in a way that blames the node
         * @return this builder
         * @throws NullPointerException if {@code rule} is null
         */
        public Builder repeatRule(RepeatRule rule) {
            this.repeatRule = Objects.requireNonNull(rule, "RoutingInterceptor: repeatRule must not be null");
            return this;
        }

        private Builder add(Route<?> route) {
            Route<?> existing = routes.putIfAbsent(route.host, route);
            if (existing != null) {
                throw new IllegalArgumentException("RoutingInterceptor: host '" + route.host
                        + "' is already routed (" + existing + ")");
            }
            return this;
        }

        /**
         * {@return the interceptor, routing every host registered so far}
         *
         * @throws IllegalStateException if no host was registered
         */
        public RoutingInterceptor build() {
            if (routes.isEmpty()) {
                throw new IllegalStateException("RoutingInterceptor: no host registered; add one with route(...) or pin(...)");
            }
            return new RoutingInterceptor(this);
        }
    }
}
