package io.smartqueryrouter.benchmarks.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Turns the runs of one scenario into a Markdown table, CSV rows and an SVG chart of p99 over time. */
public final class Reports {
    private static final String[] COLOURS = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private Reports() {
    }

    /** Returns the oracle's run among {@code runs}, or null. */
    static RunResult oracle(List<RunResult> runs) {
        return runs.stream().filter(r -> r.policy().equals(SimPolicy.ORACLE)).findFirst().orElse(null);
    }

    /** Returns p99 over the oracle's p99, NaN without an oracle run. */
    static double vsOracle(RunResult run, List<RunResult> runs) {
        RunResult oracle = oracle(runs);
        return oracle == null ? Double.NaN : run.p99Nanos() / oracle.p99Nanos();
    }

    /** Returns the Markdown table of one scenario's runs, one row per policy. */
    public static String markdown(Scenario scenario, List<RunResult> runs) {
        StringBuilder sb = new StringBuilder();
        Scenario.Focus focus = scenario.focus();
        boolean fault = scenario.fault() != null;
        sb.append("| policy | p50 ms | p99 ms | p99.9 ms | max ms | timeouts % | failed % | extra attempts % "
                + "| on worst server % "
                + (focus == null ? "" : "| on worst server " + focus.label() + " % ")
                + "| busiest server (100 ms) % | p99 / oracle p99 |"
                + (fault ? " recovery s |" : "") + "\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|").append(focus == null ? "" : "---:|").append("---:|---:|")
                .append(fault ? "---:|" : "").append("\n");
        for (RunResult r : runs) {
            boolean isDefault = r.policy().equals(SimPolicy.defaultName());
            sb.append("| ").append(isDefault ? "**" + r.policy() + "** (default)" : r.policy())
                    .append(" | ").append(Format.millis(r.p50Nanos()))
                    .append(" | ").append(Format.millis(r.p99Nanos()))
                    .append(" | ").append(Format.millis(r.p999Nanos()))
                    .append(" | ").append(Format.millis(r.maxNanos()))
                    .append(" | ").append(Format.percent(r.timeoutShare(), 2))
                    .append(" | ").append(Format.percent(r.failedShare(), 2))
                    .append(" | ").append(Format.percent(r.extraAttemptShare(), 1))
                    .append(" | ").append(Format.percent(r.worstServerShare(), 1))
                    .append(focus == null ? "" : " | " + Format.percent(r.focusWorstShare(), 1))
                    .append(" | ").append(Format.percent(r.busiestServerShare(), 1))
                    .append(" | ").append(ratio(vsOracle(r, runs), r.failedShare()))
                    .append(fault ? " | " + recovery(r.recoveryNanos()) : "")
                    .append(" |\n");
        }
        return sb.toString();
    }

