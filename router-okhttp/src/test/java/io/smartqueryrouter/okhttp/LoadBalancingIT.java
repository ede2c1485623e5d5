package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.await;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.response;
import static io.smartqueryrouter.okhttp.TestSupport.server;
import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeSnapshot;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.RoutingPolicies;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing quality and resilience under real traffic, with the default policy. */
class LoadBalancingIT extends ClosesAfterEach {
    private static String call(OkHttpClient client, String url) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url(url).build()).execute()) {
            return r.code() + " " + r.body().string();
        }
    }

    @Test
    void afterWarmUpAtMost15PercentOfSequentialCallsGoToANodeThatAnswers200msSlower() throws Exception {
        MockWebServer a = track(server(r -> response(200, "a")));
        MockWebServer b = track(server(r -> response(200, "b")));
        MockWebServer slow = track(server(r -> new MockResponse.Builder().code(200).body("slow")
                .headersDelay(200, TimeUnit.MILLISECONDS).build()));
        Router<HttpUrl> orders = Router.<HttpUrl>builder("orders")
                .node(Node.of("a", base(a))).node(Node.of("b", base(b))).node(Node.of("slow", base(slow)))
                .build();
        track(orders);
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();

        for (int i = 0; i < 50; i++) {
            assertThat(call(client, "http://orders/items")).startsWith("200 ");
        }
        int slowBefore = slow.getRequestCount();
        for (int i = 0; i < 500; i++) {
            assertThat(call(client, "http://orders/items")).startsWith("200 ");
        }
        int toSlow = slow.getRequestCount() - slowBefore;
        assertThat(toSlow).as("calls of 500 that went to the slow node (it had %d of the 50 warm-up calls)", slowBefore)
                .isLessThanOrEqualTo(75);
        assertThat(a.getRequestCount() + b.getRequestCount() + slow.getRequestCount()).isEqualTo(550);
    }

    @Test
    void aServerShutDownDuring1000GetsFrom8ThreadsFailsNoCallWhoseAnswerHadNotBegun() throws Exception {
        MockWebServer a = track(server(r -> response(200, "a")));
        MockWebServer b = track(server(r -> response(200, "b")));
        MockWebServer c = track(server(r -> response(200, "c")));
        OkHttpClient base = new OkHttpClient();
        Router<HttpUrl> orders = Router.<HttpUrl>builder("orders")
                .node(Node.of("a", base(a))).node(Node.of("b", base(b))).node(Node.of("c", base(c)))
                // round-robin keeps sending c its third, so the calls do meet the dead node and it is ejected: the
                // default stops sending to a node after a failure or two, and then c was neither ejected (4 failures in
                // a row, not 5) nor yet marked down when the calls ended, or got no call after its shutdown at all
                // (2 runs of 4 once pool-ewma's average learnt faster; no call failed in any)
                .policy(RoutingPolicies.roundRobin())
                // probes every second, two to fall: the calls meet the dead node before the health check does (with
                // probes every 200 ms a busy machine's calls could miss it, and nothing would have failed over)
                .healthCheck(HealthCheck.of(HttpHealthProbe.get("/health").client(base))
                        .timeout(Duration.ofMillis(500)).interval(Duration.ofSeconds(1)).fall(2))
                .build();
        track(orders);
        OkHttpClient client = base.newBuilder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();

        int calls = 1000;
        AtomicInteger started = new AtomicInteger();
        AtomicInteger servedByCBeforeShutdown = new AtomicInteger(-1);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> cutAfterHead = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            workers.add(pool.submit(() -> {
                for (int n = started.incrementAndGet(); n <= calls; n = started.incrementAndGet()) {
                    if (n == calls / 2 + 1) {
                        // the worker that takes call 501 shuts c down first; the 7 others keep calling meanwhile
                        servedByCBeforeShutdown.set(c.getRequestCount());
                        c.close();
                    }
                    Response r;
                    try {
                        r = client.newCall(new Request.Builder().url("http://orders/items").build()).execute();
                    } catch (IOException | RuntimeException e) {
                        failures.add(e);
                        continue;
                    }
                    // the router's part ends with the response head; a server that closes after that cuts the body the
                    // caller reads, which no router can repeat (the head is the caller's already)
                    try (r) {
                        if (r.code() == 200 && !r.body().string().isEmpty()) {
                            ok.incrementAndGet();
                        }
                    } catch (IOException e) {
                        cutAfterHead.add(e);
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        RouterSnapshot s = orders.snapshot();
        NodeSnapshot dead = s.node("c");
        assertThat(failures).as("failed calls; router state:%n%s", s).isEmpty();
        // at most the calls whose answer c had begun when it closed: one per calling thread (rare; most runs none)
        assertThat(cutAfterHead).as("bodies cut by c's shutdown after their head").hasSizeLessThanOrEqualTo(8);
        assertThat(ok).hasValue(calls - cutAfterHead.size());
        assertThat(servedByCBeforeShutdown.get()).as("requests c served before its shutdown").isPositive();
        assertThat(dead.failures()).as("attempts that hit c after its shutdown and failed over").isPositive();
        assertThat(s.retries()).isGreaterThanOrEqualTo(dead.failures());
        assertThat(dead.ejected() || !dead.healthy()).as("the dead node is ejected or unhealthy").isTrue();
        await("the health check to mark c unhealthy", Duration.ofSeconds(30), () -> !orders.snapshot().node("c").healthy());
        assertThat(s.node("a").healthy() && s.node("b").healthy()).isTrue();
    }
}
