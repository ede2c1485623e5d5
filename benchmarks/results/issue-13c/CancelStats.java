package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Outcome;
import java.util.*;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Throwaway: what cancels do on the slow node. args: scenario policy seed hedge(on|off) node */
public final class CancelStats {
    static final class Att { String node; long sent; Outcome outcome; long settledAt = -1; boolean hedge; }
    public static void main(String[] a) {
        Logger.getLogger("io.smartqueryrouter").setLevel(Level.WARNING);
        Scenario.Builder b = Scenarios.byName(a[0]).toBuilder().seed(Long.parseLong(a[2]));
        b.hedge(a[3].equals("on") ? HedgePolicy.afterPercentile(0.95) : HedgePolicy.disabled());
        String slow = a[4];
        Scenario sc = b.build();
        Map<String, Att> open = new HashMap<>();           // client:call:node -> attempt not settled
        Map<String, Att> phantom = new HashMap<>();        // cancelled, server not answered yet
        int[] phantomPerClient = new int[64];               // phantoms on the slow node, per client
        long[] stats = new long[20];
        // 0 slow attempts, 1 slow attempts begun while that client had a phantom on slow, 2 cancels on slow,
        // 3 cancels elsewhere, 4 timeouts on slow, 5 timeouts elsewhere, 6 hedges sent, 7 hedges to slow,
        // 8 sum phantom ms (slow), 9 max phantom ms, 10 late answers slow, 11 slow successes, 12 sum slow success ms
        // 13 attempts on slow whose first attempt from that client came within 100 ms after a cancel there
        long[] lastCancel = new long[64];
        Arrays.fill(lastCancel, Long.MIN_VALUE / 2);
        TreeMap<Integer, long[]> perSec = new TreeMap<>(); // s -> attempts slow, cancels slow, timeouts slow, max phantoms
        int[] totalPhantom = {0};
        SimTrace t = new SimTrace() {
            String k(int c, long call, String n) { return c + ":" + call + ":" + n; }
            void start(int c, long call, long now, String n, boolean hedge) {
                Att at = new Att(); at.node = n; at.sent = now; at.hedge = hedge;
                open.put(k(c, call, n), at);
                if (n.equals(slow)) {
                    stats[0]++;
                    if (phantomPerClient[c] > 0) stats[1]++;
                    if (now - lastCancel[c] < 100_000_000L) stats[13]++;
                    sec(now)[0]++;
                }
            }
            long[] sec(long now) { return perSec.computeIfAbsent((int) (now / 1_000_000_000L), x -> new long[4]); }
            public void begun(int c, long call, long now, String n) { start(c, call, now, n, false); }
            public void completed(int c, long call, long now, Outcome o) { }
            public void retried(int c, long call, long now, String n) { if (n != null) start(c, call, now, n, false); }
            public void hedged(int c, long call, long now, String n) { stats[6]++; if (n.equals(slow)) stats[7]++; start(c, call, now, n, true); }
            public void settled(int c, long call, long now, String n, Outcome o) {
                Att at = open.remove(k(c, call, n));
                if (at == null) return;
                boolean s = n.equals(slow);
                if (o == Outcome.CANCELLED) {
                    if (s) { stats[2]++; phantomPerClient[c]++; totalPhantom[0]++; lastCancel[c] = now; sec(now)[1]++;
                        long[] x = sec(now); x[3] = Math.max(x[3], totalPhantom[0]); }
                    else stats[3]++;
                    at.settledAt = now; phantom.put(k(c, call, n), at);
                } else if (o == Outcome.FAILURE) {
                    if (s) { stats[4]++; sec(now)[2]++; } else stats[5]++;
                } else if (o == Outcome.SUCCESS && s) { stats[11]++; stats[12] += (now - at.sent) / 1_000_000; }
            }
            public void lateAnswer(int c, long call, long now, String n) {
                Att at = phantom.remove(k(c, call, n));
                if (at == null) return;
                if (n.equals(slow)) {
                    phantomPerClient[c]--; totalPhantom[0]--;
                    long ms = (now - at.settledAt) / 1_000_000; stats[8] += ms; stats[9] = Math.max(stats[9], ms); stats[10]++;
                }
            }
        };
        RunResult r = Simulation.run(sc, SimPolicy.byName(a[1]), t);
        System.out.printf("%s %s seed %s hedge %s: p99 %.1f p99.9 %.1f failed %.2f%%%n", a[0], a[1], a[2], a[3],
                r.p99Nanos() / 1e6, r.p999Nanos() / 1e6, 100 * r.failedShare());
        System.out.printf("  hedges %d (to %s %d); on %s: attempts %d, begun while that client had a phantom there %d (%.1f%%), within 100 ms of that client's cancel there %d%n",
                stats[6], slow, stats[7], slow, stats[0], stats[1], 100.0 * stats[1] / Math.max(1, stats[0]), stats[13]);
        System.out.printf("  cancels on %s %d, elsewhere %d; phantom life on %s mean %.0f ms max %d ms; timeouts on %s %d elsewhere %d; mean success ms on %s %.1f%n",
                slow, stats[2], stats[3], slow, stats[8] / Math.max(1.0, stats[10]), stats[9], slow, stats[4], stats[5], slow, stats[12] / Math.max(1.0, stats[11]));
        if (a.length > 5) {
            perSec.forEach((s, x) -> { if (s < 42 && a[5].equals("v")) System.out.printf("  %3d s: %s attempts %d cancels %d timeouts %d max phantoms %d%n", s, slow, x[0], x[1], x[2], x[3]); });
        }
    }
}
