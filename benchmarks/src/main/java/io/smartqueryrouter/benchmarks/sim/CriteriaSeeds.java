package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code RealSocketBenchmark}'s criteria rows in the simulator, over many seeds: the same cluster (four servers of
 * 4 workers with exponential 20 ms service, one of them faulty), one client sending open-loop Poisson calls at 20%
 * or 60% of the three healthy servers' capacity (120 or 360 calls/s), a router that lives for the run and is
 * measured from its start, a 400 ms attempt timeout; each run's p99.9 against that of the same seed's run on the
 * three healthy servers alone. On real sockets a criteria round takes a minute and the ratio of one round moves
 * 1.0-1.5x with the noise of a shared machine; here forty seeds take seconds and say how often a policy stays under
 * the line, and why not (the attempts sent to the faulty node).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.sim.CriteriaSeeds \
 *     [--policy pool-ewma] [--seeds 40] [--seconds 30] [--scenarios slow,pause] [--loads light,busy]
 * </pre>
 * {@code slow}: the faulty server serves 5x slower; {@code pause}: it freezes for 300 ms every 3 s. Seeds run from 1
 * to {@code --seeds}. Prints one Markdown table.
 */
public final class CriteriaSeeds {
    private static final int WORKERS = 4;
    private static final double SERVICE_MS = 20;
    private static final double HEALTHY_CAPACITY = 3 * WORKERS * 1000 / SERVICE_MS;
    private static final double SLOW_FACTOR = 5;
    /** The faulty server's index. */
    static final int FAULTY = 3;
    /** The p99.9 ratio the issue allows (with the faulty node / without it). */
    private static final double LINE = 1.2;

    private CriteriaSeeds() {
    }

    /**
     * One criteria run.
     *
     * @param scenario {@code slow} or {@code pause}, or {@code baseline} for the three healthy servers alone
     * @param load the offered load as a share of the three healthy servers' capacity
     * @param seconds the run's length
     * @param seed the seed
     * @return the scenario
     */
    static Scenario scenario(String scenario, double load, long seconds, long seed) {
        double rate = load * HEALTHY_CAPACITY;
        Scenario.Builder b = Scenario.builder("criteria-" + scenario).workers(WORKERS).clients(1)
                .serviceTime(ServiceTime.exponential(Duration.ofMillis((long) SERVICE_MS)))
                .timeout(Duration.ofMillis(400)).duration(Duration.ofSeconds(seconds)).seed(seed);
        switch (scenario) {
            case "baseline" -> b.servers(3).utilisation(load);
            case "slow" -> b.servers(4).server(FAULTY, ServerSpec.normal().slower(SLOW_FACTOR)).worstServer(FAULTY)
                    .utilisation(rate / (HEALTHY_CAPACITY + WORKERS * 1000 / SERVICE_MS / SLOW_FACTOR));
            case "pause" -> b.servers(4)
                    .server(FAULTY, ServerSpec.normal().freezes(Duration.ofSeconds(3), Duration.ofMillis(300)))
                    .worstServer(FAULTY).utilisation(rate / (HEALTHY_CAPACITY + WORKERS * 1000 / SERVICE_MS));
            default -> throw new IllegalArgumentException("scenario must be slow, pause or baseline, but was '" + scenario + "'");
        }
        return b.build();
    }

    /** What a scenario and load gave over the seeds. */
    record Row(String scenario, String load, double rate, double[] ratios, long[] faultyAttempts, double failedShare) {
        long over() {
            return Arrays.stream(ratios).filter(r -> r > LINE).count();
        }
    }

    /**
     * Runs the seeds of one scenario and load.
     *
     * @return the ratios (sorted) and the attempts on the faulty server per seed
     */
    static Row run(String policy, String scenario, String loadName, int seeds, long seconds) {
        double load = switch (loadName) {
            case "light" -> 0.2;
            case "busy" -> 0.6;
            default -> throw new IllegalArgumentException("--loads must name light or busy, but was '" + loadName + "'");
        };
        double[] ratios = new double[seeds];
        long[] faulty = new long[seeds];
        long calls = 0;
        long failed = 0;
        String faultyId = Scenario.nodeId(FAULTY);
        for (int i = 0; i < seeds; i++) {
            long seed = i + 1;
            Scenario withFaultScenario = scenario(scenario, load, seconds, seed);
            long[] onFaulty = new long[1];
            SimTrace trace = new SimTrace() {
                @Override
                public void begun(int client, long call, long nowNanos, String nodeId) {
                    count(nodeId);
                }

                @Override
                public void completed(int client, long call, long nowNanos, Outcome outcome) {
                }

                @Override
                public void retried(int client, long call, long nowNanos, String nodeId) {
                    count(nodeId);
                }

                private void count(String nodeId) {
                    if (faultyId.equals(nodeId)) {
                        onFaulty[0]++;
                    }
                }
            };
            RunResult withFault = Simulation.run(withFaultScenario, SimPolicy.byName(policy), trace);
            RunResult without = Simulation.run(scenario("baseline", load, seconds, seed), SimPolicy.byName(policy));
            ratios[i] = withFault.p999Nanos() / without.p999Nanos();
            faulty[i] = onFaulty[0];
            calls += withFault.calls();
            failed += withFault.failedCalls();
        }
        Arrays.sort(ratios);
        return new Row(scenario, loadName, load * HEALTHY_CAPACITY, ratios, faulty, calls == 0 ? 0 : (double) failed / calls);
    }

    private static long positive(String option, String value) {
        try {
            long n = Long.parseLong(value);
            if (n >= 1 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is allowed
        }
        throw new IllegalArgumentException(option + " must be a whole number from 1, but was '" + value + "'");
    }

    /**
     * Runs the criteria over the seeds and prints the table.
     *
     * @param args the options in the class comment
     */
    public static void main(String[] args) {
        Logger.getLogger("io.smartqueryrouter").setLevel(Level.SEVERE);
        String policy = "pool-ewma";
        int seeds = 40;
        long seconds = 30;
        List<String> scenarios = List.of("slow", "pause");
        List<String> loads = List.of("light", "busy");
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--policy" -> policy = v;
                case "--seeds" -> seeds = (int) positive(args[i], v);
                case "--seconds" -> seconds = positive(args[i], v);
                case "--scenarios" -> scenarios = List.of(v.split(","));
                case "--loads" -> loads = List.of(v.split(","));
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; known: --policy, --seeds, --seconds, --scenarios, --loads");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String scenario : scenarios) {
            for (String load : loads) {
                rows.add(run(policy, scenario, load, seeds, seconds));
            }
        }
        System.out.printf(Locale.ROOT, "%s, seeds 1-%d, %d s runs: p99.9 with the faulty server / without it%n%n",
                policy, seeds, seconds);
        System.out.println("| scenario | load | calls/s | median ratio [min-max] | seeds over 1.2x | attempts on the faulty server, median [max] per run | failed % |");
        System.out.println("|---|---|---:|---|---:|---|---:|");
        for (Row r : rows) {
            long[] f = r.faultyAttempts().clone();
            Arrays.sort(f);
            double[] q = r.ratios();
            System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2f [%.2f-%.2f] | %d of %d | %d [%d] | %.3f |%n", r.scenario(),
                    r.load(), r.rate(), q[q.length / 2], q[0], q[q.length - 1], r.over(), q.length, f[f.length / 2],
                    f[f.length - 1], 100 * r.failedShare());
        }
    }
}
