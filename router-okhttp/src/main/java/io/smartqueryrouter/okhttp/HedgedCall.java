package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.RoutedCall;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.okhttp.internal.HttpOutcomes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import kotlin.jvm.JvmClassMappingKt;
import kotlin.jvm.functions.Function0;
import kotlin.reflect.KClass;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.Request;
import okhttp3.Response;
import okio.Timeout;

/**
 * A call that may be hedged (see {@link RoutingInterceptor#hedging}). Its attempts are asynchronous
 * OkHttp calls, each carrying an {@link AttemptTag} so the interceptor sends it to that attempt's
 * node; this object decides what follows each answer. All its state is guarded by its monitor;
 * what must not run under the monitor (enqueueing and cancelling OkHttp calls, closing responses,
 * handing the result over) is queued there and run by {@link #flush()} after the monitor is released.
 *
 * @param <E> the endpoint type of the route's router
 */
final class HedgedCall<E> implements Call {
    private static final System.Logger LOG = System.getLogger(RoutingInterceptor.class.getName());

    private final HedgingCallFactory factory;
    private final RoutingInterceptor.Route<E> route;
    private final Router<E> router;
    private final Request request;
    private final Timeout timeout = new Timeout();
    private final AtomicBoolean executed = new AtomicBoolean();
    private final Map<Class<?>, Object> tags = new ConcurrentHashMap<>();
    private final List<EventListener> eventListeners = new CopyOnWriteArrayList<>();
    private volatile boolean canceled;

    // guarded by this
    private Consumer<Result> sink;
    private boolean done;
    /** Every decision of the call: retries, hedges, deadline, why it stopped. */
    private RoutedCall<E> routed;
    private final List<Sub> running = new ArrayList<>(2);
    private Response held;
    private IOException lastFailure;
    private Outcome lastOutcome;
    private long delayNanos;
    private boolean mayHedge;
    private long deadlineNanos = Long.MAX_VALUE;
    private ScheduledFuture<?> hedgeTimer;
    private ScheduledFuture<?> deadlineTimer;
    // what flush() runs once the monitor is released
    private List<Sub> toEnqueue = new ArrayList<>(2);
    private List<Call> toCancel = new ArrayList<>(2);
    private List<Response> toClose = new ArrayList<>(1);
    private Runnable toDeliver;