    /**
     * Returns the Markdown table of one scenario run on several seeds, one row per policy: each cell is
     * the median over the seeds and, where they differ, the range: {@code median [min-max]}. Ratios are
     * taken within each seed (against that seed's oracle); where more than 1% of calls failed on any
     * seed, the ratio is replaced by the failed share.
     *
     * @param bySeed the runs of each seed, each in the same policy order
     */
    public static String markdownSeeds(Scenario scenario, List<List<RunResult>> bySeed) {
        if (bySeed.size() == 1) {
            return markdown(scenario, bySeed.get(0));
        }
        StringBuilder sb = new StringBuilder();
        Scenario.Focus focus = scenario.focus();
        boolean fault = scenario.fault() != null;
        sb.append("| policy | p50 ms | p99 ms | p99.9 ms | timeouts % | failed % | extra attempts % | on worst server % "
                + (focus == null ? "" : "| on worst server " + focus.label() + " % ")
                + "| p99 / oracle p99 |" + (fault ? " recovery s |" : "") + "\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|").append(focus == null ? "" : "---:|").append("---:|")
                .append(fault ? "---:|" : "").append("\n");
        List<RunResult> first = bySeed.get(0);
        for (int p = 0; p < first.size(); p++) {
            int policy = p;
            String name = first.get(p).policy();
            double[] ratios = new double[bySeed.size()];
            double maxFailed = 0;
            for (int k = 0; k < bySeed.size(); k++) {
                RunResult r = bySeed.get(k).get(p);
                ratios[k] = vsOracle(r, bySeed.get(k));
                maxFailed = Math.max(maxFailed, r.failedShare());
            }
            String ratio = maxFailed > 0.01 ? "- (" + cell(bySeed, policy, RunResult::failedShare, v -> Format.percent(v, 1))
                    + "% failed)" : cell(ratios, v -> Format.number(v, 2));
            sb.append("| ").append(name.equals(SimPolicy.defaultName()) ? "**" + name + "** (default)" : name)
                    .append(" | ").append(cell(bySeed, policy, RunResult::p50Nanos, Format::millis))
                    .append(" | ").append(cell(bySeed, policy, RunResult::p99Nanos, Format::millis))
                    .append(" | ").append(cell(bySeed, policy, RunResult::p999Nanos, Format::millis))
                    .append(" | ").append(cell(bySeed, policy, RunResult::timeoutShare, v -> Format.percent(v, 2)))
                    .append(" | ").append(cell(bySeed, policy, RunResult::failedShare, v -> Format.percent(v, 2)))
                    .append(" | ").append(cell(bySeed, policy, RunResult::extraAttemptShare, v -> Format.percent(v, 1)))
                    .append(" | ").append(cell(bySeed, policy, RunResult::worstServerShare, v -> Format.percent(v, 1)))
                    .append(focus == null ? "" : " | " + cell(bySeed, policy, RunResult::focusWorstShare, v -> Format.percent(v, 1)))
                    .append(" | ").append(ratio)
                    .append(fault ? " | " + cell(bySeed, policy, RunResult::recoveryNanos, Reports::recovery) : "")
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String cell(List<List<RunResult>> bySeed, int policy, java.util.function.ToDoubleFunction<RunResult> value,
            java.util.function.DoubleFunction<String> format) {
        double[] v = new double[bySeed.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = value.applyAsDouble(bySeed.get(k).get(policy));
        }
        return cell(v, format);
    }

    /** {@code median [min-max]} of the values, or the one value when they all format alike. */
    static String cell(double[] values, java.util.function.DoubleFunction<String> format) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted); // NaN sorts last, infinity before it
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        String med = format.apply(median);
        String lo = format.apply(sorted[0]);
        String hi = format.apply(sorted[n - 1]);
        return lo.equals(hi) ? med : med + " [" + lo + "-" + hi + "]";
    }

    /**
     * A p99 ratio, or "-" with the failed share where more than 1% of calls failed: their p99 is that of
     * calls cut off at the timeouts, and a ratio of two such numbers says nothing.
     */
    static String ratio(double ratio, double failedShare) {
        return failedShare > 0.01 ? "- (" + Format.percent(failedShare, 1) + "% failed)" : Format.number(ratio, 2);
    }

    /** A recovery time in seconds, "never" when the run ended before it recovered. */
    static String recovery(double nanos) {
        return Double.isInfinite(nanos) ? "never" : Format.number(nanos / 1e9, 0);
    }

    /**
     * Replaces the part of a Markdown file between the markers {@code begin} and {@code end} with {@code body} (after
     * {@code begin} and a blank line); the rest of the file stays as it was.
     *
     * @throws IllegalArgumentException if the file lacks either marker (then it is left unchanged)
     */
    static void replaceSection(Path doc, String begin, String end, String body) throws IOException {
        String text = Files.readString(doc, StandardCharsets.UTF_8);
        int from = text.indexOf(begin);
        int to = from < 0 ? -1 : text.indexOf(end, from);
        if (to < 0) {
            throw new IllegalArgumentException(doc + " has no " + begin + " ... " + end + " section to replace");
        }
        Files.writeString(doc, text.substring(0, from) + begin + "\n\n" + body + text.substring(to), StandardCharsets.UTF_8);
    }

    /** Returns the CSV header line. */
    public static String csvHeader() {
        return "scenario,policy,calls,attempts,hedges,p50_ms,p99_ms,p999_ms,max_ms,mean_ms,timeouts_pct,failed_pct,"
                + "extra_attempts_pct,worst_server_share_pct,focus_worst_server_share_pct,busiest_server_share_pct,p99_over_oracle_p99,attempts_per_server,"
                + "p99_before_fault_ms,recovery_s,seed\n";
    }

