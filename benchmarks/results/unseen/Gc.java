import io.smartqueryrouter.benchmarks.sim.*;
import io.smartqueryrouter.core.ConcurrencyLimit;
import java.time.Duration;
/**
 * One node (s4) freezing for F ms every 10 s; with "two" in the third argument a second node (s3) freezing
 * F/2 ms every 7 s, "nolimit" the concurrency limit off, "noeject" outlier ejection off; any fourth argument
 * prints the first 40 seconds' p99 (ms) / failed % per second. Seed 42, the suite's other defaults.
 * Usage: Gc POLICIES FREEZE_MS [one|two|two-nolimit|...] [x]
 */
public class Gc {
  public static void main(String[] a) throws Exception {
    long freeze = Long.parseLong(a[1]);
    Scenario.Builder b = Scenario.builder("gc-x").server(4, ServerSpec.normal().freezes(Duration.ofSeconds(10), Duration.ofMillis(freeze))).worstServer(4);
    if (a.length > 2 && a[2].contains("two")) b.server(3, ServerSpec.normal().freezes(Duration.ofSeconds(7), Duration.ofMillis(freeze / 2)));
    if (a.length > 2 && a[2].contains("nolimit")) b.concurrencyLimit(ConcurrencyLimit.disabled());
    if (a.length > 2 && a[2].contains("noeject")) b.outlierEjection(false);
    Scenario s = b.build();
    for (String p : a[0].split(",")) {
      RunResult r = Simulation.run(s, SimPolicy.byName(p));
      System.out.printf("%s freeze=%d %s p99=%.1f p999=%.1f failed=%.2f%% timeouts=%d refused=%d attempts=%d calls=%d share4=%.3f%n", p, freeze, a.length>2?a[2]:"", r.p99Nanos()/1e6, r.p999Nanos()/1e6, 100*r.failedShare(), r.attemptTimeouts(), r.attemptsRefusedOrReset(), r.attempts(), r.calls(), r.worstServerShare());
      if (a.length > 3) { StringBuilder sb = new StringBuilder(); for (int i = 0; i < 40; i++) sb.append(String.format("%d:%.0f/%.1f ", i, r.p99PerSecond()[i]/1e6, 100*r.failedPerSecond()[i])); System.out.println(sb); }
    }
  }
}
