package io.smartqueryrouter.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.spi.AttemptObserver;
import io.smartqueryrouter.core.spi.AttemptObserver.Kind;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A router's {@link AttemptObserver}: told each attempt's beginning, kind and end, once each. */
class AttemptObserverTest {
    private static final RoutingPolicy FIRST = (candidates, nowNanos, random) -> 0;

    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(1000));
    private final List<String> events = new CopyOnWriteArrayList<>();

    private final AttemptObserver recording = (router, node, attempt, kind) -> {
        events.add("start " + router + " " + node.id() + " #" + attempt + " " + kind);
        return outcome -> events.add("end " + node.id() + " #" + attempt + " " + outcome);
    };

    private Router<String> router() {
        return Router.<String>builder("orders").policy(FIRST).ticker(now::get)
                .outlierEjection(OutlierEjection.disabled())
                .hedge(HedgePolicy.builder().afterDelay(Duration.ofMillis(10)).build())
                .node(Node.of("a", "http://a")).node(Node.of("b", "http://b")).node(Node.of("c", "http://c"))
                .build();
    }

    @Test
    void eachAttemptIsToldItsStartKindAndEndOnce() {
        try (Router<String> r = router()) {
            r.observeAttempts(recording);
            RoutedCall<String> call = r.newCall();
            Attempt<String> first = call.begin();
            first.complete(Outcome.FAILURE);
            assertThat(call.failed(first, new IOException("refused"), null).action()).isEqualTo(RoutedCall.Action.RETRY);
            Attempt<String> retry = call.retry();
            now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
            Attempt<String> hedge = call.hedge();
            hedge.complete(Outcome.SUCCESS);
            call.succeeded(hedge);
            retry.complete(Outcome.CANCELLED);

            r.begin().complete(Outcome.SUCCESS);
            Attempt<String> connect = r.begin();
            try (BoundNode<String> bound = r.bind(connect)) {
                connect.complete(Outcome.SUCCESS);
                bound.begin().complete(Outcome.CLIENT_ERROR);
            }

            assertThat(events).containsExactly(
                    "start orders a #1 FIRST", "end a #1 FAILURE",
                    "start orders b #2 RETRY",
                    "start orders c #3 HEDGE", "end c #3 SUCCESS",
                    "end b #2 CANCELLED",
                    "start orders a #1 FIRST", "end a #1 SUCCESS",
                    "start orders a #1 FIRST", "end a #1 SUCCESS",
                    "start orders a #1 BOUND", "end a #1 CLIENT_ERROR");
        }
    }

    @Test
    void anObserverThatThrowsNeverBreaksRoutingAndNoneObservesNothing() {
        try (Router<String> r = router()) {
            r.observeAttempts((router, node, attempt, kind) -> {
                events.add("start " + node.id());
                if (node.id().equals("a")) {
                    throw new IllegalStateException("broken tracer");
                }
                return outcome -> {
                    throw new AssertionError("broken at the end too");
                };
            });
            Attempt<String> a = r.begin();
            a.complete(Outcome.SUCCESS);
            assertThat(a.outcome()).isEqualTo(Outcome.SUCCESS);
            Attempt<String> viaCall = r.newCall(node -> node.id().equals("b"), null).begin();
            viaCall.complete(Outcome.SUCCESS);
            assertThat(r.snapshot().attemptsStarted()).isEqualTo(2);

            r.observeAttempts(AttemptObserver.NONE);
            r.begin().complete(Outcome.SUCCESS);
            assertThat(events).containsExactly("start a", "start b");
        }
    }
}
