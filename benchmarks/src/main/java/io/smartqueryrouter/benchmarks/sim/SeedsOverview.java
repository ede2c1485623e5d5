package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.RoutingPolicies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table over every scenario of a suite run, one row per scenario, for what issue 13 judges the default
 * by: its p99 and p99.9 over the oracle's ({@code median [min-max]} over the seeds), its failed share and
 * recovery per seed, and how far it is behind the best other registered policy at p99 and at p99.9 (the
 * largest {@code default / other - 1} over every seed and registered policy, both with at most 1% of calls
 * failed), with the old default's ratio beside it. {@link SimulationSuite} writes it as {@code overview.md}
 * (and into a document with {@code --overview FILE}); this tool tables a stored run's {@code all.csv} again
 * without running it:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.sim.SeedsOverview \
 *     --csv benchmarks/results/seeds/all.csv [--doc benchmarks/SIMULATION.md]
 * </pre>
 *
 * {@code --doc} replaces the part of the file between {@value #DOC_BEGIN} and {@value #DOC_END}.
 */
public final class SeedsOverview {
    static final String DOC_BEGIN = "<!-- seeds-overview:begin -->";
    static final String DOC_END = "<!-- seeds-overview:end -->";
    /** The old default, shown beside the default for comparison. */
    static final String OLD_DEFAULT = "p2c-peak-ewma";
    /** Where more than this share of a run's calls failed, its p99 is calls cut off at timeouts: no ratio. */
    private static final double FAILED_LIMIT_PCT = 1;
    /** What issue 13 asks of the default: p99 within this factor of the oracle's. */
    private static final double WITHIN = 1.2;
    /** ... and never more than this share behind another registered policy. */
    private static final double BEHIND = 0.10;
    /** What issue 12 asks after a fault: recovery within this many seconds of capacity returning. */
    private static final double RECOVERED_S = 5;

    private SeedsOverview() {
    }

    /** One run's figures, as the suite's CSV has them. */
    record Run(String scenario, String policy, long seed, double p99Ms, double p999Ms, double failedPct, String recovery) {
    }

    /**
     * Tables a stored run.
     *
     * @param args {@code --csv FILE} (the suite's {@code all.csv}), optionally {@code --doc FILE}
     */
    public static void main(String[] args) throws IOException {
        Path csv = null;
        Path doc = null;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !(args[i].equals("--csv") || args[i].equals("--doc"))) {
                throw new IllegalArgumentException("expected --csv FILE [--doc FILE], but got '" + String.join(" ", args) + "'");
            }
            if (args[i].equals("--csv")) {
                csv = Path.of(args[i + 1]);
            } else {
                doc = Path.of(args[i + 1]);
            }
        }
        if (csv == null) {
            throw new IllegalArgumentException("--csv FILE is required: the all.csv of a SimulationSuite run");
        }
        String table = markdown(parse(Files.readString(csv, StandardCharsets.UTF_8)));
        System.out.print(table);
        if (doc != null) {
            updateDoc(doc, table);
        }
    }

    /** Reads the runs of the suite's CSV ({@link Reports#csvHeader()}), by its column names. */
    static List<Run> parse(String csv) {
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].trim().split(","));
        int scenario = column(header, "scenario");
        int policy = column(header, "policy");
        int seed = column(header, "seed");
        int p99 = column(header, "p99_ms");
        int p999 = column(header, "p999_ms");
        int failed = column(header, "failed_pct");
        int recovery = column(header, "recovery_s");
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String[] f = lines[i].trim().split(",", -1);
            if (f.length != header.size()) {
                throw new IllegalArgumentException("CSV line " + (i + 1) + " has " + f.length + " fields, the header "
                        + header.size());
            }
            runs.add(new Run(f[scenario], f[policy], Long.parseLong(f[seed]), Double.parseDouble(f[p99]),
                    Double.parseDouble(f[p999]), Double.parseDouble(f[failed]), f[recovery]));
        }
        return runs;
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("the CSV has no column '" + name + "'; its header: " + String.join(",", header));
        }
        return i;
    }

    /** The overview of {@code runs} (every scenario in the order it first appears), with a closing count. */
    static String markdown(List<Run> runs) {
        String dflt = SimPolicy.defaultName();
        Set<String> registered = RoutingPolicies.providers().keySet();
        Map<String, Map<Long, Map<String, Run>>> byScenario = new LinkedHashMap<>();
        Set<Long> seeds = new LinkedHashSet<>();
        for (Run r : runs) {
            byScenario.computeIfAbsent(r.scenario(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.seed(), k -> new LinkedHashMap<>()).put(r.policy(), r);
            seeds.add(r.seed());
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | `").append(dflt).append("` p99 / oracle | p99.9 / oracle | failed % | recovery s (seed ")
                .append(String.join(" / ", seeds.stream().map(String::valueOf).toList()))
                .append(") | against the best other policy, p99 | p99.9 | `").append(OLD_DEFAULT).append("` p99 / oracle |\n");
        sb.append("|---|---:|---:|---:|---|---|---|---:|\n");
        int judged = 0;
        int within = 0;
        int behind = 0;
        List<String> over = new ArrayList<>();
        int faults = 0;
        int recovered = 0;
        List<String> slow = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Map<String, Run>>> e : byScenario.entrySet()) {
            List<Map<String, Run>> perSeed = new ArrayList<>(e.getValue().values());
            if (perSeed.stream().anyMatch(m -> !m.containsKey(dflt))) {
                continue;
            }
            double[] r99 = new double[perSeed.size()];
            double[] r999 = new double[perSeed.size()];
            double[] failed = new double[perSeed.size()];
            double[] old = new double[perSeed.size()];
            List<String> recovery = new ArrayList<>();
            boolean ok = true;
            boolean oldOk = true;
            Gap g99 = null;
            Gap g999 = null;
            Gap gFailed = null;
            double[] oldFailed = new double[perSeed.size()];
            for (int k = 0; k < perSeed.size(); k++) {
                Map<String, Run> m = perSeed.get(k);
                Run d = m.get(dflt);
                Run oracle = m.get(SimPolicy.ORACLE);
                Run o = m.get(OLD_DEFAULT);
                r99[k] = oracle == null ? Double.NaN : d.p99Ms() / oracle.p99Ms();
                r999[k] = oracle == null ? Double.NaN : d.p999Ms() / oracle.p999Ms();
                old[k] = oracle == null || o == null ? Double.NaN : o.p99Ms() / oracle.p99Ms();
                failed[k] = d.failedPct();
                recovery.add(d.recovery());
                ok &= d.failedPct() <= FAILED_LIMIT_PCT;
                oldOk &= o == null || o.failedPct() <= FAILED_LIMIT_PCT;
                oldFailed[k] = o == null ? Double.NaN : o.failedPct();
                for (Run other : m.values()) {
                    if (other == d || !registered.contains(other.policy())) {
                        continue;
                    }
                    if (d.failedPct() > FAILED_LIMIT_PCT) {
                        // a collapse: judged by the calls that failed, in points
                        gFailed = Gap.larger(gFailed, new Gap(d.failedPct() - other.failedPct(), other.policy(), d.seed()));
                    } else if (other.failedPct() <= FAILED_LIMIT_PCT) {
                        g99 = Gap.larger(g99, new Gap(d.p99Ms() / other.p99Ms() - 1, other.policy(), d.seed()));
                        g999 = Gap.larger(g999, new Gap(d.p999Ms() / other.p999Ms() - 1, other.policy(), d.seed()));
                    }
                }
            }
            String name = e.getKey();
            if (!recovery.contains("-")) {
                faults++;
                if (recovery.stream().allMatch(v -> !v.equals("never") && Double.parseDouble(v) <= RECOVERED_S)) {
                    recovered++;
                } else {
                    slow.add(name + " " + String.join(" / ", recovery));
                }
            }
            if (ok) {
                judged++;
                double worst = java.util.Arrays.stream(r99).max().orElse(Double.NaN);
                if (worst <= WITHIN) {
                    within++;
                } else {
                    over.add(name + " " + Format.number(worst, 2));
                }
                if (g99 != null && (g99.share() > BEHIND || g999.share() > BEHIND)) {
                    behind++;
                }
            }
            sb.append("| ").append(name)
                    .append(" | ").append(ok ? Reports.cell(r99, v -> Format.number(v, 2)) : "-")
                    .append(" | ").append(ok ? Reports.cell(r999, v -> Format.number(v, 2)) : "-")
                    .append(" | ").append(Reports.cell(failed, v -> Format.number(v, 2)))
                    .append(" | ").append(recovery.stream().allMatch("-"::equals) ? "-" : String.join(" / ", recovery))
                    .append(" | ").append(ok ? (g99 != null ? g99.percent() : "-")
                            : gFailed != null ? "failed " + gFailed.points() : "-")
                    .append(" | ").append(ok && g999 != null ? g999.percent() : "-")
                    .append(" | ").append(oldOk ? Reports.cell(old, v -> Format.number(v, 2))
                            : Reports.cell(oldFailed, v -> Format.number(v, 1)) + "% failed")
                    .append(" |\n");
        }
        sb.append("\nWhere at most ").append(Format.number(FAILED_LIMIT_PCT, 0)).append("% of `").append(dflt)
                .append("`'s calls failed on every seed (").append(judged).append(" of ").append(byScenario.size())
                .append(" scenarios), its p99 is within ").append(WITHIN).append("x of the oracle's on every seed in ")
                .append(within).append(over.isEmpty() ? "" : " (over: " + String.join(", ", over) + ")")
                .append(", and more than ").append(Format.number(BEHIND * 100, 0))
                .append("% behind another registered policy at p99 or p99.9 on some seed in ").append(behind)
                .append(". Of the ").append(faults).append(" scenarios with a fault, it recovers within ")
                .append(Format.number(RECOVERED_S, 0)).append(" s of its end on every seed in ").append(recovered)
                .append(slow.isEmpty() ? "" : " (not: " + String.join(", ", slow) + ")").append(".\n");
        return sb.toString();
    }

    /** How far the default is behind one policy on one seed: {@code default / other - 1}. */
    private record Gap(double share, String policy, long seed) {
        static Gap larger(Gap a, Gap b) {
            return a == null || b.share() > a.share() ? b : a;
        }

        /** As a share of the other policy's figure: {@code +4% (`c3`, 7)}. */
        String percent() {
            return signed(share * 100, 0) + "% (`" + policy + "`, " + seed + ")";
        }

        /** As a difference in percentage points: {@code +0.40 points (`c3`, 7)}. */
        String points() {
            return signed(share, 2) + " points (`" + policy + "`, " + seed + ")";
        }

        private static String signed(double value, int decimals) {
            String s = Format.number(Math.abs(value), decimals);
            return Double.parseDouble(s) == 0 ? s : (value > 0 ? "+" : "-") + s;
        }
    }

    /** Replaces the part of {@code doc} between the markers with {@code table}. */
    static void updateDoc(Path doc, String table) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int begin = text.indexOf(DOC_BEGIN);
        int end = text.indexOf(DOC_END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(doc + " has no " + DOC_BEGIN + " ... " + DOC_END + " section to replace");
        }
        Files.writeString(doc, text.substring(0, begin) + DOC_BEGIN + "\n\n" + table + "\n" + text.substring(end),
                StandardCharsets.UTF_8);
    }
}
