package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.HedgePolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs every scenario under every policy and writes, per scenario, a Markdown table, a CSV file
 * and an SVG chart of p99 over time, plus {@code summary.md} and {@code all.csv} with everything and
 * {@code overview.md}, the default's row per scenario ({@link SeedsOverview}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.sim.SimulationSuite --out benchmarks/results
 * </pre>
 *
 * Options: {@code --out DIR} (default {@code results}), {@code --scenarios a,b}, {@code --policies x,y}
 * (registered names and {@code oracle}), {@code --duration 120s}, {@code --seed N},
 * {@code --ejection off} (the routers' outlier ejection off, to see the policies on their own),
 * {@code --health-check on|off} (every router with or without active health checking, see
 * {@link Scenario.Probing#defaults()}), {@code --hedge on|off} (every router hedging after its recent
 * p95, as the {@code *-hedged} scenarios do, or none hedging), {@code --drop-abandoned on|off} (servers that drop work whose
 * caller gave up, or not), {@code --concurrency-limit on|off} (every router with the default
 * {@link io.smartqueryrouter.core.ConcurrencyLimit} or none), {@code --service exponential} (every scenario's service times exponential
 * of the same mean instead of its own distribution), {@code --seeds 42,7,1234} (each scenario on each seed; the tables give
 * {@code median [min-max]} per cell, the charts the first seed),
 * {@code --threads N} (default: the machine's cores), {@code --doc FILE} (replace the part of a
 * Markdown file between {@code <!-- simulation-tables:begin -->} and
 * {@code <!-- simulation-tables:end -->} with the tables and charts), {@code --overview FILE} (replace the part
 * between {@code <!-- seeds-overview:begin -->} and {@code <!-- seeds-overview:end -->} with {@code overview.md}: one
 * row per scenario, {@link SeedsOverview}). Runs are deterministic:
 * the same options give the same numbers, however many threads.
 */
public final class SimulationSuite {
    static final String DOC_BEGIN = "<!-- simulation-tables:begin -->";
    static final String DOC_END = "<!-- simulation-tables:end -->";

    /** The routers log each start and ejection at INFO; thousands of routers would drown the output. */
    private static final Logger ROUTER_LOGS = Logger.getLogger("io.smartqueryrouter");

    private SimulationSuite() {
    }

    /**
     * Runs the suite.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path out = Path.of(options.getOrDefault("out", "results"));
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : list(options.get("scenarios"))) {
            scenarios.add(Scenarios.byName(name));
        }
        if (scenarios.isEmpty()) {
            scenarios.addAll(Scenarios.all());
        }
        if (options.containsKey("duration") || options.containsKey("seed") || options.containsKey("ejection")
                || options.containsKey("health-check") || options.containsKey("drop-abandoned")
                || options.containsKey("concurrency-limit") || options.containsKey("hedge") || options.containsKey("service")) {
            List<Scenario> changed = new ArrayList<>();
            for (Scenario s : scenarios) {
                Scenario.Builder b = s.toBuilder();
                if (options.containsKey("duration")) {
                    b.duration(Duration.parse("PT" + options.get("duration").toUpperCase()));
                }
                if (options.containsKey("seed")) {
                    b.seed(Long.parseLong(options.get("seed")));
                }
                if (options.containsKey("ejection")) {
                    b.outlierEjection(onOff("ejection", options.get("ejection")));
                }
                if (options.containsKey("health-check")) {
                    b.healthCheck(onOff("health-check", options.get("health-check")) ? Scenario.Probing.defaults() : null);
                }
                if (options.containsKey("drop-abandoned")) {
                    b.dropAbandoned(onOff("drop-abandoned", options.get("drop-abandoned")));
                }
                if (options.containsKey("concurrency-limit")) {
                    b.concurrencyLimit(concurrencyLimit(options.get("concurrency-limit")));
                }
                if (options.containsKey("hedge")) {
                    b.hedge(onOff("hedge", options.get("hedge")) ? HedgePolicy.afterPercentile(0.95) : HedgePolicy.disabled());
                }
                if (options.containsKey("service")) {
                    b.serviceTime(serviceTime(options.get("service"), s.serviceTime()));
                }
                changed.add(b.build());
            }
            scenarios = changed;
        }
        List<SimPolicy> policies = new ArrayList<>();
        for (String name : list(options.get("policies"))) {
            policies.add(SimPolicy.byName(name));
        }
        if (policies.isEmpty()) {
            policies.addAll(SimPolicy.all());
        }
        int threads = Integer.parseInt(options.getOrDefault("threads",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        Path doc = options.containsKey("doc") ? Path.of(options.get("doc")) : null;
        List<Long> seeds = list(options.get("seeds")).stream().map(Long::parseLong).toList();
        if (!seeds.isEmpty() && options.containsKey("seed")) {
            throw new IllegalArgumentException("give --seed or --seeds, not both");
        }
        run(scenarios, policies, seeds, threads, out, doc, System.out);
        if (options.containsKey("overview")) {
            Reports.replaceSection(Path.of(options.get("overview")), SeedsOverview.DOC_BEGIN, SeedsOverview.DOC_END,
                    Files.readString(out.resolve("overview.md"), StandardCharsets.UTF_8) + "\n");
        }
    }

    /** Runs like {@link #run(List, List, List, int, Path, Path, PrintStream)} on each scenario's own seed. */
    public static Map<String, List<RunResult>> run(List<Scenario> scenarios, List<SimPolicy> policies, int threads,
            Path out, Path doc, PrintStream log) throws IOException, InterruptedException {
        Map<String, List<List<RunResult>>> bySeed = run(scenarios, policies, List.of(), threads, out, doc, log);
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        bySeed.forEach((name, runs) -> results.put(name, runs.get(0)));
        return results;
    }

    /**
     * Runs the scenarios under the policies on each of {@code seeds} (each scenario's own seed when
     * empty) on {@code threads} threads, writes the reports to {@code out} (and the tables into
     * {@code doc}, if not null) and prints progress to {@code log}.
     *
     * @return the runs, by scenario name, per seed, in policy order
     */
    public static Map<String, List<List<RunResult>>> run(List<Scenario> scenarios, List<SimPolicy> policies,
            List<Long> seeds, int threads, Path out, Path doc, PrintStream log) throws IOException, InterruptedException {
        ROUTER_LOGS.setLevel(Level.WARNING);
        long start = System.nanoTime();
        log.println("simulating " + scenarios.size() + " scenarios x " + policies.size() + " policies"
                + (seeds.isEmpty() ? "" : " x " + seeds.size() + " seeds") + " on " + threads + " threads");
        Map<String, List<List<Future<RunResult>>>> futures = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "simulation");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Scenario scenario : scenarios) {
                List<List<Future<RunResult>>> perSeed = new ArrayList<>();
                for (Scenario s : seeds.isEmpty() ? List.of(scenario)
                        : seeds.stream().map(seed -> scenario.toBuilder().seed(seed).build()).toList()) {
                    List<Future<RunResult>> runs = new ArrayList<>();
                    for (SimPolicy p : policies) {
                        runs.add(pool.submit(() -> Simulation.run(s, p)));
                    }
                    perSeed.add(runs);
                }
                futures.put(scenario.name(), perSeed);
            }
            Map<String, List<List<RunResult>>> results = new LinkedHashMap<>();
            Files.createDirectories(out);
            StringBuilder summary = new StringBuilder();
            StringBuilder all = new StringBuilder(Reports.csvHeader());
            for (Scenario s : scenarios) {
                List<List<RunResult>> bySeed = new ArrayList<>();
                List<RunResult> every = new ArrayList<>();
                for (List<Future<RunResult>> seedRuns : futures.get(s.name())) {
                    List<RunResult> runs = new ArrayList<>();
                    for (Future<RunResult> f : seedRuns) {
                        runs.add(get(f));
                    }
                    bySeed.add(runs);
                    every.addAll(runs);
                }
                results.put(s.name(), bySeed);
                List<RunResult> runs = bySeed.get(0);
                String table = Reports.markdownSeeds(s, bySeed);
                write(out.resolve(s.name() + ".md"), "## " + s.name() + "\n\n" + s.description() + ".\n\n"
                        + s.setting() + (seeds.isEmpty() ? "" : "; seeds " + seeds + ", median [min-max]") + ".\n\n" + table);
                StringBuilder csv = new StringBuilder();
                for (List<RunResult> seedRuns : bySeed) {
                    csv.append(Reports.csvRows(seedRuns));
                }
                write(out.resolve(s.name() + ".csv"), Reports.csvHeader() + csv);
                write(out.resolve(s.name() + "-p99.svg"), Reports.p99Chart(s, runs));
                all.append(csv);
                summary.append(section(s, table, s.name() + "-p99.svg"));
                long events = every.stream().mapToLong(RunResult::events).sum();
                double wall = every.stream().mapToLong(RunResult::wallNanos).sum() / 1e9;
                log.println();
                log.println("== " + s.name() + ": " + s.description() + " (" + events / 1_000_000 + "M events, "
                        + Format.number(wall, 1) + " s of run time)");
                log.print(table);
            }
            write(out.resolve("summary.md"), summary.toString().trim() + "\n");
            write(out.resolve("all.csv"), all.toString());
            write(out.resolve("overview.md"), SeedsOverview.markdown(SeedsOverview.parse(all.toString())));
            if (doc != null) {
                updateDoc(doc, out, scenarios, results);
            }
            log.println();
            log.println("wrote " + out.toAbsolutePath().normalize() + " in "
                    + Format.number((System.nanoTime() - start) / 1e9, 1) + " s");
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String section(Scenario s, String table, String chartPath) {
        return "### " + s.name() + "\n\n" + s.description() + ".\n\n" + table + "\n![p99 over time, " + s.name()
                + "](" + chartPath + ")\n\n";
    }

    private static void updateDoc(Path doc, Path out, List<Scenario> scenarios, Map<String, List<List<RunResult>>> results)
            throws IOException {
        Path base = doc.toAbsolutePath().getParent();
        StringBuilder sb = new StringBuilder();
        for (Scenario s : scenarios) {
            String chart = base.relativize(out.toAbsolutePath().resolve(s.name() + "-p99.svg")).toString().replace('\\', '/');
            sb.append(section(s, Reports.markdownSeeds(s, results.get(s.name())), chart));
        }
        Reports.replaceSection(doc, DOC_BEGIN, DOC_END, sb.toString());
    }

    private static RunResult get(Future<RunResult> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulation failed", e.getCause());
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    /** The routers' concurrency limit for {@code --concurrency-limit on|off}: the defaults, or none. */
    static io.smartqueryrouter.core.ConcurrencyLimit concurrencyLimit(String value) {
        return onOff("concurrency-limit", value) ? io.smartqueryrouter.core.ConcurrencyLimit.defaults()
                : io.smartqueryrouter.core.ConcurrencyLimit.disabled();
    }

    /**
     * The service time for {@code --service}: {@code exponential} of the scenario's own mean (a shorter
     * tail than the scenarios' log-normal at the median, a longer one at the top: a policy tuned on one
     * shape is checked on another), or {@code as-is}.
     */
    static ServiceTime serviceTime(String value, ServiceTime scenarios) {
        return switch (value) {
            case "exponential" -> ServiceTime.exponential(Duration.ofNanos(Math.round(scenarios.meanNanos())));
            case "as-is" -> scenarios;
            default -> throw new IllegalArgumentException("--service must be exponential or as-is, but was '" + value + "'");
        };
    }

    static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("--" + option + " must be on or off, but was '" + value + "'");
        };
    }

    private static List<String> list(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.stream(value.split(",")).map(String::trim).toList();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, but got '" + a + "'; options: --out DIR, "
                        + "--scenarios a,b, --policies x,y, --duration 120s, --seed N, --seeds 42,7,1234, --ejection on|off, --health-check on|off, "
                        + "--drop-abandoned on|off, --concurrency-limit on|off, --hedge on|off, --service exponential|as-is, --threads N, --doc FILE, --overview FILE");
            }
            options.put(a.substring(2), args[++i]);
        }
        return options;
    }
}
