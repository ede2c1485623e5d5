package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The random fleets are the same for the same number, cover every kind of trouble, and report against the oracle. */
class FleetSweepTest {

    @Test
    void aNumberAlwaysDrawsTheSameScenarioAndTheDrawsCoverEveryTrouble() {
        List<String> descriptions = new ArrayList<>();
        for (int n = 0; n < 120; n++) {
            Scenario s = FleetSweep.draw(n, Duration.ofSeconds(60));
            assertThat(FleetSweep.draw(n, Duration.ofSeconds(60)).description()).isEqualTo(s.description());
            assertThat(s.name()).isEqualTo("sweep-" + n);
            descriptions.add(s.description());
        }

        assertThat(descriptions).doesNotHaveDuplicates();
        for (String kind : List.of("; none", " slow ", "speeds [1.0, 3.0, 10.0]", " flapping ", " pausing ",
                "3 servers", "100 servers", " 1 workers", "16 workers", " 1 clients", "50 clients", "10%", "85%",
                "bimodal", "exponential")) {
            assertThat(descriptions).as(kind).anyMatch(d -> d.contains(kind));
        }
    }

    @Test
    void eachScenarioGetsOneLineWithTheOracleAtOneAndOneCsvRowPerPolicy(@TempDir Path dir)
            throws IOException, InterruptedException {
        List<Scenario> scenarios = List.of(FleetSweep.draw(1, Duration.ofSeconds(5)), FleetSweep.draw(5,
                Duration.ofSeconds(5)));
        List<SimPolicy> policies = List.of(SimPolicy.registered("round-robin"), SimPolicy.oracle());

        String oneThread = sweep(scenarios, policies, 1, dir.resolve("one.csv"));
        String twoThreads = sweep(scenarios, policies, 2, dir.resolve("two.csv"));

        List<String> lines = oneThread.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("sweep-1 [5 servers x 2 workers, 10 clients, 10%")
                .contains("oracle 1.00/1.00 0.00%");
        assertThat(lines.get(1)).startsWith("sweep-5 [8 servers").contains("oracle 1.00/1.00 0.00%");
        // sweep-1 has one node 3x slow: round-robin sends it a fifth of the calls and its p99 shows it
        double roundRobin = Double.parseDouble(lines.get(0).replaceAll(".*round-robin ([0-9.]+)/.*", "$1"));
        assertThat(roundRobin).isGreaterThan(1.2);
        assertThat(Files.readAllLines(dir.resolve("one.csv"))).hasSize(1 + 2 * 2);
        assertThat(twoThreads).isEqualTo(oneThread);
        assertThat(dir.resolve("two.csv")).hasSameTextualContentAs(dir.resolve("one.csv"));
    }

    @Test
    void aBadOptionIsRefusedWithTheOptionTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--count", "0"}))
                .hasMessage("--count must be a whole number >= 1, but was '0'");
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--from", "x"}))
                .hasMessage("--from must be a whole number >= 0, but was 'x'");
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--duration", "soon"}))
                .hasMessage("--duration must be a positive time such as 60s or 2m, but was 'soon'");
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--threads"}))
                .hasMessageStartingWith("option '--threads' needs a value; options: --from N");
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--seed", "1"}))
                .hasMessageStartingWith("unknown option '--seed'; options: --from N");
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--policies", "fastest"}))
                .hasMessageContaining("unknown routing policy 'fastest'");
        assertThatThrownBy(() -> FleetSweep.Options.parse(new String[] {"--concurrency-limit", "no"}))
                .hasMessage("--concurrency-limit must be on or off, but was 'no'");
        assertThat(FleetSweep.Options.parse(new String[] {"--concurrency-limit", "off"}).limit().isEnabled()).isFalse();
        assertThat(FleetSweep.Options.parse(new String[0]).limit()).as("as drawn: the routers' default").isNull();

        FleetSweep.Options all = FleetSweep.Options.parse(new String[] {"--policies", "all", "--duration", "2m"});
        assertThat(all.policies()).extracting(SimPolicy::name).contains(SimPolicy.defaultName(), SimPolicy.ORACLE);
        assertThat(all.duration()).isEqualTo(Duration.ofMinutes(2));
    }

    private static String sweep(List<Scenario> scenarios, List<SimPolicy> policies, int threads, Path csv)
            throws IOException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FleetSweep.run(scenarios, policies, threads, csv, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
