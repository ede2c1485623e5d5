package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The router's totals come from its nodes' own counts (the call path keeps no counter of its own):
 * they stay exact across a node's removal, its folding into the totals once nothing can count on it,
 * and bound work that outlives it.
 */
class RouterTotalsTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(100));

    private static void assertTotals(Router<String> r, long started, long completed) {
        RouterSnapshot s = r.snapshot();
        assertThat(s.attemptsStarted()).as("started").isEqualTo(started);
        assertThat(s.attemptsCompleted()).as("completed").isEqualTo(completed);
    }

    @Test
    void totalsStayExactWhenANodeIsRemovedFoldedAndItsBoundWorkGoesOn() {
        try (Router<String> r = Router.<String>builder("orders").ticker(now::get)
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).build()) {
            for (int i = 0; i < 10; i++) {
                r.begin().complete(Outcome.SUCCESS);
            }
            Attempt<String> first = r.newCall(n -> n.id().equals("a"), null).begin();
            first.complete(Outcome.SUCCESS);
            BoundNode<String> bound = r.bind(first);
            Attempt<String> running = bound.begin();
            assertTotals(r, 12, 11);

            // removed with an attempt in flight: counted on, not folded
            assertThat(r.removeNode("a")).isTrue();
            now.addAndGet(TimeUnit.SECONDS.toNanos(5));
            assertTotals(r, 12, 11);
            running.complete(Outcome.SUCCESS);
            // nothing in flight: folded (the open binding does not keep it), and the totals do not move
            assertTotals(r, 12, 12);
            // bound work after the fold still counts (late), exactly once
            bound.begin().complete(Outcome.FAILURE);
            assertTotals(r, 13, 13);
            Attempt<String> late = bound.begin();
            assertTotals(r, 14, 13);
            bound.close();
            assertTotals(r, 14, 13);
            late.complete(Outcome.SUCCESS);
            assertTotals(r, 14, 14);
            bound.begin().complete(Outcome.SUCCESS);
            assertTotals(r, 15, 15);
            r.begin().complete(Outcome.SUCCESS);
            assertTotals(r, 16, 16);
        }
    }
}
