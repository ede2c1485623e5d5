package io.smartqueryrouter.okhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.testkit.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import mockwebserver3.MockWebServer;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Half the cluster goes away under a load the other half cannot carry, then comes back (issue 12's
 * real-socket check of the simulator's capacity-loss): four HTTP servers of 2 workers and 50 ms of
 * work each (160 calls/s in all) behind the testkit's TCP proxy, an open-loop load of 120 calls/s
 * (75%), and two servers gone for 10 s (their connections reset, new ones refused). The servers finish every request they took,
 * even one whose caller gave up, as most servers do. Within 5 s of their return, the calls that fail
 * must be back under 1% per second.
 */
class OverloadRecoveryIT extends ClosesAfterEach {
    private static final int SERVERS = 4;
    private static final int WORKERS = 2;
    private static final long WORK_MILLIS = 50;
    private static final int CALLS_PER_SECOND = 120;
    private static final int FAULT_FROM = 10;
    private static final int FAULT_TO = 20;
    private static final int SECONDS = 30;

    /**
     * A server of {@link #WORKERS} workers: a request waits for a free one (in arrival order), then
     * takes {@link #WORK_MILLIS}; the work is done even for a caller that gave up meanwhile.
     */
    private MockWebServer server() {
        Semaphore workers = new Semaphore(WORKERS, true);
        return track(TestSupport.server(request -> {
            workers.acquireUninterruptibly();
            try {
                Thread.sleep(WORK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                workers.release();
            }
            return TestSupport.response(200, "ok");
        }));
    }

    @Test
    void afterHalfTheClusterRefusedFor10SecondsUnder75PercentLoadFailedCallsAreUnder1PercentWithin5Seconds()
            throws Exception {
        List<TcpProxy> proxies = new ArrayList<>();
        var builder = Router.<HttpUrl>builder("orders");
        for (int i = 0; i < SERVERS; i++) {
            MockWebServer s = server();
            TcpProxy proxy = track(TcpProxy.builder("127.0.0.1", s.getPort()).name("s" + i).start());
            proxies.add(proxy);
            builder.node(Node.of("s" + i, HttpUrl.get("http://127.0.0.1:" + proxy.port() + "/")));
        }
        Router<HttpUrl> orders = track(builder.build());
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(5_000);
        dispatcher.setMaxRequestsPerHost(5_000);
        OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(500, 1, TimeUnit.MINUTES))
                .callTimeout(Duration.ofSeconds(1))
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();
        track(() -> {
            dispatcher.executorService().shutdownNow();
            client.connectionPool().evictAll();
        });

        AtomicIntegerArray sent = new AtomicIntegerArray(SECONDS);
        AtomicIntegerArray failed = new AtomicIntegerArray(SECONDS);
        AtomicIntegerArray answered = new AtomicIntegerArray(SECONDS);
        CountDownLatch allAnswered = new CountDownLatch(SECONDS * CALLS_PER_SECOND);
        long start = System.nanoTime();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / CALLS_PER_SECOND;
        for (long n = 0; n < (long) SECONDS * CALLS_PER_SECOND; n++) {
            long due = start + n * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            // the second the call was due in, not when it was sent: a late sender does not hide a stall
            int second = (int) (n / CALLS_PER_SECOND);
            if (n == (long) FAULT_FROM * CALLS_PER_SECOND) {
                // the two servers crash: what they held is reset, new connections are refused
                for (TcpProxy p : proxies.subList(2, 4)) {
                    p.resetConnections();
                    p.refuse();
                }
            } else if (n == (long) FAULT_TO * CALLS_PER_SECOND) {
                proxies.get(2).restore();
                proxies.get(3).restore();
            }
            sent.incrementAndGet(second);
            client.newCall(new Request.Builder().url("http://orders/work").build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    failed.incrementAndGet(second);
                    answered.incrementAndGet(second);
                    allAnswered.countDown();
                }

                @Override
                public void onResponse(Call call, Response response) {
                    try (response) {
                        if (response.code() != 200) {
                            failed.incrementAndGet(second);
                        }
                    }
                    answered.incrementAndGet(second);
                    allAnswered.countDown();
                }
            });
        }
        // every call ends within its 1 s timeout: 30 s is generous, and the count is asserted below
        allAnswered.await(30, TimeUnit.SECONDS);
        StringBuilder timeline = new StringBuilder();
        for (int s = 0; s < SECONDS; s++) {
            timeline.append(String.format("%n  %2d s: %3d calls, %3d failed", s, sent.get(s), failed.get(s)));
        }
        assertThat(answered(answered)).as("calls answered or failed%s", timeline).isEqualTo((long) SECONDS * CALLS_PER_SECOND);
        for (int s = 1; s < FAULT_FROM; s++) {
            // under 1% (at most one call a second) before the fault too: a busy machine may stall one call
            assertThat(failed.get(s) * 100).as("failed calls in second %d, before the fault:%s", s, timeline)
                    .isLessThan(sent.get(s));
        }
        for (int s = FAULT_TO + 5; s < SECONDS; s++) {
            assertThat(failed.get(s) * 100).as("failed calls in second %d, %d s after capacity returned:%s", s,
                    s - FAULT_TO, timeline).isLessThan(sent.get(s));
        }
    }

    private static long answered(AtomicIntegerArray counts) {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }
}
