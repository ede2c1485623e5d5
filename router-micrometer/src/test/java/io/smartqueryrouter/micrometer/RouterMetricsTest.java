package io.smartqueryrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smartqueryrouter.core.Attempt;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.ConcurrencyLimit;
import io.smartqueryrouter.core.ConcurrencyLimitExceededException;
import io.smartqueryrouter.core.NoAvailableNodeException;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryBudget;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.RoutedCall;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.spi.NodeStats;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.testkit.FakeTicker;
import java.lang.ref.WeakReference;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RouterMetricsTest {
    private static final String REQUESTS = "smartqueryrouter.requests";

    private final FakeTicker ticker = new FakeTicker();
    private final PreferredNode policy = new PreferredNode();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter) {
            c.close();
        }
    }

    private RouterBuilder<String> builder(String name, String... nodeIds) {
        RouterBuilder<String> b = Router.<String>builder(name)
                .ticker(ticker)
                .policy(policy)
                .retry(RetryPolicy.builder().maxAttempts(2).budget(RetryBudget.unlimited()).build())
                .outlierEjection(OutlierEjection.disabled());
        for (String id : nodeIds) {
            b.node(Node.of(id, "endpoint-" + id));
        }
        return b;
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeAfter.add(c);
        return c;
    }

    private RouterMetrics bind(MeterRegistry to, Router<?>... routers) {
        RouterMetrics metrics = closeLater(RouterMetrics.of(routers));
        metrics.bindTo(to);
        return metrics;
    }

    /** One attempt on {@code nodeId} that takes {@code millis} on the fake clock. */
    private void call(Router<String> router, String nodeId, Outcome outcome, long millis) {
        policy.prefer(nodeId);
        Attempt<String> attempt = router.begin();
        assertThat(attempt.node().id()).isEqualTo(nodeId);
        ticker.advanceMillis(millis);
        attempt.complete(outcome);
    }

    private static Timer requests(MeterRegistry r, String router, String node, String outcome) {
        return r.get(REQUESTS).tags("router", router, "node", node, "outcome", outcome).timer();
    }

    private static double gauge(MeterRegistry r, String name, String node) {
        return r.get(name).tags("node", node).gauge().value();
    }

    private static long healthChecks(MeterRegistry r, String node, String result) {
        Timer t = r.find("smartqueryrouter.health.checks").tags("node", node, "result", result).timer();
        return t == null ? 0 : t.count();
    }

    private static List<Meter> metersOf(MeterRegistry r, String node) {
        return r.getMeters().stream()
                .filter(m -> m.getId().getName().startsWith("smartqueryrouter."))
                .filter(m -> node.equals(m.getId().getTag("node")))
                .toList();
    }

    // ------------------------------------------------------------------ requests, retries, no node

    @Test
    void requestTimersHoldExactCountsAndTotalsPerNodeAndOutcome() {
        Router<String> router = closeLater(builder("orders", "a", "b").build());
        bind(registry, router);

        for (int i = 0; i < 5; i++) {
            call(router, "a", Outcome.SUCCESS, 10);
        }
        for (int i = 0; i < 2; i++) {
            policy.prefer("b");
            RoutedCall<String> call = router.newCall();
            Attempt<String> failed = call.begin();
            assertThat(failed.node().id()).isEqualTo("b");
            ticker.advanceMillis(20);
            failed.complete(Outcome.FAILURE);
            assertThat(call.failed(failed, new IOException("refused"), null).action()).isEqualTo(RoutedCall.Action.RETRY);
            Attempt<String> retry = call.retry();
            assertThat(retry.node().id()).isEqualTo("a");
            ticker.advanceMillis(10);
            retry.complete(Outcome.SUCCESS);
        }
        call(router, "a", Outcome.CLIENT_ERROR, 5);

        Timer aSuccess = requests(registry, "orders", "a", "success");
        assertThat(aSuccess.count()).isEqualTo(7);
        assertThat(aSuccess.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(70.0);
        assertThat(aSuccess.max(TimeUnit.MILLISECONDS)).isEqualTo(10.0);
        Timer bFailure = requests(registry, "orders", "b", "failure");
        assertThat(bFailure.count()).isEqualTo(2);
        assertThat(bFailure.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);
        Timer aClientError = requests(registry, "orders", "a", "client_error");
        assertThat(aClientError.count()).isEqualTo(1);
        assertThat(aClientError.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5.0);
        // every other node and outcome exists (so rates start from zero) and is empty
        assertThat(registry.get(REQUESTS).timers()).hasSize(2 * 5);
        assertThat(registry.get(REQUESTS).timers().stream().mapToLong(Timer::count).sum()).isEqualTo(10);

        assertThat(registry.get("smartqueryrouter.retries").tags("node", "b").counter().count()).isEqualTo(2.0);
        assertThat(registry.get("smartqueryrouter.retries").tags("node", "a").counter().count()).isZero();
        assertThat(router.snapshot().retries()).isEqualTo(2);

        assertThatThrownBy(() -> router.newCall(node -> false, null).begin()).isInstanceOf(NoAvailableNodeException.class);
        Counter noNode = registry.get("smartqueryrouter.no.available.node").tags("router", "orders").counter();
        assertThat(noNode.count()).isEqualTo(1.0);
        assertThat(router.snapshot().noAvailableNode()).isEqualTo(1);

        // a router without health checking registers no health-check timers
        assertThat(registry.find("smartqueryrouter.health.checks").meters()).isEmpty();
    }

    /** A call begun on {@code first} and hedged to {@code to}; the hedge answers and the first attempt is cancelled. */
    private void hedgedCall(Router<String> router, String first, String to) {
        policy.prefer(first);
        RoutedCall<String> call = router.newCall();
        Attempt<String> attempt = call.begin();
        assertThat(attempt.node().id()).isEqualTo(first);
        ticker.advanceMillis(5); // the hedge delay
        policy.prefer(to);
        Attempt<String> hedge = call.hedge();
        assertThat(hedge).as(call.noHedgeReason()).isNotNull();
        assertThat(hedge.node().id()).isEqualTo(to);
        ticker.advanceMillis(1);
        hedge.complete(Outcome.SUCCESS);
        attempt.complete(Outcome.CANCELLED);
    }

    @Test
    void hedgesAreCountedPerNodeOnTheNodeTheHedgeWentTo() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // 100 extra percent: every call may be hedged, so the budget's window does not matter here
        Router<String> router = closeLater(builder("orders", "a", "b", "c")
                .hedge(HedgePolicy.builder().afterDelay(Duration.ofMillis(5)).maxExtraPercent(100).build())
                .build());
        bind(prometheus, router);

        for (int i = 0; i < 3; i++) {
            hedgedCall(router, "a", "b");
        }
        hedgedCall(router, "a", "c");
        hedgedCall(router, "b", "a");
        hedgedCall(router, "b", "a");
        call(router, "c", Outcome.SUCCESS, 10); // answered in time: no hedge

        assertThat(router.snapshot().hedges()).isEqualTo(6);
        assertThat(prometheus.get("smartqueryrouter.hedges").tags("router", "orders", "node", "a").counter().count())
                .isEqualTo(2.0);
        assertThat(prometheus.get("smartqueryrouter.hedges").tags("router", "orders", "node", "b").counter().count())
                .isEqualTo(3.0);
        assertThat(prometheus.get("smartqueryrouter.hedges").tags("router", "orders", "node", "c").counter().count())
                .isEqualTo(1.0);
        // a hedge is not a retry, and the attempt it overtook is recorded as cancelled
        assertThat(prometheus.get("smartqueryrouter.retries").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(requests(prometheus, "orders", "a", "cancelled").count()).isEqualTo(4);
        assertThat(requests(prometheus, "orders", "b", "cancelled").count()).isEqualTo(2);

        String text = prometheus.scrape();

        assertThat(text).contains(
                "# HELP smartqueryrouter_hedges_total Hedges sent to this node while the call's attempt on another node had not answered\n",
                "# TYPE smartqueryrouter_hedges_total counter\n",
                "smartqueryrouter_hedges_total{node=\"a\",router=\"orders\"} 2.0\n",
                "smartqueryrouter_hedges_total{node=\"b\",router=\"orders\"} 3.0\n",
                "smartqueryrouter_hedges_total{node=\"c\",router=\"orders\"} 1.0\n");
    }

    /** Nine quick calls on a, then one that a holds for 100 ms: hedged to b unless refused; the first attempt answers. */
    private Attempt<String> stalledCall(Router<String> router) {
        policy.prefer("a");
        for (int i = 0; i < 9; i++) {
            call(router, "a", Outcome.SUCCESS, 1);
        }
        RoutedCall<String> call = router.newCall();
        Attempt<String> first = call.begin();
        ticker.advanceMillis(100);
        Attempt<String> hedge = call.hedge();
        ticker.advanceMillis(10);
        first.complete(Outcome.SUCCESS);
        call.succeeded(first);
        if (hedge != null) {
            hedge.complete(Outcome.CANCELLED);
        }
        return hedge;
    }

    @Test
    void retriesAndHedgesRefusedByTheirBudgetsAndHedgesRefusedAsUnpaidAreCountedApart() {
        Router<String> router = closeLater(builder("orders", "a", "b")
                .retry(RetryPolicy.builder().maxAttempts(2).budget(RetryBudget.of(0, 1, Duration.ofSeconds(1))).build())
                .hedge(HedgePolicy.afterPercentile(0.95))
                .build());
        Router<String> plain = closeLater(builder("plain", "a").build());
        Router<String> fixed = closeLater(builder("fixed", "a", "b").hedge(HedgePolicy.afterDelay(Duration.ofMillis(50))).build());
        RouterMetrics metrics = bind(registry, router, plain, fixed);

        // three calls fail on a within one second: the budget's one retry goes (to b), two are refused
        for (int i = 0; i < 3; i++) {
            policy.prefer("a");
            RoutedCall<String> call = router.newCall();
            Attempt<String> down = call.begin();
            down.complete(Outcome.FAILURE);
            call.failed(down, new IOException("reset"), null);
            Attempt<String> retry = call.retry();
            assertThat(retry != null).as("call %d retried", i).isEqualTo(i == 0);
            if (retry != null) {
                retry.complete(Outcome.SUCCESS);
                call.succeeded(retry);
            }
        }
        ticker.advanceMillis(1000);
        // a stall hedged and, within the same second, one the hedge budget (one a second, then 5% of calls) refuses
        assertThat(stalledCall(router)).isNotNull();
        RoutedCall<String> call = router.newCall();
        Attempt<String> first = call.begin();
        ticker.advanceMillis(100);
        assertThat(call.hedge()).isNull();
        assertThat(call.noHedgeReason()).isEqualTo("hedge budget spent");
        first.complete(Outcome.SUCCESS);
        call.succeeded(first);
        // 21 more hedges that lose to the attempt they hedged, a second apart: with the first, 22 lost in a row, the
        // router's hedges rarely win, and the next three calls due a hedge are refused as unpaid
        for (int i = 0; i < 21; i++) {
            ticker.advanceMillis(1000);
            assertThat(stalledCall(router)).as("hedge %d", i).isNotNull();
        }
        for (int i = 0; i < 3; i++) {
            ticker.advanceMillis(1000);
            assertThat(stalledCall(router)).as("refused %d", i).isNull();
        }

        assertThat(router.snapshot().retriesRefusedByBudget()).isEqualTo(2);
        assertThat(router.snapshot().hedgesRefusedByBudget()).isEqualTo(1);
        assertThat(router.snapshot().hedgesRefusedAsUnpaid()).isEqualTo(3);
        assertThat(refused("orders", "retry", "budget")).isEqualTo(2.0);
        assertThat(refused("orders", "hedge", "budget")).isEqualTo(1.0);
        assertThat(refused("orders", "hedge", "unpaid")).isEqualTo(3.0);
        // a router that does not hedge has the retries' counter only; one with a fixed delay never refuses a hedge as
        // unpaid, and has no counter for it
        assertThat(refused("plain", "retry", "budget")).isZero();
        assertThat(registry.find("smartqueryrouter.extras.refused").tags("router", "plain").meters()).hasSize(1);
        assertThat(registry.find("smartqueryrouter.extras.refused").tags("router", "fixed").meters()).hasSize(2);
        assertThat(registry.find("smartqueryrouter.extras.refused").tags("router", "fixed", "reason", "unpaid").meters())
                .isEmpty();
        metrics.close();
        assertThat(registry.find("smartqueryrouter.extras.refused").meters()).isEmpty();
    }

    private double refused(String router, String attempt, String reason) {
        return registry.get("smartqueryrouter.extras.refused").tags("router", router, "attempt", attempt, "reason", reason)
                .functionCounter().count();
    }

    @Test
    void aRouterWithoutNodesCountsCallsThatFoundNoNode() {
        Router<String> router = closeLater(builder("empty").build());
        bind(registry, router);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(router::begin).isInstanceOf(NoAvailableNodeException.class);
        }

        assertThat(registry.get("smartqueryrouter.no.available.node").tags("router", "empty").counter().count())
                .isEqualTo(3.0);
        assertThat(registry.find(REQUESTS).meters()).isEmpty();
    }

    @Test
    void aRouterWithAConcurrencyLimitShowsTheLimitTheAttemptsInFlightAndWhatItRefused() {
        Router<String> limited = closeLater(builder("limited", "a", "b")
                .concurrencyLimit(ConcurrencyLimit.builder().initialLimit(3).minLimit(3).maxLimit(3).build()).build());
        Router<String> unlimited = closeLater(builder("unlimited", "a").concurrencyLimit(ConcurrencyLimit.disabled()).build());
        RouterMetrics metrics = bind(registry, limited, unlimited);
        List<Attempt<String>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(limited.begin());
        }
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(limited::begin).isInstanceOf(ConcurrencyLimitExceededException.class);
        }
        assertThat(registry.get("smartqueryrouter.concurrency.limit").tags("router", "limited").gauge().value())
                .isEqualTo(3.0);
        assertThat(registry.get("smartqueryrouter.concurrency.inflight").tags("router", "limited").gauge().value())
                .isEqualTo(3.0);
        assertThat(registry.get("smartqueryrouter.concurrency.rejected").tags("router", "limited", "attempt", "first")
                .functionCounter().count()).isEqualTo(4.0);
        assertThat(registry.get("smartqueryrouter.concurrency.rejected").tags("router", "limited", "attempt", "extra")
                .functionCounter().count()).isZero();
        running.forEach(a -> a.complete(Outcome.SUCCESS));
        assertThat(registry.get("smartqueryrouter.concurrency.inflight").tags("router", "limited").gauge().value())
                .isZero();
        assertThat(registry.find("smartqueryrouter.concurrency.limit").tags("router", "unlimited").meters())
                .as("a router whose limit is disabled has no limit meters").isEmpty();
        metrics.close();
        assertThat(registry.find("smartqueryrouter.concurrency.limit").meters()).isEmpty();
        assertThat(registry.find("smartqueryrouter.concurrency.rejected").meters()).isEmpty();
    }

    // ------------------------------------------------------------------ gauges

    @Test
    void gaugesShowHealthEjectionInFlightAndPeakEwmaLatency() {
        Router<String> router = closeLater(builder("orders", "a", "b")
                .latencyPrior(Duration.ofMillis(30))
                .peakEwmaDecay(Duration.ofSeconds(10))
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).baseEjection(Duration.ofSeconds(30))
                        .build())
                .build());
        bind(registry, router);

        assertThat(gauge(registry, "smartqueryrouter.node.healthy", "a")).isEqualTo(1.0);
        assertThat(gauge(registry, "smartqueryrouter.node.healthy", "b")).isEqualTo(1.0);
        assertThat(gauge(registry, "smartqueryrouter.node.ejected", "b")).isZero();
        // before any sample the cost is the prior, in seconds
        assertThat(gauge(registry, "smartqueryrouter.node.latency", "a")).isEqualTo(0.030);

        policy.prefer("a");
        List<Attempt<String>> running = List.of(router.begin(), router.begin(), router.begin());
        assertThat(gauge(registry, "smartqueryrouter.node.inflight", "a")).isEqualTo(3.0);
        assertThat(gauge(registry, "smartqueryrouter.node.inflight", "b")).isZero();
        ticker.advanceMillis(50);
        running.forEach(a -> a.complete(Outcome.SUCCESS));
        assertThat(gauge(registry, "smartqueryrouter.node.inflight", "a")).isZero();
        // the first sample sets the cost; equal samples at the same instant leave it there
        assertThat(gauge(registry, "smartqueryrouter.node.latency", "a")).isEqualTo(0.050);
        // an idle node decays by e^(-dt/tau): after tau, to 1/e
        ticker.advance(Duration.ofSeconds(10));
        assertThat(gauge(registry, "smartqueryrouter.node.latency", "a")).isCloseTo(0.050 * Math.exp(-1), within(1e-12));
        assertThat(registry.get("smartqueryrouter.node.latency").tags("node", "a").timeGauge().baseTimeUnit())
                .isEqualTo(TimeUnit.SECONDS);

        call(router, "b", Outcome.FAILURE, 1);
        assertThat(router.snapshot().node("b").ejected()).isTrue();
        assertThat(gauge(registry, "smartqueryrouter.node.ejected", "b")).isEqualTo(1.0);
        assertThat(gauge(registry, "smartqueryrouter.node.ejected", "a")).isZero();
        assertThat(registry.get("smartqueryrouter.ejections").tags("node", "b").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("smartqueryrouter.ejections").tags("node", "a").counter().count()).isZero();

        ticker.advance(Duration.ofSeconds(30));
        router.snapshot(); // the router notices the end of an ejection at its next call or snapshot
        assertThat(gauge(registry, "smartqueryrouter.node.ejected", "b")).isZero();
        assertThat(registry.get("smartqueryrouter.ejections").tags("node", "b").counter().count()).isEqualTo(1.0);
    }

    @Test
    void healthCheckTimersRecordEachProbeByResultAndTheHealthyGaugeFollows() {
        Map<String, AtomicBoolean> up = Map.of("a", new AtomicBoolean(true), "b", new AtomicBoolean(false));
        Map<String, Long> probeMillis = Map.of("a", 2L, "b", 4L);
        HealthCheck<String> check = HealthCheck.<String>of((node, timeout) -> {
            // the probe's duration, as the router measures it, is exactly what it advances the fake clock by
            ticker.advanceMillis(probeMillis.get(node.id()));
            return up.get(node.id()).get() ? ProbeResult.ok() : ProbeResult.failed("down");
        }).interval(Duration.ofSeconds(1)).timeout(Duration.ofMillis(500)).jitter(0).fall(1).rise(1).threads(1);
        // no nodes yet: the first probes, at once when a node is added, happen after the binding
        Router<String> router = closeLater(builder("orders").healthCheck(check).build());
        bind(registry, router);
        router.addNode(Node.of("a", "endpoint-a"));
        router.addNode(Node.of("b", "endpoint-b"));

        Poll.until(Duration.ofSeconds(10),
                () -> healthChecks(registry, "a", "healthy") == 1 && healthChecks(registry, "b", "unhealthy") == 1
                        && gauge(registry, "smartqueryrouter.node.healthy", "b") == 0.0,
                () -> router.snapshot().toString());
        assertThat(registry.get("smartqueryrouter.health.checks").tags("node", "a", "result", "healthy").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
        assertThat(registry.get("smartqueryrouter.health.checks").tags("node", "b", "result", "unhealthy").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
        assertThat(healthChecks(registry, "a", "unhealthy")).isZero();
        assertThat(healthChecks(registry, "b", "healthy")).isZero();
        assertThat(gauge(registry, "smartqueryrouter.node.healthy", "a")).isEqualTo(1.0);

        up.get("b").set(true);
        ticker.advance(Duration.ofSeconds(1)); // the next round is due
        Poll.until(Duration.ofSeconds(10),
                () -> healthChecks(registry, "a", "healthy") == 2 && healthChecks(registry, "b", "healthy") == 1
                        && gauge(registry, "smartqueryrouter.node.healthy", "b") == 1.0,
                () -> router.snapshot().toString());
        assertThat(registry.get("smartqueryrouter.health.checks").tags("node", "a", "result", "healthy").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
        assertThat(registry.get("smartqueryrouter.health.checks").tags("node", "b", "result", "healthy").timer()
                .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(4.0);
        assertThat(healthChecks(registry, "b", "unhealthy")).isEqualTo(1);
    }

    // ------------------------------------------------------------------ membership

    @Test
    void aNodeAddedAtRunTimeGetsMetersAndARemovedNodeLosesThem() {
        Router<String> router = closeLater(builder("orders", "a").build());
        bind(registry, router);
        int perNode = metersOf(registry, "a").size();
        assertThat(perNode).isEqualTo(5 + 3 + 4); // 5 request timers, retries, hedges, ejections, 4 gauges
        assertThat(metersOf(registry, "c")).isEmpty();

        router.addNode(Node.of("c", "endpoint-c"));
        assertThat(metersOf(registry, "c")).hasSize(perNode);
        call(router, "c", Outcome.SUCCESS, 10);
        assertThat(requests(registry, "orders", "c", "success").count()).isEqualTo(1);

        assertThat(router.removeNode("c")).isTrue();
        assertThat(registry.find(REQUESTS).tags("node", "c").timer()).isNull();
        assertThat(registry.find("smartqueryrouter.node.inflight").tags("node", "c").gauge()).isNull();
        assertThat(registry.find("smartqueryrouter.node.latency").tags("node", "c").timeGauge()).isNull();
        assertThat(metersOf(registry, "c")).isEmpty();
        assertThat(metersOf(registry, "a")).hasSize(perNode);
    }

    @Test
    void anAttemptCompletedAfterItsNodeWasRemovedIsNotRecordedAndRegistersNothing() {
        Router<String> router = closeLater(builder("orders", "a", "b").build());
        bind(registry, router);
        policy.prefer("b");
        Attempt<String> inFlight = router.begin();

        router.removeNode("b");
        ticker.advanceMillis(10);
        inFlight.complete(Outcome.SUCCESS);

        assertThat(metersOf(registry, "b")).isEmpty();
        assertThat(router.snapshot().attemptsCompleted()).isEqualTo(1); // the router's totals still count it
    }

    @Test
    void aNodeRemovedAndAddedAgainUnderTheSameIdGetsFreshMetersReadingItsNewStatistics() {
        Router<String> router = closeLater(builder("orders", "a", "b").build());
        bind(registry, router);
        call(router, "b", Outcome.SUCCESS, 10);
        assertThat(gauge(registry, "smartqueryrouter.node.latency", "b")).isEqualTo(0.010);

        router.removeNode("b");
        router.addNode(Node.of("b", "endpoint-b2"));

        assertThat(requests(registry, "orders", "b", "success").count()).isZero();
        assertThat(gauge(registry, "smartqueryrouter.node.latency", "b")).isEqualTo(0.030); // the new node's prior
        assertThat(metersOf(registry, "b")).hasSize(12);
    }

    @Test
    void aGaugeDoesNotKeepARemovedNodesStatisticsAlive() {
        Router<String> router = closeLater(builder("orders", "a", "b").build());
        bind(registry, router);
        Gauge inFlight = registry.get("smartqueryrouter.node.inflight").tags("node", "b").gauge();
        WeakReference<NodeStats> stats = new WeakReference<>(router.stats("b").orElseThrow());

        router.removeNode("b");

        // as if a registry (or a scrape in progress) still held the gauge
        Poll.until(Duration.ofSeconds(10), () -> {
            System.gc();
            return stats.get() == null;
        }, () -> "the removed node's statistics are still reachable");
        assertThat(inFlight.value()).isNaN();
    }

    // ------------------------------------------------------------------ exposition and options

    @Test
    void prometheusScrapeHasTheExpectedSeries() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Router<String> router = closeLater(builder("orders", "a", "b").build());
        bind(prometheus, router);
        for (int i = 0; i < 7; i++) {
            call(router, "a", Outcome.SUCCESS, 10);
        }
        call(router, "b", Outcome.FAILURE, 20);

        String text = prometheus.scrape();

        assertThat(text).contains(
                "smartqueryrouter_requests_seconds_count{node=\"a\",outcome=\"success\",router=\"orders\"} 7\n",
                "smartqueryrouter_requests_seconds_sum{node=\"a\",outcome=\"success\",router=\"orders\"} 0.07\n",
                "smartqueryrouter_requests_seconds_count{node=\"b\",outcome=\"failure\",router=\"orders\"} 1\n",
                "smartqueryrouter_requests_seconds_count{node=\"b\",outcome=\"client_error\",router=\"orders\"} 0\n",
                "smartqueryrouter_retries_total{node=\"b\",router=\"orders\"} 0.0\n",
                "smartqueryrouter_hedges_total{node=\"b\",router=\"orders\"} 0.0\n",
                "smartqueryrouter_no_available_node_total{router=\"orders\"} 0.0\n",
                "smartqueryrouter_ejections_total{node=\"a\",router=\"orders\"} 0.0\n",
                "smartqueryrouter_node_healthy{node=\"a\",router=\"orders\"} 1.0\n",
                "smartqueryrouter_node_ejected{node=\"a\",router=\"orders\"} 0.0\n",
                "smartqueryrouter_node_inflight{node=\"a\",router=\"orders\"} 0.0\n");
        // a's 10 ms cost has decayed for the 20 ms of b's attempt: 10 ms x e^(-20 ms / 10 s)
        assertThat(sample(text, "smartqueryrouter_node_latency_seconds{node=\"a\",router=\"orders\"}"))
                .isCloseTo(0.010 * Math.exp(-0.002), within(1e-12));
        assertThat(text).doesNotContain("_bucket");
    }

    private static double sample(String scrape, String series) {
        return scrape.lines()
                .filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + scrape));
    }

    @Test
    void aPercentileHistogramIsPublishedOnlyWhenAsked() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Router<String> router = closeLater(builder("orders", "a").build());
        RouterMetrics metrics = closeLater(RouterMetrics.builder().router(router).percentileHistogram(true).build());
        metrics.bindTo(prometheus);
        call(router, "a", Outcome.SUCCESS, 10);

        String text = prometheus.scrape();

        assertThat(text).contains("smartqueryrouter_requests_seconds_bucket{node=\"a\",outcome=\"success\",router=\"orders\",le=\"+Inf\"} 1\n");
        assertThat(text.lines().filter(l -> l.startsWith("smartqueryrouter_requests_seconds_bucket{node=\"a\",outcome=\"success\"")))
                .hasSizeGreaterThan(10);
        assertThat(text).doesNotContain("smartqueryrouter_health_checks_seconds_bucket");
    }

    @Test
    void extraTagsGoOnEveryMeterAndRoutersAreToldApartByTheRouterTag() {
        Router<String> orders = closeLater(builder("orders", "a").build());
        Router<String> users = closeLater(builder("users", "a").build());
        RouterMetrics metrics = closeLater(RouterMetrics.builder().routers(List.of(orders, users))
                .tags("app", "shop").build());
        metrics.bindTo(registry);

        call(orders, "a", Outcome.SUCCESS, 10);
        call(users, "a", Outcome.SUCCESS, 10);
        call(users, "a", Outcome.SUCCESS, 10);

        assertThat(requests(registry, "orders", "a", "success").count()).isEqualTo(1);
        assertThat(requests(registry, "users", "a", "success").count()).isEqualTo(2);
        // per router: 12 for its one node, two counters (no node available, retries refused), and 4 for the
        // concurrency limit (on by default)
        assertThat(registry.getMeters()).hasSize(2 * (12 + 2 + 4))
                .allSatisfy(m -> assertThat(m.getId().getTag("app")).isEqualTo("shop"));
        assertThat(metrics.routers()).containsExactly(orders, users);
    }

    // ------------------------------------------------------------------ registries and lifecycle

    @Test
    void eachBoundRegistryCountsEveryAttemptOnceAndBindingTwiceIsANoOp() {
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        Router<String> router = closeLater(builder("orders", "a").build());
        RouterMetrics metrics = bind(registry, router);
        metrics.bindTo(second);
        metrics.bindTo(registry);

        for (int i = 0; i < 4; i++) {
            call(router, "a", Outcome.SUCCESS, 10);
        }

        assertThat(requests(registry, "orders", "a", "success").count()).isEqualTo(4);
        assertThat(requests(second, "orders", "a", "success").count()).isEqualTo(4);
        assertThat(requests(second, "orders", "a", "success").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40.0);

        assertThat(metrics.unbindFrom(second)).isTrue();
        assertThat(metrics.unbindFrom(second)).isFalse();
        call(router, "a", Outcome.SUCCESS, 10);
        assertThat(second.getMeters()).isEmpty();
        assertThat(requests(registry, "orders", "a", "success").count()).isEqualTo(5);
    }

    @Test
    void boundToACompositeRegistryItsMembersSeeTheMetersAndLoseThoseOfARemovedNode() {
        SimpleMeterRegistry one = new SimpleMeterRegistry();
        SimpleMeterRegistry two = new SimpleMeterRegistry();
        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.add(one).add(two);
        Router<String> router = closeLater(builder("orders", "a", "b").build());
        bind(composite, router);

        for (int i = 0; i < 3; i++) {
            call(router, "b", Outcome.OVERLOADED, 10);
        }

        assertThat(requests(one, "orders", "b", "overloaded").count()).isEqualTo(3);
        assertThat(requests(two, "orders", "b", "overloaded").count()).isEqualTo(3);
        assertThat(gauge(two, "smartqueryrouter.node.inflight", "b")).isZero();

        router.removeNode("b");
        assertThat(metersOf(composite, "b")).isEmpty();
        assertThat(metersOf(one, "b")).isEmpty();
        assertThat(metersOf(two, "b")).isEmpty();
        assertThat(metersOf(two, "a")).hasSize(12);
    }

    @Test
    void closeRemovesTheListenersAndEveryMeter() {
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        Router<String> router = closeLater(builder("orders", "a").build());
        RouterMetrics metrics = RouterMetrics.of(router);
        metrics.bindTo(registry);
        metrics.bindTo(second);
        call(router, "a", Outcome.SUCCESS, 10);
        Timer before = requests(registry, "orders", "a", "success");

        metrics.close();
        metrics.close(); // idempotent
        call(router, "a", Outcome.SUCCESS, 10);
        router.addNode(Node.of("c", "endpoint-c"));

        assertThat(registry.getMeters()).isEmpty();
        assertThat(second.getMeters()).isEmpty();
        assertThat(before.count()).isEqualTo(1); // nothing recorded after close, not even on a meter held elsewhere
        assertThatThrownBy(() -> metrics.bindTo(registry)).isInstanceOf(IllegalStateException.class)
                .hasMessage("RouterMetrics of [orders] is closed");
    }

    @Test
    void theBuilderRejectsWhatWouldMakeMetersAmbiguous() {
        Router<String> orders = closeLater(builder("orders", "a").build());
        Router<String> otherOrders = closeLater(builder("orders", "b").build());

        assertThatThrownBy(() -> RouterMetrics.of(orders, otherOrders)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("router 'orders' was already added (another router of that name); "
                        + "the router tag must tell routers apart");
        assertThatThrownBy(RouterMetrics::of).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("RouterMetrics needs at least one router");
        assertThatThrownBy(() -> RouterMetrics.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("RouterMetrics needs at least one router");
        assertThatThrownBy(() -> RouterMetrics.builder().tags("node", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tag key 'node' is set by RouterMetrics itself; reserved keys are "
                        + "[attempt, node, outcome, reason, result, router]");
        assertThatThrownBy(() -> RouterMetrics.builder().tags(Tags.of("outcome", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        // the keys of the refusal counters: an extra tag would be replaced on them without a word
        assertThatThrownBy(() -> RouterMetrics.builder().tags("attempt", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouterMetrics.builder().tags("reason", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RouterMetrics.builder().tags("app")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tags must be key, value pairs, but 1 strings were given");
        assertThatThrownBy(() -> RouterMetrics.builder().router(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("router must not be null");
    }
}