    HedgedCall(HedgingCallFactory factory, RoutingInterceptor.Route<E> route, Request request) {
        this.factory = factory;
        this.route = route;
        this.router = route.router;
        this.request = request;
        timeout.timeout(factory.client.callTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** The outcome of the whole call: a response or a failure. */
    private record Result(Response response, IOException failure) {
    }

    /** One attempt: an OkHttp call pinned to the attempt's node. */
    private final class Sub implements Callback {
        final Attempt<E> attempt;
        final AttemptTag tag;
        final Call call;

        Sub(Attempt<E> attempt) {
            this.attempt = attempt;
            this.tag = new AttemptTag(attempt);
            this.call = factory.attempts.newCall(request.newBuilder().tag(AttemptTag.class, tag).build());
            for (EventListener l : eventListeners) {
                call.addEventListener(l);
            }
        }

        @Override
        public void onResponse(Call call, Response response) {
            guarded(() -> answered(this, response));
        }

        @Override
        public void onFailure(Call call, IOException e) {
            guarded(() -> failed(this, e));
        }
    }

    // ------------------------------------------------------------------ Call

    @Override
    public Request request() {
        return request;
    }

    @Override
    public Response execute() throws IOException {
        if (!executed.compareAndSet(false, true)) {
            throw new IllegalStateException("Already Executed");
        }
        CompletableFuture<Response> result = new CompletableFuture<>();
        start(r -> {
            if (r.response != null) {
                result.complete(r.response);
            } else {
                result.completeExceptionally(r.failure);
            }
        });
        try {
            return result.get();
        } catch (InterruptedException e) {
            cancel();
            result.thenAccept(Response::close);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                // thrown on another thread: add this one to the trace, as OkHttp's own async calls do not
                io.addSuppressed(new Exception("the hedged call waited here"));
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw (Error) cause;
        }
    }

    @Override
    public void enqueue(Callback callback) {
        if (!executed.compareAndSet(false, true)) {
            throw new IllegalStateException("Already Executed");
        }
        start(r -> {
            Runnable call = () -> {
                if (r.response != null) {
                    try {
                        callback.onResponse(this, r.response);
                    } catch (IOException e) {
                        LOG.log(Level.DEBUG, () -> "callback of " + RoutingInterceptor.describe(request) + " failed", e);
                    }
                } else {
                    callback.onFailure(this, r.failure);
                }
            };
            try {
                factory.client.dispatcher().executorService().execute(call);
            } catch (RejectedExecutionException e) {
                call.run();
            }
        });
    }

    @Override
    public void cancel() {
        synchronized (this) {
            if (canceled) {
                return;
            }
            canceled = true;
            if (sink != null && !done) {
                finish(null, new IOException("Canceled"), Outcome.CANCELLED);
            }
        }
        flush();
    }

    @Override
    public boolean isExecuted() {
        return executed.get();
    }

    @Override
    public boolean isCanceled() {
        return canceled;
    }

    @Override
    public Timeout timeout() {
        return timeout;
    }

    /** Adds a listener to every attempt this call starts from now on; each reports its own OkHttp call. */
    @Override
    public void addEventListener(EventListener eventListener) {
        eventListeners.add(eventListener);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T tag(Class<? extends T> type) {
        return (T) tags.get(type);
    }

    @Override
    public <T> T tag(KClass<T> type) {
        return tag(JvmClassMappingKt.getJavaClass(type));
    }

    @Override
    public <T> T tag(Class<T> type, Function0<? extends T> computeIfAbsent) {
        return type.cast(tags.computeIfAbsent(type, k -> computeIfAbsent.invoke()));
    }

    @Override
    public <T> T tag(KClass<T> type, Function0<? extends T> computeIfAbsent) {
        return tag(JvmClassMappingKt.getJavaClass(type), computeIfAbsent);
    }

    @Override
    public Call clone() {
        return factory.newCall(request);
    }

    @Override
    public String toString() {
        return "HedgedCall[" + RoutingInterceptor.describe(request) + ", router '" + router.name() + "']";
    }

    // ------------------------------------------------------------------ the race

    private void start(Consumer<Result> out) {
        guarded(() -> {
            sink = out;
            if (canceled) {
                finish(null, new IOException("Canceled"), Outcome.CANCELLED);
                return;
            }
            long now = System.nanoTime();
            if (timeout.timeoutNanos() > 0) {
                deadlineNanos = now + timeout.timeoutNanos();
            }
            if (timeout.hasDeadline() && (deadlineNanos == Long.MAX_VALUE
                    || timeout.deadlineNanoTime() - deadlineNanos < 0)) {
                deadlineNanos = timeout.deadlineNanoTime();
            }
            routed = RoutingInterceptor.newCall(route, deadlineNanos);
            delayNanos = routed.hedgeDelayNanos();
            mayHedge = delayNanos < Long.MAX_VALUE / 4;
            Attempt<E> first;
            try {
                first = RoutingInterceptor.begin(routed, route, request);
            } catch (RoutedCallException e) {
                finish(null, e, Outcome.CANCELLED);
                return;
            }
            if (deadlineNanos != Long.MAX_VALUE) {
                deadlineTimer = HedgingCallFactory.TIMER.schedule(() -> guarded(this::timedOut),
                        Math.max(0, deadlineNanos - now), TimeUnit.NANOSECONDS);
            }
            launch(first);
        });
    }

    /** Starts an attempt (its call is enqueued by flush) and re-arms the hedge timer from now. */
    private void launch(Attempt<E> attempt) {
        Sub sub = new Sub(attempt);
        running.add(sub);
        toEnqueue.add(sub);
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
        if (mayHedge) {
            hedgeTimer = HedgingCallFactory.TIMER.schedule(() -> guarded(this::hedgeNow), delayNanos,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void hedgeNow() {
        hedgeTimer = null;
        if (done || running.isEmpty() || !mayHedge) {
            return;
        }
        Sub still = null;
        for (Sub s : running) {
            if (!s.tag.isSettled()) {
                still = s;
                break;
            }
        }
        if (still == null) {
            return;   // every attempt has answered; their callbacks are on the way
        }
        Attempt<E> hedge = routed.hedge();
        if (hedge == null) {
            mayHedge = false;
            String why = routed.noHedgeReason();
            LOG.log(Level.DEBUG, () -> "router '" + router.name() + "': " + RoutingInterceptor.describe(request)
                    + " not hedged: " + why);
            return;
        }
        String from = still.attempt.node().id();
        LOG.log(Level.DEBUG, () -> "router '" + router.name() + "': " + RoutingInterceptor.describe(request)
                + " hedged from node '" + from + "' to node '" + hedge.node().id() + "'");
        launch(hedge);
    }

    private void answered(Sub sub, Response response) {
        running.remove(sub);
        if (!sub.tag.isSettled()) {
            // the interceptor did not see this attempt (removed from the client?): count it here
            sub.tag.complete(HttpOutcomes.outcome(response.code()));
        }
        Outcome outcome = sub.tag.outcome();
        if (done) {
            toClose.add(response);
            return;
        }
        if (!outcome.isRetryable() && outcome != Outcome.CANCELLED) {
            if (outcome == Outcome.SUCCESS) {
                routed.succeeded(sub.attempt);
            }
            finish(response, null, Outcome.CANCELLED);
            return;
        }
        if (held != null) {
            toClose.add(held);
        }
        held = response;
        lastFailure = null;
        lastOutcome = outcome;
        String notRepeatable = factory.interceptor.whyNotRepeat(request, null, true, this, deadlineNanos);
        decided(routed.failed(sub.attempt, new IOException("HTTP " + response.code()), notRepeatable));
    }

    private void failed(Sub sub, IOException e) {
        running.remove(sub);
        if (!sub.tag.isSettled()) {
            // OkHttp failed the call before the interceptor ran (a dispatcher that was shut down, say)
            sub.tag.complete(canceled || sub.call.isCanceled() ? Outcome.CANCELLED : Outcome.FAILURE);
        }
        if (done) {
            return;
        }
        lastFailure = e;
        lastOutcome = sub.tag.outcome();
        String notRepeatable = factory.interceptor.whyNotRepeat(request, e, true, this, deadlineNanos);
        decided(routed.failed(sub.attempt, e, notRepeatable));
    }

    /** Carries out the call's decision after a failed attempt. */
    private void decided(RoutedCall.Decision decision) {
        switch (decision.action()) {
            case RETRY -> {
                if (decision.delayNanos() <= 0) {
                    retry();
                } else {
                    HedgingCallFactory.TIMER.schedule(() -> guarded(this::retry), decision.delayNanos(),
                            TimeUnit.NANOSECONDS);
                }
            }
            case STOP -> end();
            case WAIT -> {
                // other attempts still run, or a retry is pending: their answers decide
            }
        }
    }

    private void retry() {
        if (done) {
            return;
        }
        Attempt<E> next = routed.retry();
        if (next == null) {
            if (routed.isDone()) {
                end();
            }
            return;
        }
        LOG.log(Level.DEBUG, () -> "router '" + router.name() + "': " + RoutingInterceptor.describe(request)
                + " trying node '" + next.node().id() + "' (attempt " + next.number() + ")");
        launch(next);
    }

    /** Ends the call when it stopped: with the last failed response, if any, else the failure. */
    private void end() {
        if (done) {
            return;
        }
        if (held != null) {
            Response last = held;
            held = null;
            finish(last, null, Outcome.CANCELLED);
            return;
        }
        finish(null, RoutingInterceptor.failed(route, request, routed, lastFailure, lastOutcome), Outcome.CANCELLED);
    }

    private void timedOut() {
        deadlineTimer = null;
        if (done) {
            return;
        }
        routed.cancel("the call's timeout was reached");
        InterruptedIOException timeout = new InterruptedIOException("timeout");
        routed.failures().forEach(timeout::addSuppressed);
        // as through the interceptor: an attempt cut by the call's timeout did not answer in time
        finish(null, timeout, Outcome.FAILURE);
    }

    /**
     * Ends the call with a response or a failure: the attempts still running are completed with
     * {@code othersOutcome} and their calls cancelled, a held failed response that is not the
     * answer is closed, and the result is handed over.
     */
    private void finish(Response response, IOException failure, Outcome othersOutcome) {
        done = true;
        if (hedgeTimer != null) {
            hedgeTimer.cancel(false);
            hedgeTimer = null;
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel(false);
            deadlineTimer = null;
        }
        for (Sub other : running) {
            other.tag.complete(othersOutcome);
            toCancel.add(other.call);
        }
        running.clear();
        if (held != null && held != response) {
            toClose.add(held);
        }
        held = null;
        Consumer<Result> out = sink;
        Result result = new Result(response, failure);
        toDeliver = () -> out.accept(result);
    }

    /** Runs {@code action} under the monitor, then what it queued; a bug in it ends the call rather than hang it. */
    private void guarded(Runnable action) {
        try {
            synchronized (this) {
                try {
                    action.run();
                } catch (RuntimeException | Error e) {
                    if (!done && sink != null) {
                        finish(null, new IOException("router '" + router.name() + "': hedged call failed: " + e, e),
                                Outcome.CANCELLED);
                    }
                    if (e instanceof Error error) {
                        throw error;
                    }
                    LOG.log(Level.WARNING, "router '" + router.name() + "': hedged call failed", e);
                }
            }
        } finally {
            // even after an Error: the result finish() queued must reach the waiting caller
            flush();
        }
    }

    /** Runs what the last actions queued, outside the monitor: cancels, closes, enqueues, hands over the result. */
    private void flush() {
        List<Sub> enqueue;
        List<Call> cancel;
        List<Response> close;
        Runnable deliver;
        synchronized (this) {
            if (toEnqueue.isEmpty() && toCancel.isEmpty() && toClose.isEmpty() && toDeliver == null) {
                return;
            }
            enqueue = toEnqueue;
            cancel = toCancel;
            close = toClose;
            deliver = toDeliver;
            toEnqueue = new ArrayList<>(1);
            toCancel = new ArrayList<>(1);
            toClose = new ArrayList<>(1);
            toDeliver = null;
        }
        for (Call c : cancel) {
            c.cancel();
        }
        for (Response r : close) {
            r.close();
        }
        for (Sub s : enqueue) {
            s.call.enqueue(s);
        }
        if (deliver != null) {
            deliver.run();
        }
    }
}
