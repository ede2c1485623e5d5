package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.FIRST;
import static io.smartqueryrouter.okhttp.TestSupport.answering;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.closedPort;
import static io.smartqueryrouter.okhttp.TestSupport.ok;
import static io.smartqueryrouter.okhttp.TestSupport.response;
import static io.smartqueryrouter.okhttp.TestSupport.server;
import static io.smartqueryrouter.okhttp.TestSupport.stalling;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeAttemptException;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.testkit.FakeTicker;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interceptor against real OkHttp and real MockWebServer instances. */
class RoutingInterceptorIT extends ClosesAfterEach {
    private Router<HttpUrl> router(String name, RoutingPolicy policy, HttpUrl... bases) {
        return router(Router.<HttpUrl>builder(name).policy(policy), bases);
    }

    private Router<HttpUrl> router(RouterBuilder<HttpUrl> builder, HttpUrl... bases) {
        for (int i = 0; i < bases.length; i++) {
            builder.node(Node.of(String.valueOf((char) ('a' + i)), bases[i]));
        }
        Router<HttpUrl> router = builder.build();
        track(router);
        return router;
    }

    private static OkHttpClient client(Router<HttpUrl> orders) {
        return client(RoutingInterceptor.builder().route("orders", orders).build());
    }

    private static OkHttpClient client(RoutingInterceptor interceptor) {
        return new OkHttpClient.Builder().addInterceptor(interceptor).build();
    }

    private static Request get(String url) {
        return new Request.Builder().url(url).build();
    }

    private static Request post(String url, String body) {
        return new Request.Builder().url(url).post(RequestBody.create(body, null)).build();
    }

    private static Response execute(OkHttpClient client, Request request) throws IOException {
        return client.newCall(request).execute();
    }

    private static String bodyOf(OkHttpClient client, Request request) throws IOException {
        try (Response r = execute(client, request)) {
            return r.code() + " " + r.body().string();
        }
    }

    // ------------------------------------------------------------------ where requests go

