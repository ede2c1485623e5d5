package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.ConcurrencyLimit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Scenarios the suite does not name, drawn at random from the kinds of cluster a fleet has, to judge a policy
 * where nobody tuned it: cluster size (3 to 100 servers), workers per server (1 to 16), clients (1 to 50), load
 * (10% to 85%), service times (log-normal of two shapes, exponential, bimodal), and one trouble among none, a
 * share of slow nodes (one node to 40%, 1.5x to 10x), mixed speeds, flapping nodes (0.3 s to 8 s a phase) and
 * stop-the-world pauses. Each scenario is drawn from its own number, so {@code --from 40 --count 10} runs the
 * same scenarios in any run.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.sim.FleetSweep \
 *     [--from 0] [--count 60] [--policies pool-ewma,p2c-peak-ewma,predictive,least-in-flight,oracle | all] \
 *     [--duration 60s] [--threads 2] [--out sweep.csv] [--concurrency-limit on|off]
 * </pre>
 *
 * <p>{@code --policies all} runs every registered policy, {@code predictive-p2c} and the oracle. Prints, per
 * scenario, its setting and each policy's p99 and p99.9 over the oracle's and its failed share, and writes every
 * run as a CSV row ({@link Reports#csvHeader()}). {@code --concurrency-limit off} runs every router without its
 * concurrency limit (on: the defaults, as without the option), to tell what the limit sheds from what fails anyway.
 */
public final class FleetSweep {
    /** Kept here so the level set holds (a logger only weakly referenced may be collected). */
    private static final Logger ROUTER_LOGS = Logger.getLogger("io.smartqueryrouter");

    private FleetSweep() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Options o = Options.parse(args);
        List<Scenario> scenarios = new ArrayList<>();
        for (int n = o.from(); n < o.from() + o.count(); n++) {
            Scenario s = draw(n, o.duration());
            scenarios.add(o.limit() == null ? s : s.toBuilder().concurrencyLimit(o.limit()).build());
        }
        run(scenarios, o.policies(), o.threads(), o.out(), System.out);
    }

    /** The command line, checked: each bad value is refused with the option, the value and what is allowed. */
    record Options(int from, int count, List<SimPolicy> policies, Duration duration, int threads, Path out,
            ConcurrencyLimit limit) {
        private static final String KNOWN = "--from N, --count N, --policies a,b|all, --duration 60s, --threads N, "
                + "--out FILE, --concurrency-limit on|off";

        static Options parse(String[] args) {
            int from = 0;
            int count = 60;
            List<String> names =
                    List.of("pool-ewma", "p2c-peak-ewma", "predictive", "least-in-flight", SimPolicy.ORACLE);
            Duration duration = Duration.ofSeconds(60);
            int threads = Runtime.getRuntime().availableProcessors();
            Path out = null;
            ConcurrencyLimit limit = null;
            for (int i = 0; i < args.length; i += 2) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option '" + option + "' needs a value; options: " + KNOWN);
                }
                String value = args[i + 1];
                switch (option) {
                    case "--from" -> from = number(option, value, 0);
                    case "--count" -> count = number(option, value, 1);
                    case "--policies" -> names = List.of(value.split(","));
                    case "--duration" -> duration = duration(value);
                    case "--threads" -> threads = number(option, value, 1);
                    case "--out" -> out = Path.of(value);
                    case "--concurrency-limit" -> limit = SimulationSuite.concurrencyLimit(value);
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'; options: " + KNOWN);
                }
            }
            List<SimPolicy> policies = names.equals(List.of("all")) ? SimPolicy.all()
                    : names.stream().map(SimPolicy::byName).toList();
            return new Options(from, count, policies, duration, threads, out, limit);
        }

        private static int number(String option, String value, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException(option + " must be a whole number >= " + min + ", but was '" + value
                    + "'");
        }

        private static Duration duration(String value) {
            try {
                Duration d = Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
                if (!d.isNegative() && !d.isZero()) {
                    return d;
                }
            } catch (DateTimeParseException e) {
                // refused below
            }
            throw new IllegalArgumentException("--duration must be a positive time such as 60s or 2m, but was '" + value
                    + "'");
        }
    }

    /** The scenario numbered {@code n}: the same for the same number and duration. */
    public static Scenario draw(int n, Duration duration) {
        SplittableRandom r = new SplittableRandom(0x5EED_F1EE7L + n);
        int servers = pickInt(r, 3, 4, 5, 5, 8, 10, 20, 50, 100);
        int clients = pickInt(r, 1, 2, 10, 10, 10, 50);
        double utilisation = pickDouble(r, 0.1, 0.3, 0.5, 0.7, 0.7, 0.85);
        int serviceKind = r.nextInt(4);
        ServiceTime service = switch (serviceKind) {
            case 0 -> ServiceTime.logNormal(Duration.ofMillis(10), 0.5);
            case 1 -> ServiceTime.logNormal(Duration.ofMillis(10), 1.0);
            case 2 -> ServiceTime.exponential(Duration.ofMillis(10));
            default -> ServiceTime.bimodal(Duration.ofMillis(5), 0.5, pickDouble(r, 0.05, 0.1, 0.2),
                    pickDouble(r, 5, 10, 20));
        };
        Scenario.Builder b = Scenario.builder("sweep-" + n).servers(servers).clients(clients).utilisation(utilisation)
                .serviceTime(service).duration(duration).seed(1000 + n);
        String trouble;
        int kind = r.nextInt(6);
        switch (kind) {
            case 0 -> trouble = "none";
            case 1, 2 -> {
                int slow = Math.max(1, (int) Math.round(servers * pickDouble(r, 0.0, 0.1, 0.2, 0.4)));
                double factor = pickDouble(r, 1.5, 2, 3, 5, 10);
                for (int i = servers - slow; i < servers; i++) {
                    b.server(i, ServerSpec.normal().slower(factor));
                }
                b.worstServer(servers - 1);
                trouble = slow + " slow " + factor + "x";
            }
            case 3 -> {
                double[] speeds = new double[servers];
                double[] kinds = pickOf(r, new double[] {1, 2}, new double[] {1, 1, 2, 3, 4}, new double[] {1, 3, 10});
                for (int i = 0; i < servers; i++) {
                    speeds[i] = kinds[i % kinds.length];
                }
                b.speeds(speeds).worstServer(0);
                trouble = "speeds " + Arrays.toString(kinds);
            }
            case 4 -> {
                int flapping = Math.max(1, servers / 10);
                long half = pickLong(r, 300L, 1000L, 3000L, 8000L);
                double factor = pickDouble(r, 3, 10);
                for (int i = servers - flapping; i < servers; i++) {
                    Duration d = Duration.ofMillis(half + 100L * (i - servers + flapping));
                    b.server(i, ServerSpec.normal().slowdown(Slowdown.flapping(d, d, factor)));
                }
                b.worstServer(servers - 1);
                trouble = flapping + " flapping " + half + " ms " + factor + "x";
            }
            default -> {
                int pausing = Math.max(1, servers / 10);
                long every = pickLong(r, 2000L, 5000L);
                long length = pickLong(r, 100L, 300L, 600L);
                for (int i = servers - pausing; i < servers; i++) {
                    b.server(i, ServerSpec.normal().freezes(Duration.ofMillis(every + 300L * (i - servers + pausing)),
                            Duration.ofMillis(length)));
                }
                b.worstServer(servers - 1);
                trouble = pausing + " pausing " + length + " ms every " + every + " ms";
            }
        }
        // drawn last, so the rest of a numbered fleet is what it was when every server had four workers
        int workers = pickInt(r, 1, 2, 4, 4, 8, 16);
        b.workers(workers);
        return b.describe(servers + " servers x " + workers + " workers, " + clients + " clients, "
                + Math.round(utilisation * 100) + "%, " + service + "; " + trouble).build();
    }

    static void run(List<Scenario> scenarios, List<SimPolicy> policies, int threads, Path out, PrintStream log)
            throws IOException, InterruptedException {
        ROUTER_LOGS.setLevel(Level.WARNING);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<List<Future<RunResult>>> futures = new ArrayList<>();
            for (Scenario s : scenarios) {
                List<Future<RunResult>> runs = new ArrayList<>();
                for (SimPolicy p : policies) {
                    runs.add(pool.submit(() -> Simulation.run(s, p)));
                }
                futures.add(runs);
            }
            StringBuilder csv = new StringBuilder(Reports.csvHeader());
            int oracle = -1;
            for (int i = 0; i < policies.size(); i++) {
                if (policies.get(i).name().equals(SimPolicy.ORACLE)) {
                    oracle = i;
                }
            }
            for (int k = 0; k < scenarios.size(); k++) {
                List<RunResult> runs = new ArrayList<>();
                for (Future<RunResult> f : futures.get(k)) {
                    try {
                        runs.add(f.get());
                    } catch (ExecutionException e) {
                        throw new IllegalStateException(scenarios.get(k).name() + " failed", e.getCause());
                    }
                }
                csv.append(Reports.csvRows(runs));
                StringBuilder line = new StringBuilder(scenarios.get(k).name() + " [" + scenarios.get(k).description()
                        + "]");
                for (int i = 0; i < runs.size(); i++) {
                    RunResult run = runs.get(i);
                    line.append(String.format(Locale.ROOT, "  %s %.2f/%.2f %.2f%%", run.policy(),
                            oracle < 0 ? run.p99Nanos() / 1e6 : run.p99Nanos() / runs.get(oracle).p99Nanos(),
                            oracle < 0 ? run.p999Nanos() / 1e6 : run.p999Nanos() / runs.get(oracle).p999Nanos(),
                            100 * run.failedShare()));
                }
                log.println(line);
            }
            if (out != null) {
                Files.writeString(out, csv);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @SafeVarargs
    private static <T> T pickOf(SplittableRandom r, T... options) {
        return options[r.nextInt(options.length)];
    }

    private static int pickInt(SplittableRandom r, int... options) {
        return options[r.nextInt(options.length)];
    }

    private static long pickLong(SplittableRandom r, long... options) {
        return options[r.nextInt(options.length)];
    }

    private static double pickDouble(SplittableRandom r, double... options) {
        return options[r.nextInt(options.length)];
    }
}
