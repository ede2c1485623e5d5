package io.smartqueryrouter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.Router;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FakeTickerTest {

    @Test
    void advancesOnlyWhenTold() {
        FakeTicker ticker = new FakeTicker(5);
        assertThat(ticker.read()).isEqualTo(5);
        ticker.advance(Duration.ofMillis(3)).advanceMillis(2);
        assertThat(ticker.read()).isEqualTo(5 + 5_000_000);
    }

    @Test
    void refusesToGoBack() {
        assertThatThrownBy(() -> new FakeTicker().advance(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a ticker only moves forward, but advance was PT-0.000000001S");
    }

    @Test
    void drivesARoutersEjectionClock() {
        FakeTicker ticker = new FakeTicker();
        try (Router<String> router = Router.<String>builder("t")
                .node(Node.of("a", "a")).node(Node.of("b", "b"))
                .outlierEjection(OutlierEjection.builder().consecutiveFailures(1).baseEjection(Duration.ofSeconds(30)).build())
                .ticker(ticker).build()) {
            var attempt = router.begin();
            String failed = attempt.node().id();
            attempt.complete(Outcome.FAILURE);
            assertThat(router.snapshot().node(failed).ejected()).isTrue();
            ticker.advance(Duration.ofSeconds(29));
            assertThat(router.snapshot().node(failed).ejected()).isTrue();
            ticker.advance(Duration.ofSeconds(1));
            assertThat(router.snapshot().node(failed).ejected()).isFalse();
        }
    }
}
