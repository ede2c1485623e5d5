package io.smartqueryrouter.okhttp;

import static io.smartqueryrouter.okhttp.TestSupport.await;
import static io.smartqueryrouter.okhttp.TestSupport.base;
import static io.smartqueryrouter.okhttp.TestSupport.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.testkit.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockWebServer;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * A node back from a fault gets traffic as soon as the router can know it is well, and a node the
 * router believes down never holds a call for long: real servers behind the testkit's TCP proxy,
 * which refuses or black-holes on demand.
 */
class EjectionRecoveryIT extends ClosesAfterEach {
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(300);

    private static int call(OkHttpClient client) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url("http://orders/items").build()).execute()) {
            r.body().string();
            return r.code();
        }
    }

    /** Counts the passing probes of one node and its answered attempts, and notes the probes seen at its first answer. */
    private static final class Watch implements RouterListener {
        final String node;
        final AtomicBoolean counting = new AtomicBoolean();
        final AtomicInteger passingProbes = new AtomicInteger();
        final AtomicInteger probesAtFirstAnswer = new AtomicInteger(-1);

        Watch(String node) {
            this.node = node;
        }

        @Override
        public void onHealthChecked(String router, Node<?> n, ProbeResult result, long durationNanos) {
            if (counting.get() && n.id().equals(node) && result.healthy()) {
                passingProbes.incrementAndGet();
            }
        }

        @Override
        public void onAttemptCompleted(String router, Node<?> n, Outcome outcome, long latencyNanos, int attempt) {
            if (counting.get() && n.id().equals(node) && outcome == Outcome.SUCCESS) {
                probesAtFirstAnswer.compareAndSet(-1, passingProbes.get());
            }
        }
    }

    @Test
    void aNodeEjectedAndMarkedDownServesCallsAgainByItsSecondPassingProbeNotAfterItsThirtySecondEjection()
            throws Exception {
        MockWebServer a = track(ok("a"));
        MockWebServer b = track(ok("b"));
        MockWebServer c = track(ok("c"));
        TcpProxy proxy = track(TcpProxy.builder("127.0.0.1", c.getPort()).name("c").start());
        HttpUrl viaProxy = base(c).newBuilder().port(proxy.port()).build();
        Watch watch = new Watch("c");
        OkHttpClient base = new OkHttpClient();
        Router<HttpUrl> orders = track(Router.<HttpUrl>builder("orders")
                .node(Node.of("a", base(a))).node(Node.of("b", base(b))).node(Node.of("c", viaProxy))
                .healthCheck(HealthCheck.of(HttpHealthProbe.get("/health").client(base))
                        .interval(PROBE_INTERVAL).timeout(Duration.ofMillis(250)).fall(2).rise(2))
                .outlierEjection(OutlierEjection.builder().trialInterval(Duration.ofHours(1)).build())
                .listener(watch)
                .build());
        OkHttpClient client = base.newBuilder()
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();

        proxy.refuse();
        // five failed calls eject c for 30 s: reported here on the router, since the policy stops picking c
        // after its first failure, long before five calls would fail there on their own
        for (int i = 0; i < 5; i++) {
            orders.newCall(n -> n.id().equals("c"), null).begin().complete(Outcome.FAILURE);
        }
        assertThat(orders.snapshot().node("c").ejectedFor()).isGreaterThan(Duration.ofSeconds(25));
        await("c marked down", Duration.ofSeconds(30), () -> !orders.snapshot().node("c").healthy());
        assertThat(orders.snapshot().node("c").ejectedFor()).isGreaterThan(Duration.ofSeconds(25));

        watch.counting.set(true);
        proxy.restore();
        await("c answering a call again", Duration.ofSeconds(20), () -> {
            try {
                assertThat(call(client)).isEqualTo(200);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return watch.probesAtFirstAnswer.get() >= 0;
        });
        // rise 2: the second passing probe makes c healthy and ends its ejection; a call may still be
        // picked just before the third probe's report, hence at most 3
        assertThat(watch.probesAtFirstAnswer.get()).as("passing probes of c before it answered a call")
                .isBetween(2, 3);
        assertThat(orders.snapshot().node("c").ejected()).isFalse();
    }

    @Test
    void aCallSentToAnEjectedBlackHoledNodeWaitsOnlyTheHealthCheckTimeoutThenFailsOver() throws Exception {
        MockWebServer a = track(ok("a"));
        MockWebServer b = track(ok("b"));
        TcpProxy proxy = track(TcpProxy.builder("127.0.0.1", b.getPort()).name("b").start());
        HttpUrl viaProxy = base(b).newBuilder().port(proxy.port()).build();
        // no health check: the wait limit on a node believed down is the default probe timeout, 1 s
        Router<HttpUrl> orders = track(Router.<HttpUrl>builder("orders")
                .node(Node.of("a", base(a))).node(Node.of("b", viaProxy))
                .outlierEjection(OutlierEjection.builder().trialInterval(Duration.ofMillis(100)).build())
                .build());
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20))
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();

        // five failed calls eject b (reported on the router: the policy stops picking b after one failure)
        for (int i = 0; i < 5; i++) {
            orders.newCall(n -> n.id().equals("b"), null).begin().complete(Outcome.FAILURE);
        }
        assertThat(orders.snapshot().node("b").ejected()).isTrue();
        proxy.blackHole();
        long triedBefore = orders.snapshot().node("b").requests();
        long slowest = 0;
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (orders.snapshot().node("b").requests() < triedBefore + 2) {
            assertThat(System.nanoTime() - giveUp).as("two trial calls of b within 60 s").isNegative();
            long start = System.nanoTime();
            assertThat(call(client)).isEqualTo(200);
            slowest = Math.max(slowest, System.nanoTime() - start);
        }
        // each trial call to b waited 1 s (not the client's 20 s read timeout), then went to a;
        // the rest of the margin is for a busy machine
        assertThat(Duration.ofNanos(slowest)).as("the slowest call with a trial on the black hole")
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(8));
        assertThat(orders.snapshot().node("b").ejected()).as("a trial that timed out keeps it out").isTrue();
    }

    @Test
    void onceATrialWaitedTheWholeLimitForNothingTheBlackHolesLaterTrialsWaitOnlyWhatTheOtherNodeTakes()
            throws Exception {
        MockWebServer a = track(ok("a"));
        MockWebServer b = track(ok("b"));
        TcpProxy proxy = track(TcpProxy.builder("127.0.0.1", b.getPort()).name("b").start());
        HttpUrl viaProxy = base(b).newBuilder().port(proxy.port()).build();
        java.util.List<Long> trialMillis = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicBoolean counting = new AtomicBoolean();
        RouterListener trials = new RouterListener() {
            @Override
            public void onAttemptCompleted(String router, Node<?> n, Outcome outcome, long latencyNanos, int attempt) {
                if (counting.get() && n.id().equals("b")) {
                    trialMillis.add(Duration.ofNanos(latencyNanos).toMillis());
                }
            }
        };
        // no health check: the wait limit on a node believed down is the default probe timeout, 1 s
        Router<HttpUrl> orders = track(Router.<HttpUrl>builder("orders")
                .node(Node.of("a", base(a))).node(Node.of("b", viaProxy))
                .outlierEjection(OutlierEjection.builder().trialInterval(Duration.ofMillis(100)).build())
                .listener(trials)
                .build());
        OkHttpClient client = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(20))
                .addInterceptor(RoutingInterceptor.builder().route("orders", orders).build()).build();
        for (int i = 0; i < 20; i++) {
            assertThat(call(client)).isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            orders.newCall(n -> n.id().equals("b"), null).begin().complete(Outcome.FAILURE);
        }
        assertThat(orders.snapshot().node("b").ejected()).isTrue();
        proxy.blackHole();
        counting.set(true);
        long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (trialMillis.size() < 4) {
            assertThat(System.nanoTime() - giveUp).as("four trial calls of b within 60 s").isNegative();
            assertThat(call(client)).as("every call answered, by a after a trial on b").isEqualTo(200);
        }
        // the first trial waits the whole limit (1 s) and gets nothing; then a trial waits what a lately
        // took (a few ms here, so the 30 ms prior): far under the second. The bound is under the 900 ms the
        // first trial must reach, with room for a busy machine, where a's slowest recent answer (its
        // Peak-EWMA, which sets the later trials' wait) may take hundreds of ms
        assertThat(trialMillis.get(0)).as("the ejection's first trial, of %s ms", trialMillis).isBetween(900L, 8_000L);
        assertThat(trialMillis.subList(1, 4)).as("the later trials, of %s ms", trialMillis).allSatisfy(
                ms -> assertThat(ms).isLessThan(800L));
        assertThat(orders.snapshot().node("b").ejected()).as("trials that timed out keep it out").isTrue();
    }
}
