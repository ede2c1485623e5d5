package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.ConcurrencyLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The concurrency limit in the simulator: every server 3x slower for 10 s at 70% load (210% of
 * capacity). Without a limit the servers' backlog of abandoned work keeps every call failing long
 * after the slowdown; with it the calls beyond capacity are shed at once and the run recovers.
 */
class ConcurrencyLimitSimulationTest {

    private static Scenario correlated(ConcurrencyLimit limit) {
        // the slowdown runs from 30 to 40 s, as in the suite's scenario
        return Scenarios.correlated().toBuilder().concurrencyLimit(limit).build();
    }

    @Test
    void withTheLimitCorrelatedRecoversWithinTwoSecondsAndWithoutItTakesOverFifty() {
        SimPolicy policy = SimPolicy.registered(SimPolicy.defaultName());
        RunResult on = Simulation.run(correlated(ConcurrencyLimit.defaults()), policy);
        RunResult off = Simulation.run(correlated(ConcurrencyLimit.disabled()), policy);

        // the slowdown leaves the servers 48% of the capacity asked of them for 10 s of the 120
        assertThat(on.failedShare()).as("failed with the limit").isBetween(0.03, 0.08);
        // recovered 1 s after the slowdown's end (under 1% failed and the p99 under twice its value before,
        // every second to the end); from 2 s after it no second sheds more than 2%
        assertThat(on.recoveryNanos()).as("recovery with the limit").isLessThanOrEqualTo(2e9);
        double[] perSecond = on.failedPerSecond();
        for (int s = 42; s < perSecond.length; s++) {
            assertThat(perSecond[s]).as("failed share in second %d with the limit", s).isLessThan(0.02);
        }
        assertThat(on.p99Nanos()).as("p99 with the limit").isLessThan(300e6);
        assertThat(off.failedShare()).as("failed without it").isGreaterThan(0.4);
        // without it the servers work off the abandoned requests for 53 s
        assertThat(off.recoveryNanos()).as("recovery without it").isGreaterThan(50e9);
    }

    @Test
    void runsWithTheLimitRepeatExactly() {
        SimPolicy policy = SimPolicy.registered(SimPolicy.defaultName());
        Scenario s = correlated(ConcurrencyLimit.defaults()).toBuilder().duration(Duration.ofSeconds(35)).build();
        RunResult first = Simulation.run(s, policy);
        RunResult second = Simulation.run(s, policy);
        assertThat(first.sameOutcome(second)).as(first + "\n" + second).isTrue();
        assertThat(first.failedShare()).as("the limit shed calls in the slowdown").isGreaterThan(0.01);
    }
}
