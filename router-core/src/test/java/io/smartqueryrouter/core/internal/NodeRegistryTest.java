package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.spi.NodeStatistic;
import io.smartqueryrouter.core.spi.ProbeResult;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The registry's rules for ending an ejection early, on a fake clock. */
class NodeRegistryTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1_000));

    private NodeRegistry<String> registry() {
        return new NodeRegistry<>("orders", now::get, 30e6, 10e9, EnumSet.noneOf(NodeStatistic.class),
                OutlierEjection.defaults(), TimeUnit.SECONDS.toNanos(60),
                TimeUnit.MILLISECONDS.toNanos(800), List.of(Node.of("a", "http://a"), Node.of("b", "http://b"), Node.of("c", "http://c")));
    }

    private void eject(NodeRegistry<String> r, NodeState<String> a) {
        for (int i = 0; i < 5; i++) {
            a.begin();
            int consecutive = a.complete(Outcome.FAILURE, 1_000_000, now.get());
            r.afterCompleted(a, Outcome.FAILURE, now.get(), consecutive, 0, 1_000_000);
        }
        assertThat(a.ejected()).isTrue();
    }

    @Test
    void aPassingHealthCheckEndsAnEjectionAtOnceAndTheNodeIsAvailableInTheNextView() {
        NodeRegistry<String> r = registry();
        NodeState<String> a = r.find("a");
        eject(r, a);
        assertThat(r.view(now.get()).available().size()).isEqualTo(2);

        now.addAndGet(TimeUnit.SECONDS.toNanos(2));
        r.probed(a, ProbeResult.failed("refused"), 1_000, null);
        assertThat(a.ejected()).as("a failed probe ends nothing").isTrue();
        r.probed(a, ProbeResult.ok(), 1_000, null);
        assertThat(a.ejected()).as("2 s into a 30 s ejection, after one passing probe").isFalse();
        assertThat(r.view(now.get()).available().size()).isEqualTo(3);
    }

    @Test
    void anAttemptOnANodeBelievedDownWaitsAtMostTheHealthCheckTimeout() {
        NodeRegistry<String> r = registry();
        NodeState<String> a = r.find("a");
        assertThat(r.waitLimitNanos(a)).as("well").isEqualTo(Long.MAX_VALUE);
        eject(r, a);
        assertThat(r.waitLimitNanos(a)).as("ejected").isEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
        r.probed(a, ProbeResult.failed("refused"), 1_000, false);
        r.probed(a, ProbeResult.ok(), 1_000, true);
        assertThat(r.waitLimitNanos(a)).as("back").isEqualTo(Long.MAX_VALUE);
        r.probed(a, ProbeResult.failed("refused"), 1_000, false);
        assertThat(r.waitLimitNanos(a)).as("unhealthy").isEqualTo(TimeUnit.MILLISECONDS.toNanos(800));
    }

    @Test
    void anUnhealthyEjectedNodeIsBackWithThePassThatMakesItHealthyNotBefore() {
        NodeRegistry<String> r = registry();
        NodeState<String> a = r.find("a");
        eject(r, a);
        r.probed(a, ProbeResult.failed("refused"), 1_000, false);
        r.probed(a, ProbeResult.ok(), 1_000, null);
        assertThat(a.ejected()).as("after one pass of the two a rise needs").isTrue();
        r.probed(a, ProbeResult.ok(), 1_000, true);
        assertThat(a.healthy()).isTrue();
        assertThat(a.ejected()).isFalse();
        assertThat(r.view(now.get()).available().size()).isEqualTo(3);
    }
}
