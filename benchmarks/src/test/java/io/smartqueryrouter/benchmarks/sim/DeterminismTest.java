package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same seed gives the same numbers, however the runs are spread over threads. */
class DeterminismTest {

    private static Scenario shortened(Scenario s, long seed) {
        return s.toBuilder().duration(Duration.ofSeconds(25)).seed(seed).build();
    }

    @Test
    void theSameSeedGivesIdenticalNumbersTwice() {
        for (SimPolicy policy : List.of(SimPolicy.registered(SimPolicy.defaultName()), SimPolicy.oracle())) {
            Scenario s = shortened(Scenarios.crashRecover(), 42);

            RunResult first = Simulation.run(s, policy);
            RunResult second = Simulation.run(s, policy);

            assertThat(first.sameOutcome(second)).as(first + "\n" + second).isTrue();
            assertThat(first.calls()).isGreaterThan(20_000);
        }
    }

    @Test
    void anotherSeedGivesOtherNumbers() {
        SimPolicy policy = SimPolicy.registered(SimPolicy.defaultName());

        RunResult a = Simulation.run(shortened(Scenarios.oneSlow5x(), 1), policy);
        RunResult b = Simulation.run(shortened(Scenarios.oneSlow5x(), 2), policy);

        assertThat(a.sameOutcome(b)).isFalse();
        assertThat(a.calls()).isNotEqualTo(b.calls());
    }

    @Test
    void theSuiteWritesTheSameReportsOnOneThreadAndOnTwo(@TempDir Path dir) throws IOException, InterruptedException {
        List<Scenario> scenarios = List.of(
                Scenarios.gcPauses().toBuilder().duration(Duration.ofSeconds(6)).build(),
                Scenarios.herd().toBuilder().duration(Duration.ofSeconds(4)).build());
        List<SimPolicy> policies = List.of(SimPolicy.registered("round-robin"), SimPolicy.registered("lowest-latency"),
                SimPolicy.oracle());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

        SimulationSuite.run(scenarios, policies, 1, dir.resolve("one"), null, quiet);
        SimulationSuite.run(scenarios, policies, 2, dir.resolve("two"), null, quiet);

        for (String file : List.of("all.csv", "summary.md", "gc-pauses-p99.svg", "herd.md", "herd.csv")) {
            assertThat(dir.resolve("two").resolve(file)).as(file).hasSameTextualContentAs(dir.resolve("one").resolve(file));
        }
        assertThat(Files.readString(dir.resolve("one/all.csv")).lines()).hasSize(1 + 2 * 3);
        assertThat(Files.readString(dir.resolve("one/gc-pauses-p99.svg"))).startsWith("<svg").contains("polyline");
    }
}
