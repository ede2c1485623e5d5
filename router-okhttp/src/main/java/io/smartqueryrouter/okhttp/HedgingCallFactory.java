package io.smartqueryrouter.okhttp;

import io.smartqueryrouter.okhttp.internal.HttpOutcomes;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/** The factory {@link RoutingInterceptor#hedging} returns: hedged calls where they are allowed, plain calls elsewhere. */
final class HedgingCallFactory implements Call.Factory {
    /**
     * The one timer thread of every hedged call in the JVM: it only starts hedges and retries and
     * ends calls at their timeout, each a few microseconds of work, so one thread is enough.
     */
    static final ScheduledThreadPoolExecutor TIMER = timer();

    final RoutingInterceptor interceptor;
    final OkHttpClient client;
    /** The client the attempts go through: the hedged call owns the call timeout, so they have none. */
    final OkHttpClient attempts;

    HedgingCallFactory(RoutingInterceptor interceptor, OkHttpClient client) {
        this.interceptor = interceptor;
        this.client = client;
        this.attempts = client.newBuilder().callTimeout(Duration.ZERO).build();
    }

    @Override
    public Call newCall(Request request) {
        RoutingInterceptor.Route<?> route = interceptor.routeFor(request.url().host());
        if (route == null || !route.router.hedgePolicy().isEnabled() || HttpOutcomes.hasOneTimeBody(request)
                || !interceptor.repeatRule().mayRepeat(request, true)) {
            return client.newCall(request);
        }
        return new HedgedCall<>(this, route, request);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "smartqueryrouter-okhttp-hedging");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @Override
    public String toString() {
        return "HedgingCallFactory[" + interceptor + "]";
    }
}
