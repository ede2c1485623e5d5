package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.smartqueryrouter.core.ConcurrencyLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The simulated servers behave as queueing theory says they must. */
class QueueingTheoryTest {

    private static Scenario singleServer(String name, ServiceTime service, double utilisation, Duration duration) {
        return Scenario.builder(name)
                .servers(1).workers(1).clients(1)
                .serviceTime(service)
                .utilisation(utilisation)
                .networkDelay(Duration.ZERO)
                .timeout(Duration.ofSeconds(30))
                .duration(duration)
                .seed(7)
                // the queue on its own: a router's concurrency limit (on by default) reads one node's
                // steady queue at 50-80% load as overload and sheds some calls (SIMULATION.md)
                .concurrencyLimit(ConcurrencyLimit.disabled())
                .build();
    }

    @Test
    void mm1MeanResponseTimeIsOneOverMuMinusLambdaAtHalfLoad() {
        // mu = 100/s, lambda = 50/s: E[T] = 1 / (mu - lambda) = 20 ms
        RunResult r = Simulation.run(singleServer("mm1-half", ServiceTime.exponential(Duration.ofMillis(10)), 0.5,
                Duration.ofSeconds(4000)), SimPolicy.registered("p2c-peak-ewma"));

        assertThat(r.calls()).isBetween(196_000L, 204_000L);
        assertThat(r.meanNanos() / 1e6).isCloseTo(20.0, within(20.0 * 0.05));
        assertThat(r.failedCalls()).isZero();
    }

    @Test
    void mm1MeanResponseTimeIsOneOverMuMinusLambdaAtHighLoad() {
        // mu = 100/s, lambda = 80/s: E[T] = 1 / (mu - lambda) = 50 ms
        RunResult r = Simulation.run(singleServer("mm1-high", ServiceTime.exponential(Duration.ofMillis(10)), 0.8,
                Duration.ofSeconds(10_000)), SimPolicy.registered("round-robin"));

        assertThat(r.meanNanos() / 1e6).isCloseTo(50.0, within(50.0 * 0.05));
        assertThat(r.attemptTimeouts()).isZero();
    }

    @Test
    void md1MeanResponseTimeFollowsPollaczekKhinchine() {
        // fixed service 1/mu = 10 ms, rho = 0.6: E[T] = 1/mu + rho / (2 mu (1 - rho)) = 10 + 7.5 = 17.5 ms
        RunResult r = Simulation.run(singleServer("md1", ServiceTime.fixed(Duration.ofMillis(10)), 0.6,
                Duration.ofSeconds(4000)), SimPolicy.registered("random"));

        assertThat(r.meanNanos() / 1e6).isCloseTo(17.5, within(17.5 * 0.05));
        assertThat(r.p50Nanos()).isGreaterThanOrEqualTo(10e6);
    }

    @Test
    void logNormalServiceTimesHaveTheMeanAsked() {
        ServiceTime service = ServiceTime.logNormal(Duration.ofMillis(10), 0.5);
        var random = new java.util.SplittableRandom(1);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += service.sampleNanos(random);
        }
        assertThat(sum / n / 1e6).isCloseTo(10.0, within(0.1));
    }
}
