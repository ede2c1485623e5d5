package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.spi.NodeStats;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link BoundNode#start()} and {@link BoundNode#end(long, Outcome)}: an attempt without an object, counted as any. */
class BoundNodeTest {
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));

    @Test
    void startAndEndCountInFlightTheOutcomeAndTheLatencyAsBeginAndCompleteDo() {
        try (Router<String> r = Router.<String>builder("db").ticker(now::get).node(Node.of("a", "a")).build()) {
            Attempt<String> taken = r.begin();
            taken.complete(Outcome.SUCCESS);
            try (BoundNode<String> bound = r.bind(taken)) {
                long start = bound.start();
                NodeStats s = r.stats("a").orElseThrow();
                assertThat(s.inFlight()).isEqualTo(1);
                now.addAndGet(TimeUnit.MILLISECONDS.toNanos(80));
                bound.end(start, Outcome.SUCCESS);
                assertThat(s.inFlight()).isZero();
                assertThat(s.requests()).isEqualTo(2);
                assertThat(s.hasLatencySample()).isTrue();
                assertThat(s.peakEwmaNanos(now.get())).as("a sample above the prior replaces it")
                        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(80), org.assertj.core.data.Offset.offset(1.0));

                long failing = bound.start();
                bound.end(failing, Outcome.FAILURE);
                assertThat(s.consecutiveFailures()).isEqualTo(1);
                assertThat(r.snapshot().nodes().get(0).failures()).isEqualTo(1);
                assertThatThrownBy(() -> bound.end(bound.start(), null)).isInstanceOf(NullPointerException.class);
            }
        }
    }
}
