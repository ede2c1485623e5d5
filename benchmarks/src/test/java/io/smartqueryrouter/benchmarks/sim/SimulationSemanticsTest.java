package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Network, timeouts, refusals, freezes and slowdowns do exactly what the scenarios say. */
class SimulationSemanticsTest {
    private static final long MS = 1_000_000L;

    private static Scenario.Builder quiet(String name) {
        // so little load that no call ever waits in a queue
        return Scenario.builder(name)
                .servers(1).workers(8).clients(1)
                .serviceTime(ServiceTime.fixed(Duration.ofMillis(10)))
                .networkDelay(Duration.ofMillis(1))
                .utilisation(0.01)
                .duration(Duration.ofSeconds(60))
                .seed(3);
    }

    @Test
    void anUnqueuedCallTakesTheNetworkBothWaysPlusItsService() {
        RunResult r = Simulation.run(quiet("plain").build(), SimPolicy.registered("round-robin"));

        // 1% of 8 workers x 100 calls/s, for 60 s
        assertThat(r.calls()).isBetween(430L, 530L);
        assertThat(r.p50Nanos()).isEqualTo(12 * MS);
        assertThat(r.maxNanos()).isEqualTo(12 * MS);
    }

    @Test
    void anAttemptThatTimesOutFailsAtItsTimeoutAndTheCallFailsOverToAnotherServer() {
        // s0 takes 50 ms with a 20 ms timeout; s1 is normal. A call that starts on s0 times out at 20 ms,
        // then takes 12 ms on s1.
        Scenario s = quiet("timeouts").servers(2).server(0, ServerSpec.normal().slower(5))
                .timeout(Duration.ofMillis(20)).build();

        RunResult r = Simulation.run(s, SimPolicy.registered("round-robin"));

        assertThat(r.failedCalls()).isZero();
        assertThat(r.attemptTimeouts()).isPositive();
        assertThat(r.maxNanos()).isEqualTo(32 * MS);
        assertThat(r.p50Nanos()).isIn((double) 12 * MS, (double) 32 * MS);
    }

    @Test
    void aCallWhoseEveryAttemptTimesOutFailsAfterMaxAttempts() {
        Scenario s = quiet("all-slow").servers(3).workers(8)
                .serviceTime(ServiceTime.fixed(Duration.ofMillis(100))).timeout(Duration.ofMillis(20)).build();

        RunResult r = Simulation.run(s, SimPolicy.registered("random"));

        // three attempts (the router's default), each given up at 20 ms, unless the budget or ejection stops it sooner
        assertThat(r.failedShare()).isEqualTo(1.0);
        assertThat(r.maxNanos()).isEqualTo(60 * MS);
    }

    @Test
    void aHedgedCallEndsWithTheFirstAnswerAndTheOtherAttemptIsCancelled() {
        // s0 takes 50 ms, s1 10 ms, hedging after 20 ms: a call that starts on s0 is hedged to s1 at 20 ms and
        // answered at 20 + 12 ms; its s0 attempt is cancelled. A call that starts on s1 answers in 12 ms, unhedged;
        // one on s0 that the budget does not let hedge answers in 52 ms.
        Scenario s = quiet("hedged").servers(2).server(0, ServerSpec.normal().slower(5))
                .hedge(io.smartqueryrouter.core.HedgePolicy.afterDelay(Duration.ofMillis(20))).build();
        AtomicLong cancelled = new AtomicLong();
        java.util.Map<Long, Long> began = new java.util.HashMap<>();
        java.util.Set<Long> answeredAfterMs = new java.util.TreeSet<>();

        RunResult r = Simulation.run(s, SimPolicy.registered("round-robin"), new SimTrace() {
            @Override
            public void begun(int client, long call, long nowNanos, String nodeId) {
                began.put(call, nowNanos);
            }

            @Override
            public void completed(int client, long call, long nowNanos, Outcome outcome) {
                if (outcome == Outcome.CANCELLED) {
                    cancelled.incrementAndGet();
                } else if (outcome == Outcome.SUCCESS) {
                    answeredAfterMs.add((nowNanos - began.get(call)) / MS);
                }
            }

            @Override
            public void retried(int client, long call, long nowNanos, String nodeId) {
            }
        });

        assertThat(r.failedCalls()).isZero();
        assertThat(r.hedges()).isPositive();
        assertThat(cancelled.get()).isEqualTo(r.hedges());
        assertThat(r.attempts()).isEqualTo(r.calls() + r.hedges());
        assertThat(answeredAfterMs).containsExactly(12L, 32L, 52L);
        assertThat(r.maxNanos()).isEqualTo(52 * MS);
        // round-robin alternates, and the 5% budget (plus one a second) caps the hedges of the s0 half
        assertThat(r.hedges()).isLessThanOrEqualTo(r.calls() * 5 / 100 + 60);
    }

    @Test
    void theFocusWindowCountsTheWorstServersShareOfTheAttemptsSentInIt() {
        // round-robin over two servers: half of the attempts in any window go to s1
        Scenario s = quiet("focus").servers(2).worstServer(1)
                .focus(Duration.ofSeconds(10), Duration.ofSeconds(20), "from 10 to 20 s").build();

        RunResult r = Simulation.run(s, SimPolicy.registered("round-robin"));

        assertThat(r.focusWorstShare()).isBetween(0.45, 0.55);
        assertThat(Reports.markdown(s, java.util.List.of(r))).contains("| on worst server from 10 to 20 s % |");
    }

