package io.smartqueryrouter.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.spi.Candidates;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The predictive policy on real node statistics fed on a simulated clock. */
class PredictivePolicyTest {
    private static final double PRIOR = 30e6;
    private static final double TAU = 10e9;
    private static final long BUCKET = LatencyForecast.BUCKET_NANOS;

    private static NodeState<String> node(String id) {
        return new NodeState<>(Node.of(id, id), PRIOR, TAU, 0);
    }

    private static void answer(NodeState<?> s, double latencyMs, long nowNanos) {
        s.begin();
        s.complete(Outcome.SUCCESS, Math.round(latencyMs * 1e6), nowNanos);
    }

    /**
     * Node "rising" answers 2 ms, 4 ms, ... 20 ms, one step each 100 ms bucket; node "steady"
     * answers 20.5 ms throughout. At the end "rising" has just answered 20 ms: faster than
     * "steady" by every measure of the past, slower by its forecast a second ahead.
     */
    @Test
    void avoidsTheNodeWhoseLatencyRisesBeforeItIsTheSlowerOne() {
        NodeState<String> rising = node("rising");
        NodeState<String> steady = node("steady");
        long now = 0;
        for (int bucket = 0; bucket < 10; bucket++) {
            for (int i = 0; i < 10; i++) {
                now = bucket * BUCKET + i * BUCKET / 10;
                answer(rising, 2 + 2 * bucket, now);
                answer(steady, 20.5, now);
            }
        }
        now = 10 * BUCKET + 1;
        Candidates both = Candidates.of(rising, steady);
        assertThat(rising.peakEwmaNanos(now)).as("rising's Peak-EWMA is below steady's").isLessThan(steady.peakEwmaNanos(now));
        assertThat(rising.forecastNanos(now)).as("rising's forecast is above steady's").isGreaterThan(steady.forecastNanos(now));
        SplittableRandom random = new SplittableRandom(5);
        assertThat(new BuiltinPolicies.P2cPeakEwma().select(both, now, random)).as("p2c-peak-ewma picks").isEqualTo(0);
        assertThat(new PredictivePolicy(false).select(both, now, random)).as("predictive picks").isEqualTo(1);
        assertThat(new PredictivePolicy(true).select(both, now, random)).as("predictive-p2c picks").isEqualTo(1);
    }

    @Test
    void scoresForecastTimesInFlightPlusOneOverWeight() {
        NodeState<String> busy = node("busy");
        NodeState<String> idle = node("idle");
        answer(busy, 10, 0);
        answer(idle, 25, 0);
        busy.begin();
        busy.begin();
        // 10 ms x 3 = 30 ms against 25 ms x 1
        assertThat(new PredictivePolicy(false).select(Candidates.of(busy, idle), 1, new SplittableRandom(1))).isEqualTo(1);
        busy.complete(Outcome.SUCCESS, 10_000_000, 2);
        // 10 ms x 2 = 20 ms against 25 ms
        assertThat(new PredictivePolicy(false).select(Candidates.of(busy, idle), 3, new SplittableRandom(1))).isEqualTo(0);
    }

    @Test
    void triesAnUnknownIdleNodeFirstAndFailuresCountAtLeastThePrior() {
        NodeState<String> known = node("known");
        NodeState<String> fresh = node("fresh");
        answer(known, 1, 0);
        assertThat(new PredictivePolicy(true).select(Candidates.of(known, fresh), 1, new SplittableRandom(2))).isEqualTo(1);
        fresh.begin();
        fresh.complete(Outcome.FAILURE, 100_000, 2);
        assertThat(fresh.forecastNanos(3)).as("a fast refusal reads as the prior, not as 0.1 ms").isGreaterThanOrEqualTo(PRIOR);
        assertThat(new PredictivePolicy(true).select(Candidates.of(known, fresh), 3, new SplittableRandom(2))).isEqualTo(0);
    }
}