    /** Returns one CSV row per run (no header). */
    public static String csvRows(List<RunResult> runs) {
        StringBuilder sb = new StringBuilder();
        for (RunResult r : runs) {
            StringBuilder perServer = new StringBuilder();
            for (long a : r.attemptsPerServer()) {
                perServer.append(perServer.length() == 0 ? "" : " ").append(a);
            }
            sb.append(String.join(",", r.scenario(), r.policy(), Long.toString(r.calls()), Long.toString(r.attempts()),
                    Long.toString(r.hedges()),
                    ms(r.p50Nanos()), ms(r.p99Nanos()), ms(r.p999Nanos()), ms(r.maxNanos()), ms(r.meanNanos()),
                    Format.percent(r.timeoutShare(), 3), Format.percent(r.failedShare(), 3),
                    Format.percent(r.extraAttemptShare(), 3), Format.percent(r.worstServerShare(), 2),
                    Format.percent(r.focusWorstShare(), 2), Format.percent(r.busiestServerShare(), 2), Format.number(vsOracle(r, runs), 3), perServer,
                    ms(r.baselineP99Nanos()), Double.isInfinite(r.recoveryNanos()) ? "never" : Format.number(r.recoveryNanos() / 1e9, 0),
                    Long.toString(r.seed())))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String ms(double nanos) {
        return Format.number(nanos / 1e6, 3);
    }

    /**
     * Returns an SVG line chart of each policy's p99 per 1 s window over the run, on a log scale;
     * the default policy drawn thick, the oracle dashed.
     */
    public static String p99Chart(Scenario scenario, List<RunResult> runs) {
        int width = 960;
        int height = 460;
        int left = 64;
        int right = 215;
        int top = 40;
        int bottom = 46;
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        int seconds = 0;
        double maxMs = 10;
        double lowestMs = Double.POSITIVE_INFINITY;
        for (RunResult r : runs) {
            seconds = Math.max(seconds, r.p99PerSecond().length);
            for (double v : r.p99PerSecond()) {
                if (!Double.isNaN(v)) {
                    maxMs = Math.max(maxMs, v / 1e6);
                    lowestMs = Math.min(lowestMs, v / 1e6);
                }
            }
        }
        // from the decade below the lowest point: the interesting part is the spread, not the empty floor
        double minMs = Double.isInfinite(lowestMs) ? 1 : Math.pow(10, Math.floor(Math.log10(Math.max(0.01, lowestMs))));
        double logMin = Math.log10(minMs);
        double logMax = Math.ceil(Math.log10(maxMs) * 2) / 2; // up to the next half decade
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">\n", width, height, width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s: p99 of the calls that began in each second</text>\n",
                left, escape(scenario.name())));
        // grid: 1, 2, 5 x 10^k ms
        for (int k = (int) Math.floor(logMin); k <= (int) Math.ceil(logMax); k++) {
            for (int m : new int[] {1, 2, 5}) {
                double v = m * Math.pow(10, k);
                double lv = Math.log10(v);
                if (lv < logMin - 1e-9 || lv > logMax + 1e-9) {
                    continue;
                }
                double y = top + plotH * (1 - (lv - logMin) / (logMax - logMin));
                sb.append(String.format(Locale.ROOT,
                        "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
                        left, y, left + plotW, y, m == 1 ? "#bbbbbb" : "#e6e6e6"));
                sb.append(String.format(Locale.ROOT,
                        "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n",
                        left - 6, y, v >= 1000 ? Format.number(v / 1000, 0) + " s" : Format.number(v, v < 1 ? 2 : 0) + " ms"));
            }
        }
        for (int s = 0; s <= seconds; s += 10) {
            double x = left + plotW * (double) s / seconds;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e6e6e6\"/>\n", x, top, x, top + plotH));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                    x, top + plotH + 16, s));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">simulated time (s)</text>\n",
                left + plotW / 2, height - 8));
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#555555\"/>\n",
                left, top, plotW, plotH));
        int colour = 0;
        int legendY = top + 6;
        for (RunResult r : runs) {
            boolean oracle = r.policy().equals(SimPolicy.ORACLE);
            boolean isDefault = r.policy().equals(SimPolicy.defaultName());
            String stroke = oracle ? "#000000" : COLOURS[colour++ % COLOURS.length];
            String style = String.format(Locale.ROOT, "fill=\"none\" stroke=\"%s\" stroke-width=\"%s\"%s", stroke,
                    isDefault ? "2.6" : "1.3", oracle ? " stroke-dasharray=\"5,3\"" : "");
            StringBuilder points = new StringBuilder();
            double[] p99 = r.p99PerSecond();
            for (int s = 0; s < p99.length; s++) {
                if (Double.isNaN(p99[s])) {
                    flush(sb, points, style);
                    continue;
                }
                double ms = Math.max(minMs, p99[s] / 1e6);
                double x = left + plotW * (s + 0.5) / seconds;
                double y = top + plotH * (1 - (Math.log10(ms) - logMin) / (logMax - logMin));
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            flush(sb, points, style);
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" %s/>\n", left + plotW + 12, legendY,
                    left + plotW + 36, legendY, style));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\">%s</text>\n",
                    left + plotW + 42, legendY, escape(r.policy() + (isDefault ? " (default)" : ""))));
            legendY += 20;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void flush(StringBuilder sb, StringBuilder points, String style) {
        if (points.length() > 0) {
            sb.append("<polyline points=\"").append(points.toString().trim()).append("\" ").append(style).append("/>\n");
            points.setLength(0);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
