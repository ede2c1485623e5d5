package io.smartqueryrouter.benchmarks.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overview reads the suite's CSV and judges the default per scenario as issues 12 and 13 do. */
class SeedsOverviewTest {

    private static String row(String scenario, String policy, double p99, double p999, double failed, String recovery,
            long seed) {
        // the suite's columns, most of them beside the point here
        return String.join(",", scenario, policy, "1000", "1000", "0", "10.000", Double.toString(p99), Double.toString(p999),
                "900.000", "12.000", "0.000", Double.toString(failed), "0.000", "25.00", "-", "25.00", "1.000", "250 250 250 250",
                recovery.equals("-") ? "-" : "30.000", recovery, Long.toString(seed)) + "\n";
    }

    private static final String CSV = Reports.csvHeader()
            // a slow-node scenario on two seeds: the default 1.1x then 1.3x the oracle, c3 5% ahead of it at p99.9 on seed 7
            + row("slow", "pool-ewma", 33, 60, 0, "-", 42)
            + row("slow", "c3", 40, 70, 0, "-", 42)
            + row("slow", "p2c-peak-ewma", 45, 80, 0, "-", 42)
            + row("slow", "oracle", 30, 50, 0, "-", 42)
            + row("slow", "pool-ewma", 39, 63, 0, "-", 7)
            + row("slow", "c3", 41, 60, 0, "-", 7)
            + row("slow", "p2c-peak-ewma", 48, 90, 0, "-", 7)
            + row("slow", "oracle", 30, 52, 0, "-", 7)
            // a collapse: judged by failed share and recovery; the old default failed more
            + row("outage", "pool-ewma", 3000, 3000, 8.5, "1", 42)
            + row("outage", "c3", 3000, 3000, 8.25, "3", 42)
            + row("outage", "p2c-peak-ewma", 3000, 3000, 20, "never", 42)
            + row("outage", "oracle", 3000, 3000, 9, "0", 42)
            + row("outage", "pool-ewma", 3000, 3000, 9.5, "7", 7)
            + row("outage", "c3", 3000, 3000, 9.5, "2", 7)
            + row("outage", "p2c-peak-ewma", 3000, 3000, 22, "never", 7)
            + row("outage", "oracle", 3000, 3000, 9, "0", 7);

    @Test
    void aRowGivesTheDefaultsRatiosOverTheSeedsAndHowFarItIsBehindTheBestOtherPolicy() {
        List<String> lines = SeedsOverview.markdown(SeedsOverview.parse(CSV)).lines().toList();
        assertThat(lines.get(0)).contains("`pool-ewma` p99 / oracle", "recovery s (seed 42 / 7)", "`p2c-peak-ewma`");
        // p99 33/30 and 39/30: median 1.20 [1.10-1.30]; p99.9 60/50 and 63/52; c3's p99.9 60 against 63 on seed 7: +5%
        assertThat(lines.get(2)).isEqualTo("| slow | 1.20 [1.10-1.30] | 1.21 [1.20-1.21] | 0.00 | - | -5% (`c3`, 7) "
                + "| +5% (`c3`, 7) | 1.55 [1.50-1.60] |");
        // the collapse: no ratio; 9.5 against c3's 9.5 on seed 7 and 8.5 against 8.25 on seed 42: +0.25 points
        assertThat(lines.get(3)).isEqualTo("| outage | - | - | 9.00 [8.50-9.50] | 1 / 7 | failed +0.25 points (`c3`, 42) "
                + "| - | 21.0 [20.0-22.0]% failed |");
        assertThat(lines.get(5)).isEqualTo("Where at most 1% of `pool-ewma`'s calls failed on every seed (1 of 2 scenarios), "
                + "its p99 is within 1.2x of the oracle's on every seed in 0 (over: slow 1.30), and more than 10% behind "
                + "another registered policy at p99 or p99.9 on some seed in 0. Of the 1 scenarios with a fault, it recovers "
                + "within 5 s of its end on every seed in 0 (not: outage 1 / 7).");
    }

    @Test
    void aScenarioWithoutTheOracleOnEverySeedIsShownButNotJudged() {
        String withoutOracle = CSV.lines().filter(l -> !l.startsWith("slow,oracle,") || !l.endsWith(",7"))
                .reduce("", (a, b) -> a + b + "\n");
        List<String> lines = SeedsOverview.markdown(SeedsOverview.parse(withoutOracle)).lines().toList();
        // seed 42's ratios alone are not a median over the seeds: no ratio at all
        assertThat(lines.get(2)).startsWith("| slow | - | - | 0.00 | - | -5% (`c3`, 7) | +5% (`c3`, 7) | 1.50 |");
        assertThat(lines.get(5)).startsWith("Where at most 1% of `pool-ewma`'s calls failed on every seed (0 of 2 scenarios)");
    }

    @Test
    void theSuiteWritesTheOverviewAndPutsItBetweenTheMarkersOfTheOverviewDocument(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("doc.md");
        Files.writeString(doc, "before\n" + SeedsOverview.DOC_BEGIN + "\nold\n" + SeedsOverview.DOC_END + "\nafter\n");
        Path csv = dir.resolve("all.csv");
        Files.writeString(csv, CSV);
        SeedsOverview.main(new String[] {"--csv", csv.toString(), "--doc", doc.toString()});
        String text = Files.readString(doc);
        assertThat(text).startsWith("before\n" + SeedsOverview.DOC_BEGIN + "\n\n| scenario |")
                .contains("| outage | - | - | 9.00 [8.50-9.50] | 1 / 7 |")
                .endsWith(".\n\n" + SeedsOverview.DOC_END + "\nafter\n").doesNotContain("old");

        Path out = dir.resolve("run");
        SimulationSuite.main(new String[] {"--scenarios", "homogeneous", "--duration", "2s", "--policies", "pool-ewma,oracle",
                "--threads", "1", "--out", out.toString(), "--overview", doc.toString()});
        String overview = Files.readString(out.resolve("overview.md"));
        assertThat(overview).startsWith("| scenario | `pool-ewma` p99 / oracle |").contains("\n| homogeneous | 1.")
                .contains("(1 of 1 scenarios)");
        assertThat(Files.readString(doc)).isEqualTo("before\n" + SeedsOverview.DOC_BEGIN + "\n\n" + overview + "\n"
                + SeedsOverview.DOC_END + "\nafter\n");
    }

    @Test
    void aCsvWithoutTheColumnsOrWithANonNumberOrAnOptionMissingIsRefusedByName(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SeedsOverview.parse("scenario,policy\nx,y\n"))
                .hasMessageContaining("no column 'seed'");
        assertThatThrownBy(() -> SeedsOverview.parse(CSV.replace("slow,c3,1000,1000,0,10.000,40.0,", "slow,c3,1000,1000,0,10.000,x,")))
                .hasMessage("CSV line 3: column 'p99_ms' must be a number, but was 'x'");
        assertThatThrownBy(() -> SeedsOverview.main(new String[] {"--doc", dir.resolve("d.md").toString()}))
                .hasMessageContaining("--csv FILE is required");
        Path doc = dir.resolve("plain.md");
        Files.writeString(doc, "no markers\n");
        assertThatThrownBy(() -> Reports.replaceSection(doc, SeedsOverview.DOC_BEGIN, SeedsOverview.DOC_END, "table"))
                .hasMessageContaining(SeedsOverview.DOC_BEGIN);
        assertThat(Files.readString(doc)).isEqualTo("no markers\n");
    }
}