    @Test
    void aLogicalHostGoesToTheNodeBaseUrlKeepingPathQueryHeadersAndBody() throws Exception {
        MockWebServer node = track(ok("a"));
        HttpUrl base = base(node).newBuilder().encodedPath("/v1/").build();
        Router<HttpUrl> orders = router("orders", FIRST, base);
        OkHttpClient client = client(orders);

        Request request = new Request.Builder().url("http://orders/api/items?id=7&tag=x%20y")
                .header("X-Trace", "t-1").post(RequestBody.create("hello", null)).build();
        try (Response response = execute(client, request)) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.request().url()).isEqualTo(base.resolve("/v1/api/items?id=7&tag=x%20y"));
        }
        RecordedRequest recorded = node.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getTarget()).isEqualTo("/v1/api/items?id=7&tag=x%20y");
        assertThat(recorded.getMethod()).isEqualTo("POST");
        assertThat(recorded.getHeaders().get("X-Trace")).isEqualTo("t-1");
        assertThat(recorded.getHeaders().get("Host")).isEqualTo("127.0.0.1:" + node.getPort());
        assertThat(recorded.getBody().utf8()).isEqualTo("hello");
        assertThat(orders.snapshot().node("a").successes()).isEqualTo(1);
    }

    @Test
    void hostsThatAreNotRegisteredPassThroughUnchanged() throws Exception {
        MockWebServer direct = track(ok("direct"));
        Router<HttpUrl> orders = router("orders", FIRST, closedPort());
        OkHttpClient client = client(orders);

        HttpUrl url = direct.url("/direct/path?x=1&token=abc");
        try (Response response = execute(client, get(url.toString()))) {
            assertThat(response.code()).isEqualTo(200);
            assertThat(response.request().url()).isEqualTo(url);
        }
        RecordedRequest recorded = direct.takeRequest(5, TimeUnit.SECONDS);
        assertThat(recorded.getTarget()).isEqualTo("/direct/path?x=1&token=abc");
        assertThat(recorded.getHeaders().get("Host")).isEqualTo(url.host() + ":" + url.port());
        assertThat(orders.snapshot().attemptsStarted()).isZero();
    }

    @Test
    void oneInterceptorServesSeveralRouters() throws Exception {
        MockWebServer orders1 = track(ok("orders-1"));
        MockWebServer orders2 = track(ok("orders-2"));
        MockWebServer users1 = track(ok("users-1"));
        Router<HttpUrl> orders = router("orders", io.smartqueryrouter.core.RoutingPolicies.roundRobin(),
                base(orders1), base(orders2));
        Router<HttpUrl> users = router("users", FIRST, base(users1));
        OkHttpClient client = client(RoutingInterceptor.builder().route("orders", orders).route("Users", users).build());

        for (int i = 0; i < 10; i++) {
            assertThat(bodyOf(client, get("http://orders/o"))).startsWith("200 orders-");
            assertThat(bodyOf(client, get("http://USERS/u"))).isEqualTo("200 users-1");
        }
        assertThat(orders1.getRequestCount() + orders2.getRequestCount()).isEqualTo(10);
        assertThat(orders1.getRequestCount()).isEqualTo(5);
        assertThat(users1.getRequestCount()).isEqualTo(10);
        assertThat(orders.snapshot().attemptsStarted()).isEqualTo(10);
        assertThat(users.snapshot().attemptsStarted()).isEqualTo(10);
    }

    @Test
    void aShortCallTimeoutStillFailsOver() throws Exception {
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router("orders", FIRST, closedPort(), base(good));
        // 300 ms: a refused connection comes back in a few ms, well inside it; the tenth of the timeout
        // allowed for OkHttp's earlier start must not read as "the timeout was reached" (it was 100 ms flat)
        OkHttpClient client = client(orders).newBuilder().callTimeout(Duration.ofMillis(300)).build();
        try (Response response = execute(client, get("http://orders/items"))) {
            assertThat(response.body().string()).isEqualTo("good");
        }
        assertThat(orders.snapshot().node("a").failures()).isEqualTo(1);
        assertThat(orders.snapshot().node("b").successes()).isEqualTo(1);
    }

    @Test
    void asynchronousCallsAreRoutedAndFailOverToo() throws Exception {
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router("orders", FIRST, closedPort(), base(good));
        CompletableFuture<String> result = new CompletableFuture<>();

        client(orders).newCall(get("http://orders/items")).enqueue(new okhttp3.Callback() {
            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (response) {
                    result.complete(response.code() + " " + response.body().string());
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                result.completeExceptionally(e);
            }
        });

        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("200 good");
        assertThat(orders.snapshot().node("a").failures()).isEqualTo(1);
        assertThat(orders.snapshot().node("b").successes()).isEqualTo(1);
    }

    @Test
    void asANetworkInterceptorItRefusesToRoute() {
        MockWebServer node = track(ok("a"));
        Router<HttpUrl> local = router("local", FIRST, base(node));
        OkHttpClient misconfigured = new OkHttpClient.Builder()
                .addNetworkInterceptor(RoutingInterceptor.builder().route("127.0.0.1", local).build()).build();

        assertThatThrownBy(() -> execute(misconfigured, get(base(node).toString())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("RoutingInterceptor must be added with OkHttpClient.Builder.addInterceptor");
        assertThat(local.snapshot().attemptsStarted()).isZero();
    }

    // ------------------------------------------------------------------ failover

    @Test
    void aGetFailsOverFromAServerThatNeverAnswersAndSucceeds() throws Exception {
        MockWebServer silent = track(stalling());
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router("orders", FIRST, base(silent), base(good));
        OkHttpClient client = client(orders).newBuilder().readTimeout(Duration.ofMillis(300)).build();

        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 good");
        assertThat(silent.getRequestCount()).isEqualTo(1);
        assertThat(good.getRequestCount()).isEqualTo(1);
        RouterSnapshot s = orders.snapshot();
        assertThat(s.node("a").failures()).isEqualTo(1);
        assertThat(s.node("b").successes()).isEqualTo(1);
        assertThat(s.retries()).isEqualTo(1);
    }

    @Test
    void aPostAnswered503ReachesExactlyOneServer() throws Exception {
        List<MockWebServer> servers = List.of(track(answering(503, "busy-a")), track(answering(503, "busy-b")),
                track(answering(503, "busy-c")));
        Router<HttpUrl> orders = router("orders", io.smartqueryrouter.core.RoutingPolicies.p2cPeakEwma(),
                base(servers.get(0)), base(servers.get(1)), base(servers.get(2)));
        OkHttpClient client = client(orders);

        try (Response response = execute(client, post("http://orders/orders", "{\"sku\":1}"))) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.body().string()).startsWith("busy-");
        }
        assertThat(servers.stream().mapToInt(MockWebServer::getRequestCount).sum()).isEqualTo(1);
        RouterSnapshot s = orders.snapshot();
        assertThat(s.nodes().stream().mapToLong(n -> n.overloaded()).sum()).isEqualTo(1);
        assertThat(s.retries()).isZero();
    }

    @Test
    void aPostToAClosedPortIsRetriedOnAnotherNodeAndSucceeds() throws Exception {
        MockWebServer good = track(ok("created"));
        Router<HttpUrl> orders = router("orders", FIRST, closedPort(), base(good));
        OkHttpClient client = client(orders);

        assertThat(bodyOf(client, post("http://orders/orders", "{\"sku\":1}"))).isEqualTo("200 created");
        assertThat(good.getRequestCount()).isEqualTo(1);
        assertThat(good.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()).isEqualTo("{\"sku\":1}");
        assertThat(orders.snapshot().node("a").failures()).isEqualTo(1);
    }

    @Test
    void okHttpsOwnSilentRetryIsOffForAPostSoItIsNeverSentTwice() throws Exception {
        // requests 2 and 4 arrive on a pooled connection, are read, and the connection drops without an answer:
        // the stale-connection case in which OkHttp silently sends the request again on a new connection
        AtomicInteger seen = new AtomicInteger();
        MockWebServer drops = track(server(r -> {
            int n = seen.incrementAndGet();
            return n == 2 || n == 4
                    ? new MockResponse.Builder().onResponseStart(new SocketEffect.CloseSocket()).build()
                    : response(200, "ok " + n);
        }));
        Router<HttpUrl> orders = router("orders", FIRST, base(drops));
        OkHttpClient client = client(orders);

        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 ok 1");
        RoutedCallException e = catchThrowableOfType(RoutedCallException.class,
                () -> execute(client, post("http://orders/orders", "{\"sku\":1}")));
        assertThat(e).hasMessageContaining("(POST is not safe to repeat once sent)");
        assertThat(drops.getRequestCount()).as("requests after one GET and one POST").isEqualTo(2);

        // a GET keeps OkHttp's own retry: sent again on a new connection, one successful attempt for the router
        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 ok 3");
        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 ok 5");
        assertThat(orders.snapshot().node("a").successes()).isEqualTo(3);
        assertThat(orders.snapshot().retries()).isZero();
    }

    @Test
    void aPostWithAnIdempotencyKeyAnswered503IsRetried() throws Exception {
        MockWebServer busy = track(answering(503, "busy"));
        MockWebServer good = track(ok("created"));
        Router<HttpUrl> orders = router("orders", FIRST, base(busy), base(good));
        OkHttpClient client = client(orders);

        Request request = post("http://orders/orders", "{\"sku\":1}").newBuilder()
                .header("Idempotency-Key", "0f1e2d3c").build();
        assertThat(bodyOf(client, request)).isEqualTo("200 created");
        assertThat(busy.getRequestCount()).isEqualTo(1);
        assertThat(good.getRequestCount()).isEqualTo(1);
        assertThat(good.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Idempotency-Key")).isEqualTo("0f1e2d3c");
    }

    @Test
    void aOneShotBodyIsNeverReplayed() throws Exception {
        MockWebServer busy = track(answering(503, "busy"));
        MockWebServer good = track(ok("stored"));
        Router<HttpUrl> orders = router("orders", FIRST, base(busy), base(good));
        OkHttpClient client = client(orders);

        // PUT is idempotent, but its one-shot body cannot be written twice
        TestSupport.OneShotBody body = new TestSupport.OneShotBody("payload");
        try (Response response = execute(client, new Request.Builder().url("http://orders/doc").put(body).build())) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(body.writes).hasValue(1);
        assertThat(busy.getRequestCount()).isEqualTo(1);
        assertThat(good.getRequestCount()).isZero();
    }

    @Test
    void aOneShotBodyThatNeverLeftGoesToTheNextNodeOnce() throws Exception {
        MockWebServer good = track(ok("stored"));
        Router<HttpUrl> orders = router("orders", FIRST, closedPort(), base(good));
        OkHttpClient client = client(orders);

        TestSupport.OneShotBody body = new TestSupport.OneShotBody("payload");
        assertThat(bodyOf(client, new Request.Builder().url("http://orders/doc").post(body).build()))
                .isEqualTo("200 stored");
        assertThat(body.writes).hasValue(1);
        assertThat(good.takeRequest(5, TimeUnit.SECONDS).getBody().utf8()).isEqualTo("payload");
    }

    @Test
    void whenTheLastAttemptGotAResponseTheCallerGetsIt() throws Exception {
        MockWebServer a = track(answering(503, "a"));
        MockWebServer b = track(answering(502, "b"));
        MockWebServer c = track(answering(503, "c"));
        Router<HttpUrl> orders = router("orders", FIRST, base(a), base(b), base(c));
        OkHttpClient client = client(orders);

        // the two failed responses before it were closed, or OkHttp would refuse the next attempt
        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("503 c");
        assertThat(a.getRequestCount() + b.getRequestCount() + c.getRequestCount()).isEqualTo(3);
        RouterSnapshot s = orders.snapshot();
        assertThat(s.node("a").overloaded()).isEqualTo(1);
        assertThat(s.node("b").failures()).isEqualTo(1);
        assertThat(s.node("c").overloaded()).isEqualTo(1);
        assertThat(s.attemptsStarted()).isEqualTo(s.attemptsCompleted()).isEqualTo(3);
    }

    @Test
    void clientErrorsAreNotRetriedAndDoNotBlameTheNode() throws Exception {
        MockWebServer a = track(answering(404, "no such item"));
        MockWebServer b = track(ok("b"));
        Router<HttpUrl> orders = router("orders", FIRST, base(a), base(b));

        assertThat(bodyOf(client(orders), get("http://orders/items/9"))).isEqualTo("404 no such item");
        assertThat(b.getRequestCount()).isZero();
        assertThat(orders.snapshot().node("a").clientErrors()).isEqualTo(1);
        assertThat(orders.snapshot().node("a").consecutiveFailures()).isZero();
    }

    @Test
    void whenEveryAttemptThrewTheIOExceptionCarriesEachAttemptWithItsNode() {
        Router<HttpUrl> orders = router("orders", FIRST, closedPort(), closedPort(), closedPort());
        OkHttpClient client = client(orders);

        RoutedCallException e = catchThrowableOfType(RoutedCallException.class,
                () -> execute(client, get("http://orders/items?id=7")));
        assertThat(e.router()).isEqualTo("orders");
        assertThat(e.attempts()).extracting(NodeAttemptException::nodeId).containsExactly("a", "b", "c");
        assertThat(e.attempts()).extracting(NodeAttemptException::outcome).containsOnly(Outcome.FAILURE);
        assertThat(e.attempts()).extracting(NodeAttemptException::attempt).containsExactly(1, 2, 3);
        assertThat(e.attempts()).allSatisfy(a -> assertThat(a.getCause()).isInstanceOf(ConnectException.class));
        assertThat(e.getSuppressed()).hasSize(3);
        assertThat(e.getCause()).isSameAs(e.attempts().get(2).getCause());
        assertThat(e.getMessage()).startsWith("router 'orders': GET http://orders:80/items failed after 3 attempts "
                + "(max attempts 3 reached): a: java.net.ConnectException");
    }

    @Test
    void aRouterWithoutNodesFailsTheCallWithAnIOException() {
        Router<HttpUrl> empty = router("orders", FIRST);
        RoutedCallException e = catchThrowableOfType(RoutedCallException.class,
                () -> execute(client(empty), get("http://orders/items")));
        assertThat(e.attempts()).isEmpty();
        assertThat(e.getMessage()).isEqualTo("router 'orders': GET http://orders:80/items has no node to go to: "
                + "router 'orders' has no available node (0 registered, 0 healthy, 0 ejected)");
    }

    // ------------------------------------------------------------------ time, cool-down, cancellation

    @Test
    void retryAfterOnA429KeepsThatNodeIdleForTwoSecondsOfTheRoutersClock() throws Exception {
        AtomicInteger toA = new AtomicInteger();
        MockWebServer a = track(server(r -> toA.incrementAndGet() == 1
                ? new MockResponse.Builder().code(429).setHeader("Retry-After", "2").build()
                : response(200, "a")));
        MockWebServer b = track(ok("b"));
        FakeTicker ticker = new FakeTicker();
        Router<HttpUrl> orders = router(Router.<HttpUrl>builder("orders").policy(FIRST).ticker(ticker), base(a), base(b));
        OkHttpClient client = client(orders);

        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 b");
        assertThat(orders.snapshot().node("a").coolingDown()).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 b");
        }
        ticker.advance(Duration.ofMillis(1999));
        for (int i = 0; i < 5; i++) {
            assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 b");
        }
        assertThat(a.getRequestCount()).as("calls to the cooling node in 2 s").isEqualTo(1);
        assertThat(b.getRequestCount()).isEqualTo(26);

        ticker.advance(Duration.ofMillis(1));
        assertThat(bodyOf(client, get("http://orders/items"))).isEqualTo("200 a");
        assertThat(a.getRequestCount()).isEqualTo(2);
    }

    @Test
    void latencyIsTheTimeToTheResponseHeadersNotToTheEndOfTheBody() throws Exception {
        MockWebServer node = track(ok("0123456789"));
        FakeTicker ticker = new FakeTicker();
        AtomicLong latency = new AtomicLong(-1);
        // lowest-latency reads the plain EWMA, so the router keeps it
        Router<HttpUrl> orders = router(Router.<HttpUrl>builder("orders").policy("lowest-latency").ticker(ticker)
                .listener(new RouterListener() {
            @Override
            public void onAttemptCompleted(String router, Node<?> n, Outcome outcome, long latencyNanos, int attempt) {
                latency.set(latencyNanos);
            }
        }), base(node));
        // network time as the router's clock sees it: 40 ms until the headers arrive
        Interceptor network = chain -> {
            ticker.advance(Duration.ofMillis(40));
            return chain.proceed(chain.request());
        };
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build())
                .addInterceptor(network).build();

        try (Response response = execute(client, get("http://orders/items"))) {
            ticker.advance(Duration.ofMillis(500)); // a slow body read
            assertThat(response.body().string()).isEqualTo("0123456789");
        }
        assertThat(latency).hasValue(TimeUnit.MILLISECONDS.toNanos(40));
        assertThat(orders.stats("a").orElseThrow().ewmaNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void noAttemptStartsAfterTheCallTimeout() {
        MockWebServer silent1 = track(stalling());
        MockWebServer silent2 = track(stalling());
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router("orders", FIRST, base(silent1), base(silent2), base(good));
        // attempt 1 times out reading at 2 s; attempt 2 is cut by the 3 s call timeout. A second either side
        // (it was 200 ms: 400 and 600 ms) so that a busy machine neither delays attempt 2 past the call timeout
        // nor lets attempt 2's own read timeout come first
        OkHttpClient client = client(orders).newBuilder().readTimeout(Duration.ofSeconds(2))
                .callTimeout(Duration.ofSeconds(3)).build();

        IOException e = catchThrowableOfType(IOException.class, () -> execute(client, get("http://orders/items")));
        assertThat(e).isInstanceOf(InterruptedIOException.class).hasMessage("timeout");
        assertThat(e.getCause()).isInstanceOf(RoutedCallException.class)
                .hasMessageContaining("failed after 2 attempts (the call's timeout was reached)");
        assertThat(silent1.getRequestCount()).isEqualTo(1);
        assertThat(silent2.getRequestCount()).isEqualTo(1);
        assertThat(good.getRequestCount()).isZero();
        RouterSnapshot s = orders.snapshot();
        assertThat(s.node("a").failures()).isEqualTo(1);
        assertThat(s.node("b").failures()).as("an attempt cut by the call timeout blames its node").isEqualTo(1);
        assertThat(s.attemptsStarted()).isEqualTo(2);
    }

    @Test
    void noAttemptStartsAfterTheCallIsCancelled() throws Exception {
        MockWebServer silent = track(stalling());
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router("orders", FIRST, base(silent), base(good));
        Call call = client(orders).newCall(get("http://orders/items"));

        CompletableFuture<Response> result = CompletableFuture.supplyAsync(() -> {
            try {
                return call.execute();
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        assertThat(silent.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        call.cancel();

        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class)
                .cause().isNotInstanceOf(RoutedCallException.class);
        assertThat(good.getRequestCount()).isZero();
        RouterSnapshot s = orders.snapshot();
        assertThat(s.node("a").cancelled()).isEqualTo(1);
        assertThat(s.node("a").failures()).isZero();
        assertThat(s.attemptsStarted()).isEqualTo(1);
    }

    @Test
    void anInterruptIsNeverSwallowedAndStopsFailover() throws Exception {
        MockWebServer a = track(ok("a"));
        MockWebServer b = track(ok("b"));
        Router<HttpUrl> orders = router("orders", FIRST, base(a), base(b));
        Interceptor interruptedOnA = chain -> {
            if (chain.request().url().port() == a.getPort()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            }
            return chain.proceed(chain.request());
        };
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build())
                .addInterceptor(interruptedOnA).build();

        boolean stillInterrupted;
        try {
            assertThatThrownBy(() -> execute(client, get("http://orders/items")))
                    .isInstanceOf(InterruptedIOException.class);
        } finally {
            stillInterrupted = Thread.interrupted();
        }
        assertThat(stillInterrupted).isTrue();
        assertThat(b.getRequestCount()).isZero();
        assertThat(orders.snapshot().node("a").cancelled()).isEqualTo(1);
    }

    @Test
    void aReadTimeoutOfANonIdempotentRequestIsNotRetried() {
        MockWebServer silent = track(stalling());
        MockWebServer good = track(ok("good"));
        Router<HttpUrl> orders = router("orders", FIRST, base(silent), base(good));
        OkHttpClient client = client(orders).newBuilder().readTimeout(Duration.ofMillis(300)).build();

        RoutedCallException e = catchThrowableOfType(RoutedCallException.class,
                () -> execute(client, post("http://orders/orders", "x")));
        assertThat(e).hasMessageContaining("(POST is not safe to repeat once sent)");
        assertThat(e.getCause()).isInstanceOf(SocketTimeoutException.class);
        assertThat(silent.getRequestCount()).isEqualTo(1);
        assertThat(good.getRequestCount()).isZero();
    }
}
