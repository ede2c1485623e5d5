package io.smartqueryrouter.micrometer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.spi.ProbeResult;
import io.smartqueryrouter.testkit.FakeTicker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener driven directly, for what a router cannot make happen on demand: event orderings and allocation. */
class RouterMetersTest {
    private static final Outcome[] OUTCOMES = Outcome.values();

    private final FakeTicker ticker = new FakeTicker();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Router<String> router = Router.<String>builder("orders").ticker(ticker)
            .node(Node.of("a", "endpoint-a")).node(Node.of("b", "endpoint-b")).build();
    private final Node<String> a = router.nodes().get(0);
    private final Node<String> b = router.nodes().get(1);
    private final RouterMeters meters = new RouterMeters(router, registry, Tags.empty(), false);

    @AfterEach
    void close() {
        meters.close();
        router.close();
    }

    private long nodeMeters(String id) {
        return registry.getMeters().stream().filter(m -> id.equals(m.getId().getTag("node"))).count();
    }

    @Test
    void theSameTimerInstanceRecordsEveryAttemptOfANodeAndOutcome() {
        meters.start();
        Timer first = meters.requestTimer("a", Outcome.SUCCESS);
        int metersBefore = registry.getMeters().size();

        for (int i = 0; i < 1_000; i++) {
            meters.onAttemptCompleted("orders", a, Outcome.SUCCESS, 2_000_000, 1);
        }

        assertThat(meters.requestTimer("a", Outcome.SUCCESS)).isSameAs(first)
                .isSameAs(registry.get("smartqueryrouter.requests").tags("node", "a", "outcome", "success").timer());
        assertThat(first.count()).isEqualTo(1_000);
        assertThat(first.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2_000.0);
        assertThat(registry.getMeters()).hasSize(metersBefore);
    }

    @Test
    void recordingAllocatesNothingPerEvent() {
        java.lang.management.ThreadMXBean plain = ManagementFactory.getThreadMXBean();
        assertThat(plain).as("a HotSpot JVM measures allocation per thread").isInstanceOf(com.sun.management.ThreadMXBean.class);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) plain;
        assertThat(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled())
                .as("the JVM counts allocation per thread").isTrue();
        meters.start();
        ProbeResult healthy = ProbeResult.ok();
        meters.onHealthChecked("orders", a, healthy, 1_000_000); // health timers are registered at the first probe
        long thread = Thread.currentThread().getId();

        record(100_000, healthy); // warm up: let the JIT compile the path
        long before = mx.getThreadAllocatedBytes(thread);
        record(100_000, healthy);
        long allocated = mx.getThreadAllocatedBytes(thread) - before;

        // one object per event would be at least 16 bytes x 400,000 events = 6.4 MB; allow the accounting's own noise
        assertThat(allocated).as("bytes allocated by 400,000 events").isLessThan(16 * 1024);
        assertThat(registry.get("smartqueryrouter.requests").tags("node", "a").timers().stream()
                .mapToLong(Timer::count).sum()).isEqualTo(200_000);
        assertThat(registry.get("smartqueryrouter.hedges").tags("node", "a").counter().count()).isEqualTo(200_000);
        assertThat(registry.get("smartqueryrouter.hedges").tags("node", "b").counter().count()).isZero();
    }

    private void record(int times, ProbeResult probe) {
        for (int i = 0; i < times; i++) {
            meters.onAttemptCompleted("orders", a, OUTCOMES[i % OUTCOMES.length], 1_000_000 + i, 1);
            meters.onRetry("orders", a, 2);
            meters.onHedge("orders", b, a, 2);
            meters.onHealthChecked("orders", a, probe, 1_000);
        }
    }

    @Test
    void anEventThatArrivesBeforeItsNodeIsReportedRegistersTheNodeOnce() {
        // not started: as for a node the router takes calls on before its onNodeAdded reaches this listener
        meters.onAttemptCompleted("orders", a, Outcome.SUCCESS, 5_000_000, 1);
        Timer early = meters.requestTimer("a", Outcome.SUCCESS);
        assertThat(early.count()).isEqualTo(1);

        meters.start(); // replays onNodeAdded for a and b

        assertThat(meters.requestTimer("a", Outcome.SUCCESS)).isSameAs(early);
        assertThat(early.count()).isEqualTo(1);
        assertThat(nodeMeters("a")).isEqualTo(12);
        assertThat(nodeMeters("b")).isEqualTo(12);
    }

    @Test
    void anEventForANodeTheRouterDoesNotHaveIsDropped() {
        meters.start();
        Node<String> stranger = Node.of("z", "endpoint-z");

        meters.onAttemptCompleted("orders", stranger, Outcome.SUCCESS, 1_000_000, 1);
        meters.onRetry("orders", stranger, 2);
        meters.onHedge("orders", a, stranger, 2);
        meters.onHealthChecked("orders", stranger, ProbeResult.ok(), 1_000);
        meters.onEjected("orders", stranger, Duration.ofSeconds(30));

        assertThat(nodeMeters("z")).isZero();
        assertThat(registry.get("smartqueryrouter.hedges").tags("node", "a").counter().count()).isZero();
    }

    @Test
    void aLateRemovalOfAnEarlierNodeWithTheSameIdKeepsTheMetersOfTheNodeRegisteredNow() {
        // events delivered by hand, in the order two racing threads could deliver them
        meters.onNodeAdded("orders", a);
        router.removeNode("a");
        Node<String> again = Node.of("a", "endpoint-a2");
        router.addNode(again);
        ticker.advance(Duration.ofMillis(1));

        meters.onNodeAdded("orders", again); // seen before the removal: follows the new node
        Timer fresh = meters.requestTimer("a", Outcome.SUCCESS);
        meters.onNodeRemoved("orders", a); // the earlier node's removal, late

        assertThat(meters.requestTimer("a", Outcome.SUCCESS)).isSameAs(fresh);
        assertThat(nodeMeters("a")).isEqualTo(12);
        assertThat(registry.get("smartqueryrouter.node.latency").tags("node", "a").timeGauge().value())
                .isEqualTo(0.030); // the new node's prior
    }

    @Test
    void closeUnregistersTheListenerAndRemovesTheMeters() {
        meters.start();
        // two nodes' 12 each, two router counters (no node available, retries refused), the concurrency limit's 4
        // (on by default)
        assertThat(registry.getMeters()).hasSize(2 * 12 + 2 + 4);

        meters.close();
        meters.onAttemptCompleted("orders", a, Outcome.SUCCESS, 1_000_000, 1); // an event already under way

        assertThat(registry.getMeters()).isEmpty();
        router.addNode(Node.of("c", "endpoint-c"));
        assertThat(registry.getMeters()).isEmpty();
    }
}
