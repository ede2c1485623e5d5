package io.smartqueryrouter.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each attempt is one observation: a child of the caller's, with its node, number, kind and outcome. */
class RouterObservationsTest {

    /** What a tracer would see: each stopped observation's keys and its parent's name. */
    private static final class Recorder implements ObservationHandler<Observation.Context> {
        final List<String> stopped = new CopyOnWriteArrayList<>();

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        @Override
        public void onStop(Observation.Context context) {
            TreeMap<String, String> keys = context.getLowCardinalityKeyValues().stream()
                    .collect(Collectors.toMap(KeyValue::getKey, KeyValue::getValue, (a, b) -> b, TreeMap::new));
            ObservationView parent = context.getParentObservation();
            stopped.add(context.getName() + " " + keys + " parent="
                    + (parent == null ? "none" : parent.getContextView().getName()));
        }
    }

    @Test
    void aFailedOverCallIsOneObservationPerAttemptUnderTheCallersObservation() {
        ObservationRegistry registry = ObservationRegistry.create();
        Recorder recorder = new Recorder();
        registry.observationConfig().observationHandler(recorder);
        try (Router<String> router = Router.<String>builder("orders").policy("round-robin")
                .outlierEjection(OutlierEjection.disabled()).retry(RetryPolicy.builder().maxAttempts(2).build())
                .node(Node.of("a", "down")).node(Node.of("b", "up")).build()) {
            RouterObservations.of(registry).observe(router);

            Observation request = Observation.start("http.server.requests", registry);
            List<String> served = new CopyOnWriteArrayList<>();
            try (Observation.Scope scope = request.openScope()) {
                for (int i = 0; i < 2; i++) {
                    served.add(router.execute(node -> {
                        if (node.endpoint().equals("down")) {
                            throw new UncheckedIOException(new IOException("connection refused"));
                        }
                        return node.id();
                    }));
                }
            }
            request.stop();

            assertThat(served).containsExactly("b", "b");
            // round-robin: the first call tries a then b, the second goes to b at once
            assertThat(recorder.stopped).containsExactly(
                    "smartqueryrouter.attempt {attempt=1, kind=first, node=a, outcome=failure, router=orders} parent=http.server.requests",
                    "smartqueryrouter.attempt {attempt=2, kind=retry, node=b, outcome=success, router=orders} parent=http.server.requests",
                    "smartqueryrouter.attempt {attempt=1, kind=first, node=b, outcome=success, router=orders} parent=http.server.requests",
                    "http.server.requests {} parent=none");
        }
    }

    @Test
    void aNoopRegistryLeavesTheRouterUnobserved() {
        try (Router<String> router = Router.<String>builder("orders").node(Node.of("a", "up")).build()) {
            RouterObservations.of(ObservationRegistry.NOOP).observe(router);
            // the router keeps no observer: its attempts are not even offered to one
            String served = router.execute(node -> node.id());
            assertThat(served).isEqualTo("a");
            ObservationRegistry registry = ObservationRegistry.create();
            Recorder recorder = new Recorder();
            registry.observationConfig().observationHandler(recorder);
            RouterObservations.of(registry).observe(router);
            router.execute(node -> node.id());
            assertThat(recorder.stopped).hasSize(1);
        }
    }
}
