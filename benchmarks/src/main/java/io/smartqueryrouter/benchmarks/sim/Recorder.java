package io.smartqueryrouter.benchmarks.sim;

import java.util.Arrays;

/** Collects what the callers saw during one run, then turns it into a {@link RunResult}. */
final class Recorder {
    static final long WINDOW_NANOS = 1_000_000_000L;
    /** Herding shows on the time scale of a few round trips, not of seconds. */
    static final long SHARE_WINDOW_NANOS = 100_000_000L;

    private final int servers;
    private final int windows;
    private final long[] attemptsPerServer;
    private final int[][] attemptsPerWindow;

    private long[] latencies = new long[1 << 16];
    private long[] starts = new long[1 << 16];
    private boolean[] failed = new boolean[1 << 16];
    private int calls;
    private long failedCalls;
    private long attempts;
    long timeouts;
    long refusedOrReset;
    long hedges;
    long probes;
    long rejectedByLimit;

    Recorder(int servers, long durationNanos) {
        this.servers = servers;
        this.windows = (int) Math.max(1, (durationNanos + WINDOW_NANOS - 1) / WINDOW_NANOS);
        this.attemptsPerServer = new long[servers];
        this.attemptsPerWindow = new int[(int) Math.max(1, (durationNanos + SHARE_WINDOW_NANOS - 1) / SHARE_WINDOW_NANOS)][servers];
    }

    void attemptSent(int server, long nowNanos) {
        attempts++;
        attemptsPerServer[server]++;
        int w = (int) (nowNanos / SHARE_WINDOW_NANOS);
        if (w < attemptsPerWindow.length) {
            attemptsPerWindow[w][server]++;
        }
    }

    void callEnded(long startNanos, long nowNanos, boolean failed) {
        if (calls == latencies.length) {
            latencies = Arrays.copyOf(latencies, calls * 2);
            starts = Arrays.copyOf(starts, calls * 2);
            this.failed = Arrays.copyOf(this.failed, calls * 2);
        }
        latencies[calls] = nowNanos - startNanos;
        starts[calls] = startNanos;
        this.failed[calls] = failed;
        calls++;
        if (failed) {
            failedCalls++;
        }
    }

    RunResult result(Scenario scenario, String policy, long events, long wallNanos, long endNanos) {
        long[] sorted = Arrays.copyOf(latencies, calls);
        Arrays.sort(sorted);
        double sum = 0;
        for (long l : sorted) {
            sum += l;
        }
        double[] p99PerWindow = new double[windows];
        long[][] perWindow = splitByWindow();
        for (int w = 0; w < windows; w++) {
            long[] l = perWindow[w];
            Arrays.sort(l);
            p99PerWindow[w] = l.length == 0 ? Double.NaN : percentile(l, 0.99);
        }
        double[] failedPerWindow = new double[windows];
        int[] callsPerWindow = new int[windows];
        for (int i = 0; i < calls; i++) {
            int w = window(starts[i]);
            callsPerWindow[w]++;
            failedPerWindow[w] += failed[i] ? 1 : 0;
        }
        for (int w = 0; w < windows; w++) {
            failedPerWindow[w] = callsPerWindow[w] == 0 ? Double.NaN : failedPerWindow[w] / callsPerWindow[w];
        }
        double baseline = Double.NaN;
        double recovery = Double.NaN;
        if (scenario.fault() != null) {
            long[] before = new long[calls];
            int n = 0;
            for (int i = 0; i < calls; i++) {
                if (starts[i] < scenario.fault().fromNanos()) {
                    before[n++] = latencies[i];
                }
            }
            before = Arrays.copyOf(before, n);
            Arrays.sort(before);
            baseline = percentile(before, 0.99);
            recovery = recoveryNanos(scenario.fault().returnNanos(), baseline, p99PerWindow, failedPerWindow);
        }
        double busiest = 0;
        int counted = 0;
        for (int[] window : attemptsPerWindow) {
            long total = 0;
            int max = 0;
            for (int a : window) {
                total += a;
                max = Math.max(max, a);
            }
            if (total > 0) {
                busiest += (double) max / total;
                counted++;
            }
        }
        int worst = scenario.worstServer();
        double focusShare = Double.NaN;
        if (scenario.focus() != null) {
            long total = 0;
            long onWorst = 0;
            int from = (int) (scenario.focus().fromNanos() / SHARE_WINDOW_NANOS);
            int to = (int) Math.min(attemptsPerWindow.length, scenario.focus().toNanos() / SHARE_WINDOW_NANOS);
            for (int w = from; w < to; w++) {
                for (int a : attemptsPerWindow[w]) {
                    total += a;
                }
                onWorst += attemptsPerWindow[w][worst];
            }
            focusShare = total == 0 ? Double.NaN : (double) onWorst / total;
        }
        return new RunResult(scenario.name(), policy, calls, attempts, hedges, failedCalls, timeouts, refusedOrReset,
                calls == 0 ? Double.NaN : sum / calls,
                percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 0.999),
                calls == 0 ? Double.NaN : sorted[calls - 1],
                attemptsPerServer.clone(),
                worst < 0 || attempts == 0 ? Double.NaN : (double) attemptsPerServer[worst] / attempts, focusShare,
                counted == 0 ? Double.NaN : busiest / counted,
                p99PerWindow, failedPerWindow, baseline, recovery, probes, scenario.seed(), events, wallNanos, endNanos);
    }

    /**
     * Returns the nanoseconds from {@code returnNanos} until the start of the first one-second window
     * from which every window to the end of the run has under 1% failed calls and a p99 under twice
     * {@code baselineNanos} (a window without calls passes); 0 if that holds from the first window
     * that starts at or after the return, infinity if the last window fails it. Windows group calls by
     * the second they began in, so the answer is a whole number of seconds past the first window.
     */
    static double recoveryNanos(long returnNanos, double baselineNanos, double[] p99PerWindow,
            double[] failedPerWindow) {
        int first = (int) ((returnNanos + WINDOW_NANOS - 1) / WINDOW_NANOS);
        int lastBad = -1;
        for (int w = first; w < p99PerWindow.length; w++) {
            boolean failedOk = Double.isNaN(failedPerWindow[w]) || failedPerWindow[w] < 0.01;
            boolean p99Ok = Double.isNaN(p99PerWindow[w]) || p99PerWindow[w] < 2 * baselineNanos;
            if (!failedOk || !p99Ok) {
                lastBad = w;
            }
        }
        if (lastBad == p99PerWindow.length - 1) {
            return Double.POSITIVE_INFINITY;
        }
        long recovered = (lastBad < 0 ? first : lastBad + 1) * WINDOW_NANOS;
        return Math.max(0, recovered - returnNanos);
    }

    private long[][] splitByWindow() {
        int[] counts = new int[windows];
        for (int i = 0; i < calls; i++) {
            counts[window(starts[i])]++;
        }
        long[][] out = new long[windows][];
        for (int w = 0; w < windows; w++) {
            out[w] = new long[counts[w]];
        }
        int[] fill = new int[windows];
        for (int i = 0; i < calls; i++) {
            int w = window(starts[i]);
            out[w][fill[w]++] = latencies[i];
        }
        return out;
    }

    private int window(long startNanos) {
        return (int) Math.min(windows - 1, startNanos / WINDOW_NANOS);
    }

    /** The nearest-rank percentile of sorted values: the smallest value with at least {@code q} of all at or below it. */
    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }
}
