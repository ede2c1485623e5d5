package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.FIRST;
import static io.smartqueryrouter.okhttp.TestSupport.answering;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.ok;
import static io.smartqueryrouter.okhttp.TestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.spi.NodeStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** Hedged calls through {@link RoutingInterceptor#hedging} against real servers. */
class HedgingIT extends ClosesAfterEach {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final AtomicInteger hedgeEvents = new AtomicInteger();
    private final CountDownLatch hedged = new CountDownLatch(1);

    private Router<HttpUrl> router(HedgePolicy hedge, HttpUrl... bases) {
        RouterBuilder<HttpUrl> b = Router.<HttpUrl>builder("orders").policy(FIRST).hedge(hedge)
                .listener(new RouterListener() {
                    @Override
                    public void onHedge(String router, Node<?> from, Node<?> to, int attempt) {
                        hedgeEvents.incrementAndGet();
                        hedged.countDown();
                    }
                });
        for (int i = 0; i < bases.length; i++) {
            b.node(Node.of(String.valueOf((char) ('a' + i)), bases[i]));
        }
        return track(b.build());
    }

    /** A client with the interceptor, whose dispatcher does not queue the attempts of concurrent calls. */
    private OkHttpClient client(RoutingInterceptor interceptor) {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(1000);
        dispatcher.setMaxRequestsPerHost(1000);
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(interceptor).dispatcher(dispatcher).build();
        track(() -> client.dispatcher().executorService().shutdownNow());
        return client;
    }

    private Call.Factory hedging(Router<HttpUrl> orders) {
        RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", orders).build();
        return interceptor.hedging(client(interceptor));
    }

    private static Request get(String url) {
        return new Request.Builder().url(url).build();
    }

    private static String bodyOf(Call call) throws IOException {
        try (Response r = call.execute()) {
            return r.code() + " " + r.body().string();
        }
    }

    private static long completed(Router<HttpUrl> r, String id, Outcome outcome) {
        return r.stats(id).map(s -> s.completed(outcome)).orElseThrow();
    }

    private static int inFlight(Router<HttpUrl> r) {
        return r.nodes().stream().mapToInt(n -> r.stats(n.id()).map(NodeStats::inFlight).orElseThrow()).sum();
    }

    private static MockResponse slow(String body, Duration delay) {
        return new MockResponse.Builder().code(200).body(body).headersDelay(delay.toMillis(), TimeUnit.MILLISECONDS)
                .build();
    }

    @Test
    void aStalledServerIsHedgedToAnotherAndTheFastAnswerComesBeforeTheStallEnds() throws Exception {
        SilentServer silent = track(new SilentServer());
        MockWebServer fast = track(ok("fast"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(50)), silent.base(), base(fast));
        Call.Factory calls = hedging(orders);

        long start = System.nanoTime();
        assertThat(bodyOf(calls.newCall(get("http://orders/items?id=7")))).isEqualTo("200 fast");
        long elapsed = System.nanoTime() - start;

        // the silent server never answers: only the hedge can have answered, after the delay
        assertThat(Duration.ofNanos(elapsed)).isBetween(Duration.ofMillis(50), Duration.ofSeconds(5));
        assertThat(hedgeEvents).hasValue(1);
        assertThat(silent.requestCount()).isEqualTo(1);
        assertThat(fast.getRequestCount()).isEqualTo(1);
        assertThat(fast.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/items?id=7");
        // the loser is completed CANCELLED before execute returns, and its request is cut
        assertThat(completed(orders, "a", Outcome.CANCELLED)).isEqualTo(1);
        assertThat(completed(orders, "b", Outcome.SUCCESS)).isEqualTo(1);
        assertThat(inFlight(orders)).isZero();
        assertThat(silent.cut.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the stalled request cut").isTrue();
        assertThat(orders.snapshot().attemptsStarted()).isEqualTo(orders.snapshot().attemptsCompleted()).isEqualTo(2);
    }

    @Test
    void theAsynchronousEnqueuePathIsHedgedToo() throws Exception {
        SilentServer silent = track(new SilentServer());
        MockWebServer fast = track(ok("fast"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(30)), silent.base(), base(fast));
        CompletableFuture<String> result = new CompletableFuture<>();
        Call call = hedging(orders).newCall(get("http://orders/items"));

        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) throws IOException {
                try (response) {
                    result.complete((c == call) + " " + response.code() + " " + response.body().string());
                }
            }

            @Override
            public void onFailure(Call c, IOException e) {
                result.completeExceptionally(e);
            }
        });

        assertThat(result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("true 200 fast");
        assertThat(call.isExecuted()).isTrue();
        assertThat(completed(orders, "a", Outcome.CANCELLED)).isEqualTo(1);
        assertThat(inFlight(orders)).isZero();
        assertThat(silent.cut.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThatThrownBy(() -> call.enqueue(null)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Already Executed");
    }

    @Test
    void noHedgeWhenTheFirstServerAnswersInTime() throws Exception {
        MockWebServer a = track(ok("a"));
        MockWebServer b = track(ok("b"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofSeconds(5)), base(a), base(b));
        Call.Factory calls = hedging(orders);
        for (int i = 0; i < 20; i++) {
            assertThat(bodyOf(calls.newCall(get("http://orders/items")))).isEqualTo("200 a");
        }
        assertThat(b.getRequestCount()).isZero();
        assertThat(hedgeEvents).hasValue(0);
        assertThat(inFlight(orders)).isZero();
    }

    @Test
    void theBudgetHoldsWhenEveryServerStalls() throws Exception {
        List<MockWebServer> servers = new ArrayList<>();
        for (String id : List.of("a", "b", "c")) {
            servers.add(track(server(r -> slow(id, Duration.ofMillis(400)))));
        }
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), base(servers.get(0)),
                base(servers.get(1)), base(servers.get(2)));
        Call.Factory calls = hedging(orders);

        int n = 100;
        List<CompletableFuture<Integer>> codes = new ArrayList<>();
        long began = System.nanoTime();
        for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> code = new CompletableFuture<>();
            codes.add(code);
            calls.newCall(get("http://orders/items/" + i)).enqueue(new Callback() {
                @Override
                public void onResponse(Call call, Response response) {
                    try (response) {
                        code.complete(response.code());
                    }
                }

                @Override
                public void onFailure(Call call, IOException e) {
                    code.completeExceptionally(e);
                }
            });
        }
        for (CompletableFuture<Integer> code : codes) {
            assertThat(code.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(200);
        }

        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began);
        int requests = servers.stream().mapToInt(MockWebServer::getRequestCount).sum();
        // one per one-second window the calls ran in (a slow machine stretches them over more) plus 5% of the calls;
        // without the budget nearly every call would be hedged
        long allowed = (seconds + 2) + n * 5 / 100;
        assertThat(orders.snapshot().hedges()).as("hedges of %d calls to stalled servers", n).isBetween(1L, allowed);
        assertThat(requests).as("requests the servers received").isEqualTo(n + (int) orders.snapshot().hedges());
        assertThat(hedgeEvents.get()).isEqualTo((int) orders.snapshot().hedges());
        assertThat(inFlight(orders)).isZero();
    }

    @Test
    void aPostIsNeverHedgedButOneWithAnIdempotencyKeyIs() throws Exception {
        MockWebServer a = track(server(r -> slow("a", Duration.ofMillis(300))));
        MockWebServer b = track(ok("b"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), base(a), base(b));
        Call.Factory calls = hedging(orders);

        Request post = new Request.Builder().url("http://orders/orders").post(RequestBody.create("{}", null)).build();
        assertThat(bodyOf(calls.newCall(post))).isEqualTo("200 a");
        assertThat(b.getRequestCount()).isZero();
        assertThat(hedgeEvents).hasValue(0);

        TestSupport.OneShotBody oneShot = new TestSupport.OneShotBody("{}");
        Request oneShotPut = new Request.Builder().url("http://orders/orders").put(oneShot).build();
        assertThat(bodyOf(calls.newCall(oneShotPut))).isEqualTo("200 a");
        assertThat(b.getRequestCount()).as("a one-shot body is never hedged").isZero();

        Request keyed = post.newBuilder().header("Idempotency-Key", "k-1").build();
        assertThat(bodyOf(calls.newCall(keyed))).isEqualTo("200 b");
        assertThat(b.getRequestCount()).isEqualTo(1);
        assertThat(hedgeEvents).hasValue(1);
    }

    @Test
    void aHedgeThatFailsIsRetriedOnAThirdServerWhileTheFirstStillStalls() throws Exception {
        SilentServer silent = track(new SilentServer());
        MockWebServer broken = track(answering(500, "broken"));
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(30)), silent.base(), base(broken),
                base(good));

        assertThat(bodyOf(hedging(orders).newCall(get("http://orders/items")))).isEqualTo("200 good");
        assertThat(completed(orders, "a", Outcome.CANCELLED)).isEqualTo(1);
        assertThat(completed(orders, "b", Outcome.FAILURE)).isEqualTo(1);
        assertThat(completed(orders, "c", Outcome.SUCCESS)).isEqualTo(1);
        assertThat(orders.snapshot().retries()).isEqualTo(1);
        assertThat(inFlight(orders)).isZero();
    }

    @Test
    void whenEveryAttemptFailsTheLastFailedResponseIsReturned() throws Exception {
        MockWebServer slowFailure = track(server(r -> new MockResponse.Builder().code(502).body("late 502")
                .headersDelay(300, TimeUnit.MILLISECONDS).build()));
        MockWebServer fastFailure = track(answering(500, "early 500"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), base(slowFailure),
                base(fastFailure));

        assertThat(bodyOf(hedging(orders).newCall(get("http://orders/items")))).isEqualTo("502 late 502");
        assertThat(completed(orders, "a", Outcome.FAILURE)).isEqualTo(1);
        assertThat(completed(orders, "b", Outcome.FAILURE)).isEqualTo(1);
        assertThat(inFlight(orders)).isZero();
    }

    @Test
    void cancelCancelsEveryAttempt() throws Exception {
        SilentServer a = track(new SilentServer());
        SilentServer b = track(new SilentServer());
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), a.base(), b.base());
        Call call = hedging(orders).newCall(get("http://orders/items"));
        CompletableFuture<IOException> failure = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call c, Response response) {
                response.close();
                failure.complete(null);
            }

            @Override
            public void onFailure(Call c, IOException e) {
                failure.complete(e);
            }
        });
        assertThat(a.received.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(b.received.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the hedge reached b").isTrue();

        call.cancel();
        assertThat(failure.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(IOException.class)
                .hasMessage("Canceled");
        assertThat(call.isCanceled()).isTrue();
        assertThat(completed(orders, "a", Outcome.CANCELLED) + completed(orders, "b", Outcome.CANCELLED)).isEqualTo(2);
        assertThat(inFlight(orders)).isZero();
        assertThat(a.cut.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(b.cut.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void theClientsCallTimeoutBoundsTheWholeHedgedCall() throws Exception {
        SilentServer a = track(new SilentServer());
        SilentServer b = track(new SilentServer());
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), a.base(), b.base());
        RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", orders).build();
        // the hedge starts at 20 ms; 3 s leaves a busy machine time to start it before the call times out
        OkHttpClient client = client(interceptor).newBuilder().callTimeout(Duration.ofSeconds(3)).build();

        assertThatThrownBy(() -> interceptor.hedging(client).newCall(get("http://orders/items")).execute())
                .isInstanceOf(InterruptedIOException.class).hasMessage("timeout");
        // neither node answered in time: both attempts count as failures, as through the interceptor
        assertThat(completed(orders, "a", Outcome.FAILURE)).isEqualTo(1);
        assertThat(completed(orders, "b", Outcome.FAILURE)).isEqualTo(1);
        assertThat(inFlight(orders)).isZero();
    }

    @Test
    void otherHostsAndRoutersWithoutHedgingGetPlainCalls() throws Exception {
        MockWebServer direct = track(ok("direct"));
        MockWebServer node = track(ok("node"));
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), base(node));
        Router<HttpUrl> users = track(Router.<HttpUrl>builder("users").node(Node.of("u", base(node))).build());
        RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", orders).route("users", users).build();
        Call.Factory calls = interceptor.hedging(client(interceptor));

        Call toDirect = calls.newCall(get(direct.url("/x").toString()));
        Call toUsers = calls.newCall(get("http://users/u"));
        assertThat(toDirect).isNotInstanceOf(HedgedCall.class);
        assertThat(toUsers).isNotInstanceOf(HedgedCall.class);
        assertThat(calls.newCall(get("http://orders/o"))).isInstanceOf(HedgedCall.class);
        assertThat(bodyOf(toDirect)).isEqualTo("200 direct");
        assertThat(bodyOf(toUsers)).isEqualTo("200 node");
        assertThat(orders.snapshot().attemptsStarted()).isZero();
    }

    @Test
    void hedgingNeedsTheInterceptorOnTheClient() {
        Router<HttpUrl> orders = router(HedgePolicy.afterDelay(Duration.ofMillis(20)), base(track(ok("a"))));
        RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", orders).build();
        assertThatThrownBy(() -> interceptor.hedging(new OkHttpClient()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RoutingInterceptor.hedging: the client must have this interceptor installed with "
                        + "OkHttpClient.Builder.addInterceptor");
    }
}