    @Test
    void aServerThatIsGoneRefusesWithinOneRoundTripAndTheCallSucceedsElsewhere() {
        Scenario s = quiet("gone").servers(2)
                .server(1, ServerSpec.normal().down(Duration.ZERO, Duration.ofSeconds(600))).build();
        AtomicLong refused = new AtomicLong();

        RunResult r = Simulation.run(s, SimPolicy.registered("round-robin"), new SimTrace() {
            @Override
            public void begun(int client, long call, long nowNanos, String nodeId) {
            }

            @Override
            public void completed(int client, long call, long nowNanos, Outcome outcome) {
                if (outcome == Outcome.FAILURE) {
                    refused.incrementAndGet();
                }
            }

            @Override
            public void retried(int client, long call, long nowNanos, String nodeId) {
                assertThat(nodeId).isEqualTo("s0");
            }
        });

        assertThat(r.failedCalls()).isZero();
        assertThat(r.attemptsRefusedOrReset()).isEqualTo(refused.get()).isPositive();
        // refused after 2 ms (1 ms there, 1 ms back), then 12 ms on s0
        assertThat(r.maxNanos()).isEqualTo(14 * MS);
        // 5 failures in a row eject s1; then it gets one trial call a second (half-open), each refused and
        // retried on s0: 56 in the rest of the run (the next trial opens a second after the last was taken)
        assertThat(refused.get()).isEqualTo(61);
    }

    @Test
    void aCrashResetsTheRequestsTheServerHeld() {
        // one server, work of 10 s: every call is in service when the server crashes at 1 s
        Scenario s = Scenario.builder("reset").servers(1).workers(100).clients(1)
                .serviceTime(ServiceTime.fixed(Duration.ofSeconds(10))).utilisation(0.5)
                .networkDelay(Duration.ofMillis(1)).timeout(Duration.ofSeconds(20)).duration(Duration.ofMillis(900))
                .server(0, ServerSpec.normal().down(Duration.ofSeconds(1), Duration.ofSeconds(2))).build();

        RunResult r = Simulation.run(s, SimPolicy.registered("round-robin"));

        assertThat(r.calls()).isPositive();
        assertThat(r.failedCalls()).isEqualTo(r.calls());
        assertThat(r.attemptsRefusedOrReset()).isEqualTo(r.calls());
        assertThat(r.maxNanos()).isLessThanOrEqualTo(1001 * MS);
    }

    @Test
    void workMakesNoProgressWhileTheServerIsFrozen() {
        ServerSpec spec = ServerSpec.normal().freezes(Duration.ofSeconds(5), Duration.ofMillis(300));
        long s = 1_000_000_000L;

        assertThat(spec.finishTime(1 * s, 10 * MS)).isEqualTo(1 * s + 10 * MS);
        // starts 5 ms before the freeze at 5 s: 5 ms done, 300 ms frozen, 5 ms more
        assertThat(spec.finishTime(5 * s - 5 * MS, 10 * MS)).isEqualTo(5 * s + 305 * MS);
        // starts inside the freeze: waits for its end
        assertThat(spec.finishTime(5 * s + 100 * MS, 10 * MS)).isEqualTo(5 * s + 310 * MS);
        // long work spans two freezes
        assertThat(spec.finishTime(4 * s, 6 * s)).isEqualTo(10 * s + 600 * MS);
        assertThat(spec.frozenUntil(10 * s + 299 * MS)).isEqualTo(10 * s + 300 * MS);
        assertThat(spec.frozenUntil(10 * s + 300 * MS)).isEqualTo(10 * s + 300 * MS);
        assertThat(spec.frozenUntil(300 * MS)).isEqualTo(300 * MS);
    }

    @Test
    void slowdownsChangeOverTimeAsDefined() {
        Slowdown ramp = Slowdown.ramp(Duration.ofSeconds(20), Duration.ofSeconds(80), 20);
        Slowdown flap = Slowdown.flapping(Duration.ofSeconds(5), Duration.ofSeconds(5), 10);
        long s = 1_000_000_000L;

        assertThat(ramp.at(0)).isEqualTo(1);
        assertThat(ramp.at(50 * s)).isEqualTo(10.5);
        assertThat(ramp.at(100 * s)).isEqualTo(20);
        assertThat(flap.at(4 * s)).isEqualTo(1);
        assertThat(flap.at(5 * s)).isEqualTo(10);
        assertThat(flap.at(10 * s)).isEqualTo(1);
    }

    @Test
    void callsArriveAtTheRateTheUtilisationAsks() {
        Scenario s = Scenarios.heterogeneous().toBuilder().duration(Duration.ofSeconds(10)).build();

        RunResult r = Simulation.run(s, SimPolicy.oracle());

        // 0.7 x 4 workers x (1+1+2+3+4) / 10 ms = 3080 calls/s
        assertThat(s.arrivalsPerSecond()).isEqualTo(3080.0, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(r.calls()).isBetween(30_800L - 600, 30_800L + 600);
    }
}
