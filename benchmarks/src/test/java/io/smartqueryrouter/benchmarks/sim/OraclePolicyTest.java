package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.smartqueryrouter.core.Outcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The oracle uses what only it can see: true speeds, queues and outages. */
class OraclePolicyTest {
    private static final long S = 1_000_000_000L;

    @Test
    void itNeverSendsANewAttemptToAServerThatIsGone() {
        Scenario s = Scenarios.crashRecover().toBuilder().duration(Duration.ofSeconds(50)).build();
        AtomicLong toDownServer = new AtomicLong();
        AtomicLong toOthers = new AtomicLong();

        RunResult r = Simulation.run(s, SimPolicy.oracle(), new SimTrace() {
            @Override
            public void begun(int client, long call, long nowNanos, String nodeId) {
                count(nowNanos, nodeId);
            }

            @Override
            public void completed(int client, long call, long nowNanos, Outcome outcome) {
            }

            @Override
            public void retried(int client, long call, long nowNanos, String nodeId) {
                count(nowNanos, nodeId);
            }

            private void count(long nowNanos, String nodeId) {
                if (nowNanos >= 20 * S && nowNanos < 40 * S) {
                    (("s4".equals(nodeId)) ? toDownServer : toOthers).incrementAndGet();
                }
            }
        });

        assertThat(toDownServer.get()).isZero();
        assertThat(toOthers.get()).isGreaterThan(20_000);
        // only the requests s4 held when it crashed fail, and they fail over
        assertThat(r.failedCalls()).isZero();
        assertThat(r.attemptsRefusedOrReset()).isBetween(1L, 40L);
    }

    @Test
    void itSendsWorkInProportionToTrueSpeedAndAvoidsASlowServer() {
        RunResult slow = Simulation.run(Scenarios.oneSlow5x().toBuilder().duration(Duration.ofSeconds(20)).build(),
                SimPolicy.oracle());
        RunResult heterogeneous = Simulation.run(
                Scenarios.heterogeneous().toBuilder().duration(Duration.ofSeconds(10)).build(), SimPolicy.oracle());

        assertThat(slow.worstServerShare()).isLessThan(0.01);
        long[] perServer = heterogeneous.attemptsPerServer();
        // speeds 1, 1, 2, 3, 4: the fastest server takes the most, the slowest the least
        assertThat(perServer[4]).isGreaterThan(perServer[3]).isGreaterThan(perServer[2]);
        assertThat(perServer[2]).isGreaterThan(perServer[0]);
        assertThat(heterogeneous.p99Nanos()).isLessThan(20e6);
    }
}
