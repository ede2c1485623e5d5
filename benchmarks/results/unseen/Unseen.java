import io.smartqueryrouter.benchmarks.sim.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;

/**
 * 27 variants of the suite's scenarios, each on seeds 42, 7 and 1234, every policy named against the oracle
 * (which must be among them). Usage: Unseen POLICIES [SCENARIOS]. See README.md.
 */
public class Unseen {
  static Scenario.Builder b(String n) { return Scenario.builder(n); }
  static Scenario slowK(String n, int servers, int k, double f) {
    Scenario.Builder s = b(n).servers(servers).worstServer(servers - 1);
    for (int i = servers - k; i < servers; i++) s.server(i, ServerSpec.normal().slower(f));
    return s.build();
  }
  public static void main(String[] a) throws Exception {
    List<Scenario> sc = new ArrayList<>();
    sc.add(slowK("slow-1of5-2x", 5, 1, 2));
    sc.add(slowK("slow-3of5-2x", 5, 3, 2));
    sc.add(slowK("slow-3of5-4x", 5, 3, 4));
    sc.add(slowK("slow-4of5-3x", 5, 4, 3));
    sc.add(slowK("slow-1of3-3x", 3, 1, 3));
    sc.add(slowK("slow-25of50-3x", 50, 25, 3));
    sc.add(slowK("slow-5of20-5x", 20, 5, 5));
    sc.add(slowK("slow-1of5-1p5x", 5, 1, 1.5));
    sc.add(slowK("slow-2of10-10x", 10, 2, 10));
    sc.add(b("hetero-wide").speeds(1, 2, 4, 8, 16).worstServer(0).build());
    sc.add(b("hetero-10").speeds(1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5).worstServer(0).build());
    sc.add(slowK("slow-2of5-3x-u50", 5, 2, 3).toBuilder().utilisation(0.5).build());
    sc.add(slowK("slow-2of5-3x-u85", 5, 2, 3).toBuilder().utilisation(0.85).build());
    sc.add(slowK("slow-1of5-5x-u90", 5, 1, 5).toBuilder().utilisation(0.9).build());
    sc.add(slowK("slow-1of5-5x-exp", 5, 1, 5).toBuilder().serviceTime(ServiceTime.exponential(Duration.ofMillis(10))).build());
    sc.add(slowK("slow-2of5-3x-exp", 5, 2, 3).toBuilder().serviceTime(ServiceTime.exponential(Duration.ofMillis(10))).build());
    sc.add(slowK("bimodal-1slow3x", 5, 1, 3).toBuilder().serviceTime(ServiceTime.bimodal(Duration.ofMillis(5), 0.5, 0.1, 10)).build());
    sc.add(b("gc-2nodes-1s").server(3, ServerSpec.normal().freezes(Duration.ofSeconds(10), Duration.ofSeconds(1))).server(4, ServerSpec.normal().freezes(Duration.ofSeconds(7), Duration.ofMillis(500))).worstServer(4).build());
    sc.add(b("flap-2s-2nodes").server(3, ServerSpec.normal().slowdown(Slowdown.flapping(Duration.ofSeconds(2), Duration.ofSeconds(2), 5))).server(4, ServerSpec.normal().slowdown(Slowdown.flapping(Duration.ofMillis(1500), Duration.ofMillis(1500), 5))).worstServer(4).build());
    sc.add(slowK("lowload5-2of10-4x", 10, 2, 4).toBuilder().utilisation(0.05).build());
    sc.add(slowK("clients50-2of5-3x", 5, 2, 3).toBuilder().clients(50).build());
    sc.add(slowK("clients2-2of5-3x", 5, 2, 3).toBuilder().clients(2).build());
    sc.add(slowK("clients1-1of5-5x", 5, 1, 5).toBuilder().clients(1).utilisation(0.1).build());
    sc.add(b("ramp-3nodes").server(2, ServerSpec.normal().slowdown(Slowdown.ramp(Duration.ofSeconds(10), Duration.ofSeconds(60), 8))).server(3, ServerSpec.normal().slowdown(Slowdown.ramp(Duration.ofSeconds(20), Duration.ofSeconds(70), 8))).server(4, ServerSpec.normal().slowdown(Slowdown.ramp(Duration.ofSeconds(30), Duration.ofSeconds(80), 8))).worstServer(4).build());
    sc.add(b("window-2of5-5x").server(3, ServerSpec.normal().slowdown(Slowdown.window(Duration.ofSeconds(30), Duration.ofSeconds(60), 5))).server(4, ServerSpec.normal().slowdown(Slowdown.window(Duration.ofSeconds(50), Duration.ofSeconds(90), 5))).worstServer(4).build());
    sc.add(slowK("workers1-1of5-5x", 5, 1, 5).toBuilder().workers(1).build());
    sc.add(slowK("workers16-2of5-3x", 5, 2, 3).toBuilder().workers(16).build());
    if (a.length > 1) { Set<String> keep = new HashSet<>(Arrays.asList(a[1].split(","))); sc.removeIf(s -> !keep.contains(s.name())); }
    String[] policies = a[0].split(",");
    long[] seeds = {42, 7, 1234};
    ExecutorService ex = Executors.newFixedThreadPool(2);
    Map<String, Future<RunResult>> f = new LinkedHashMap<>();
    for (Scenario s : sc) for (long seed : seeds) for (String p : policies) {
      Scenario s2 = s.toBuilder().seed(seed).build();
      f.put(s.name() + "|" + seed + "|" + p, ex.submit(() -> Simulation.run(s2, SimPolicy.byName(p))));
    }
    System.out.printf("%-22s %-14s %s%n", "scenario", "policy", "p99/oracle per seed (p99.9/oracle) failed%");
    for (Scenario s : sc) for (String p : policies) {
      if (p.equals("oracle")) continue;
      StringBuilder line = new StringBuilder();
      for (long seed : seeds) {
        RunResult r = f.get(s.name() + "|" + seed + "|" + p).get(), o = f.get(s.name() + "|" + seed + "|oracle").get();
        line.append(String.format("%5.2f(%5.2f) ", r.p99Nanos() / o.p99Nanos(), r.p999Nanos() / o.p999Nanos()));
        if (r.failedShare() > 0) line.append(String.format("F%.2f%% ", 100 * r.failedShare()));
      }
      System.out.printf("%-22s %-14s %s%n", s.name(), p, line);
    }
    ex.shutdown();
  }
}
