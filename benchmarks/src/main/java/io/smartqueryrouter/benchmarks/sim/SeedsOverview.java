package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.RoutingPolicies;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One table over every scenario of a suite run, one row per scenario, for what issues 12 and 13 judge the default
 * by: its p99 and p99.9 over the oracle's ({@code median [min-max]} over the seeds), its failed share and recovery
 * per seed, and how far it is behind the best other registered policy at p99 and at p99.9 (the largest
 * {@code default / other - 1} over every seed and registered policy, both with at most 1% of calls failed; where more
 * failed, the most calls it failed over another policy, in points), with the old default's ratio beside it.
 * {@link SimulationSuite} writes it as {@code overview.md} (and into a document with {@code --overview FILE}); this
 * tool tables a stored run's {@code all.csv} again without running it:
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
    /** What issue 13 asks of the default: p99 within this factor of the oracle's... */
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
     * @throws IllegalArgumentException if an option is unknown or missing, or the CSV is not the suite's
     * @throws IOException if a file cannot be read or written
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
            Reports.replaceSection(doc, DOC_BEGIN, DOC_END, table + "\n");
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
            String rec = f[recovery];
            if (!rec.equals("-") && !rec.equals("never")) {
                number(rec, i, "recovery_s");
            }
            runs.add(new Run(f[scenario], f[policy], (long) number(f[seed], i, "seed"), number(f[p99], i, "p99_ms"),
                    number(f[p999], i, "p999_ms"), number(f[failed], i, "failed_pct"), rec));
        }
        return runs;
    }

    private static double number(String value, int line, String column) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CSV line " + (line + 1) + ": column '" + column
                    + "' must be a number, but was '" + value + "'");
        }
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("the CSV has no column '" + name + "'; its header: " + String.join(",", header));
        }
        return i;
    }

    /** One scenario's row: the default's figures per seed and its gaps to the other policies. */
    private record Row(String name, double[] p99, double[] p999, double[] failed, double[] old, double[] oldFailed,
            List<String> recovery, Gap gap99, Gap gap999, Gap gapFailed) {

        /** Whether the servers carried the default's calls: at most 1% of them failed on every seed. */
        boolean carried() {
            return Arrays.stream(failed).allMatch(f -> f <= FAILED_LIMIT_PCT);
        }

        /** Whether the default's ratios to the oracle count: {@link #carried()}, and an oracle ran on every seed. */
        boolean judged() {
            return carried() && Arrays.stream(p99).noneMatch(Double::isNaN);
        }

        /** Whether the scenario has a fault: a recovery time on every seed. */
        boolean fault() {
            return !recovery.contains("-");
        }

        double worstP99() {
            return Arrays.stream(p99).max().orElse(Double.NaN);
        }

        boolean recovered() {
            return recovery.stream().allMatch(v -> !v.equals("never") && Double.parseDouble(v) <= RECOVERED_S);
        }

        String markdown() {
            boolean judged = judged();
            boolean oldJudged = Arrays.stream(oldFailed).allMatch(f -> Double.isNaN(f) || f <= FAILED_LIMIT_PCT);
            return "| " + name
                    + " | " + (judged ? cell(p99, 2) : "-")
                    + " | " + (judged ? cell(p999, 2) : "-")
                    + " | " + cell(failed, 2)
                    + " | " + (fault() ? String.join(" / ", recovery) : "-")
                    + " | " + (carried() ? (gap99 != null ? gap99.percent() : "-") : gapFailed != null ? "failed " + gapFailed.points() : "-")
                    + " | " + (carried() && gap999 != null ? gap999.percent() : "-")
                    + " | " + (oldJudged ? cell(old, 2) : cell(oldFailed, 1) + "% failed")
                    + " |\n";
        }

        /** {@code median [min-max]} of the known values, "-" if none is. */
        private static String cell(double[] values, int decimals) {
            double[] known = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
            return known.length == 0 ? "-" : Reports.cell(known, v -> Format.number(v, decimals));
        }
    }

    /** The overview of {@code runs} (every scenario in the order it first appears), with a closing count. */
    static String markdown(List<Run> runs) {
        String dflt = SimPolicy.defaultName();
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
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Map<String, Run>>> e : byScenario.entrySet()) {
            List<Map<String, Run>> perSeed = new ArrayList<>(e.getValue().values());
            if (perSeed.stream().allMatch(m -> m.containsKey(dflt))) {
                Row row = row(e.getKey(), perSeed, dflt);
                rows.add(row);
                sb.append(row.markdown());
            }
        }
        List<Row> judged = rows.stream().filter(Row::judged).toList();
        List<String> over = judged.stream().filter(r -> r.worstP99() > WITHIN)
                .map(r -> r.name() + " " + Format.number(r.worstP99(), 2)).toList();
        long behind = rows.stream().filter(r -> r.carried() && r.gap99() != null
                && (r.gap99().share() > BEHIND || r.gap999().share() > BEHIND)).count();
        List<Row> faults = rows.stream().filter(Row::fault).toList();
        List<String> slow = faults.stream().filter(r -> !r.recovered())
                .map(r -> r.name() + " " + String.join(" / ", r.recovery())).toList();
        sb.append("\nWhere at most ").append(Format.number(FAILED_LIMIT_PCT, 0)).append("% of `").append(dflt)
                .append("`'s calls failed on every seed (").append(judged.size()).append(" of ").append(rows.size())
                .append(" scenarios), its p99 is within ").append(WITHIN).append("x of the oracle's on every seed in ")
                .append(judged.size() - over.size()).append(over.isEmpty() ? "" : " (over: " + String.join(", ", over) + ")")
                .append(", and more than ").append(Format.number(BEHIND * 100, 0))
                .append("% behind another registered policy at p99 or p99.9 on some seed in ").append(behind)
                .append(". Of the ").append(faults.size()).append(" scenarios with a fault, it recovers within ")
                .append(Format.number(RECOVERED_S, 0)).append(" s of its end on every seed in ").append(faults.size() - slow.size())
                .append(slow.isEmpty() ? "" : " (not: " + String.join(", ", slow) + ")").append(".\n");
        return sb.toString();
    }

    private static Row row(String name, List<Map<String, Run>> perSeed, String dflt) {
        Set<String> registered = RoutingPolicies.providers().keySet();
        int n = perSeed.size();
        double[] p99 = new double[n];
        double[] p999 = new double[n];
        double[] failed = new double[n];
        double[] old = new double[n];
        double[] oldFailed = new double[n];
        List<String> recovery = new ArrayList<>();
        Gap gap99 = null;
        Gap gap999 = null;
        Gap gapFailed = null;
        for (int k = 0; k < n; k++) {
            Map<String, Run> m = perSeed.get(k);
            Run d = m.get(dflt);
            Run oracle = m.get(SimPolicy.ORACLE);
            Run o = m.get(OLD_DEFAULT);
            p99[k] = oracle == null ? Double.NaN : d.p99Ms() / oracle.p99Ms();
            p999[k] = oracle == null ? Double.NaN : d.p999Ms() / oracle.p999Ms();
            old[k] = oracle == null || o == null ? Double.NaN : o.p99Ms() / oracle.p99Ms();
            oldFailed[k] = o == null ? Double.NaN : o.failedPct();
            failed[k] = d.failedPct();
            recovery.add(d.recovery());
            for (Run other : m.values()) {
                if (other == d || !registered.contains(other.policy())) {
                    continue;
                }
                if (d.failedPct() > FAILED_LIMIT_PCT) {
                    // a collapse: judged by the calls that failed, in points
                    gapFailed = Gap.larger(gapFailed, new Gap(d.failedPct() - other.failedPct(), other.policy(), d.seed()));
                } else if (other.failedPct() <= FAILED_LIMIT_PCT) {
                    gap99 = Gap.larger(gap99, new Gap(d.p99Ms() / other.p99Ms() - 1, other.policy(), d.seed()));
                    gap999 = Gap.larger(gap999, new Gap(d.p999Ms() / other.p999Ms() - 1, other.policy(), d.seed()));
                }
            }
        }
        return new Row(name, p99, p999, failed, old, oldFailed, recovery, gap99, gap999, gapFailed);
    }

    /** How far the default is behind one policy on one seed: {@code default / other - 1}, or a difference in points. */
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
}
