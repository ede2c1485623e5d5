package io.smartqueryrouter.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import io.smartqueryrouter.testkit.TcpProxy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Real OkHttp calls through a {@link RoutingInterceptor} against local HTTP backends on real
 * sockets: every registered policy side by side in interleaved rounds, open-loop load, latency
 * from each call's scheduled send time, failed calls counted in at the call timeout.
 *
 * <p>Each backend is a {@code com.sun.net.httpserver} server with a fixed number of worker threads
 * (requests queue beyond them) and exponential service times. A scenario has three healthy backends
 * and one faulty one: {@code slow} (5x the service time), {@code pause} (stops 300 ms every 3 s,
 * requests queue meanwhile), {@code 503} (answers 503 to 30% of calls) or {@code blackhole} (behind a
 * {@link TcpProxy} that accepts and never answers). The {@code baseline} scenario has the three healthy
 * backends only and runs the default policy, for the ratio "with the faulty node / without it".
 *
 * <p>Two parts. The <b>criteria</b> rows: the default policy, and the default hedged (in the pause
 * scenario and its baseline), each run one long-lived router for {@code --criteria-seconds},
 * measured from the router's start, so finding a faulty node counts but is diluted as it is in a
 * service that runs for hours; every round runs every scenario and baseline in a shuffled order and
 * the ratio to the baseline is taken within a round; they count the attempts on the faulty node, and of
 * those the ones that waited 90% of the read timeout or more (a black hole's discovery, or a trial
 * that waited the whole limit). The <b>tables</b>: every registered policy,
 * shorter runs after a warm-up that is not measured. The client's read (and connect, write) timeout,
 * 400 ms by default, is below its 1 s call timeout, so an attempt on a black hole fails over.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.RealSocketBenchmark \
 *     [--criteria-seconds 30] [--criteria-rounds 2] [--table-seconds 5] [--table-warmup 2] [--table-rounds 1] \
 *     [--service-ms 20] [--workers 4] [--read-timeout-ms 400] [--scenarios slow,pause,503,blackhole] \
 *     [--policies a,b] [--loads light|busy|both] [--only criteria|tables|both]
 * }</pre>
 * Prints Markdown tables: the criteria per load level, then one table per scenario and load level.
 */
public final class RealSocketBenchmark {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    private static final String[] SCENARIOS = {"slow", "pause", "503", "blackhole"};
    private static final String BASELINE = "baseline";
    /** Held so the level set in {@link #main} is not collected: the routers log each start and close at INFO. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("io.smartqueryrouter");
    private static final double[] LOADS = {0.2, 0.6};
    private static final String[] LOAD_NAMES = {"light (20% busy)", "near 60% busy"};

    private RealSocketBenchmark() {
    }

    /** What a backend does besides serving its exponential service time. */
    private enum Fault { NONE, SLOW, PAUSE, FAIL_503 }

    /** One local HTTP backend with a fixed worker pool. */
    private static final class Backend implements AutoCloseable {
        final HttpServer server;
        final ExecutorService workers;
        final long startNanos = System.nanoTime();
        volatile Fault fault = Fault.NONE;
        final double meanMs;
        /** Requests taken and not yet answered: a run's leftovers must drain before the next run. */
        final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();

        /** Whether no request is queued for or held by a worker. */
        boolean idle() {
            java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) workers;
            return busy.get() == 0 && pool.getQueue().isEmpty();
        }

        Backend(int workerCount, double meanMs) throws IOException {
            this.meanMs = meanMs;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
            workers = Executors.newFixedThreadPool(workerCount);
            server.setExecutor(workers);
            server.createContext("/", this::handle);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void handle(HttpExchange exchange) throws IOException {
            busy.incrementAndGet();
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                Fault f = fault;
                awaitPause(f);
                double mean = f == Fault.SLOW ? meanMs * 5 : meanMs;
                double u = ThreadLocalRandom.current().nextDouble();
                long serviceNanos = (long) (-Math.log(1 - u) * mean * 1_000_000);
                sleepNanos(serviceNanos);
                awaitPause(f);
                boolean fail = f == Fault.FAIL_503 && ThreadLocalRandom.current().nextDouble() < 0.3;
                byte[] body = (fail ? "busy" : "ok").getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } finally {
                busy.decrementAndGet();
            }
        }

        /** The pausing backend stops 300 ms out of every 3 s: a request in that window waits it out. */
        private void awaitPause(Fault f) {
            if (f != Fault.PAUSE) {
                return;
            }
            long inCycle = (System.nanoTime() - startNanos) % TimeUnit.SECONDS.toNanos(3);
            long pause = TimeUnit.MILLISECONDS.toNanos(300);
            if (inCycle < pause) {
                sleepNanos(pause - inCycle);
            }
        }

        @Override
        public void close() {
            server.stop(0);
            workers.shutdownNow();
        }
    }

    /**
     * One round's runs at one load level: every (scenario, policy) pair and the baseline with the
     * default policy, in an order shuffled by {@code shuffle}.
     *
     * @return pairs {scenario, policy}
     */
    static List<String[]> shuffledRuns(String[] scenarios, List<String> policies, String baseline,
            String defaultPolicy, Random shuffle) {
        List<String[]> runs = new ArrayList<>();
        for (String scenario : scenarios) {
            for (String policy : policies) {
                runs.add(new String[] {scenario, policy});
            }
        }
        runs.add(new String[] {baseline, defaultPolicy});
        Collections.shuffle(runs, shuffle);
        return runs;
    }

    static void sleepNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** The measurements of one run (or of several pooled): the calls scheduled after its warm-up. */
    private static final class Tally {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong failed = new AtomicLong();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong faultyAttempts = new AtomicLong();
        /** Attempts on the faulty node that ended after waiting 90% of the read timeout or more. */
        final AtomicLong faultyFullWaits = new AtomicLong();

        void addAll(Tally other) {
            latencies.addAll(other.latencies);
            failed.addAndGet(other.failed.get());
            attempts.addAndGet(other.attempts.get());
            faultyAttempts.addAndGet(other.faultyAttempts.get());
            faultyFullWaits.addAndGet(other.faultyFullWaits.get());
        }

        long[] sorted() {
            synchronized (latencies) {
                return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            }
        }

        double p999() {
            return pct(sorted(), 0.999);
        }

        double faultyShare() {
            return 100.0 * faultyAttempts.get() / Math.max(1, attempts.get());
        }

        /** Calls that took over {@code millis}, in percent of the calls. */
        double overPercent(double millis) {
            long[] s = sorted();
            long over = java.util.Arrays.stream(s).filter(l -> l > millis * 1e6).count();
            return 100.0 * over / Math.max(1, s.length);
        }
    }

    /** One run to make: a scenario, a policy (hedged or not), a load level, its seconds. */
    private record Spec(String scenario, String policy, boolean hedged, int load, double warmupSeconds,
            double seconds) {
        String key() {
            return scenario + "|" + load + "|" + policy + (hedged ? "+hedge" : "");
        }
    }

    /** The options, parsed from {@code --name value} pairs. */
    private static final class Options {
        double criteriaSeconds = 30;
        int criteriaRounds = 2;
        double tableSeconds = 5;
        double tableWarmup = 2;
        int tableRounds = 1;
        double meanMs = 20;
        int workers = 4;
        long readTimeoutMs = 400;
        List<String> scenarios = List.of(SCENARIOS);
        List<Integer> loads = List.of(0, 1);
        List<String> policies;
        String only = "both";

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                String name = args[i];
                if (!name.startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, but got '" + name + "'; options: "
                            + OPTIONS);
                }
                String v = args[i + 1];
                switch (name) {
                    case "--criteria-seconds" -> o.criteriaSeconds = positive(name, v);
                    case "--criteria-rounds" -> o.criteriaRounds = (int) positive(name, v);
                    case "--table-seconds" -> o.tableSeconds = positive(name, v);
                    case "--table-warmup" -> o.tableWarmup = nonNegative(name, v);
                    case "--table-rounds" -> o.tableRounds = (int) positive(name, v);
                    case "--service-ms" -> o.meanMs = positive(name, v);
                    case "--workers" -> o.workers = (int) positive(name, v);
                    case "--read-timeout-ms" -> o.readTimeoutMs = (long) positive(name, v);
                    case "--scenarios" -> o.scenarios = List.of(v.split(","));
                    case "--policies" -> o.policies = List.of(v.split(","));
                    case "--loads" -> o.loads = switch (v) {
                        case "light" -> List.of(0);
                        case "busy" -> List.of(1);
                        case "both" -> List.of(0, 1);
                        default -> throw new IllegalArgumentException("--loads must be light, busy or both, but was '" + v + "'");
                    };
                    case "--only" -> {
                        if (!List.of("criteria", "tables", "both").contains(v)) {
                            throw new IllegalArgumentException("--only must be criteria, tables or both, but was '" + v + "'");
                        }
                        o.only = v;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + name + "'; options: " + OPTIONS);
                }
            }
            for (String s : o.scenarios) {
                if (!List.of(SCENARIOS).contains(s)) {
                    throw new IllegalArgumentException("--scenarios: unknown scenario '" + s + "'; allowed: "
                            + String.join(", ", SCENARIOS));
                }
            }
            return o;
        }
    }

    private static final String OPTIONS = "--criteria-seconds 30, --criteria-rounds 2, --table-seconds 5, "
            + "--table-warmup 2, --table-rounds 1, --service-ms 20, --workers 4, --read-timeout-ms 400, "
            + "--scenarios slow,pause,503,blackhole, --policies a,b (default: all registered), "
            + "--loads light|busy|both, --only criteria|tables|both";

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param args {@code --name value} options (see the class comment)
     * @throws Exception if a backend cannot start
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // the JDK server writes headers and body apart: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        QUIET.setLevel(java.util.logging.Level.WARNING);
        if (o.readTimeoutMs >= CALL_TIMEOUT.toMillis()) {
            throw new IllegalArgumentException("--read-timeout-ms must be below the call timeout ("
                    + CALL_TIMEOUT.toMillis() + " ms) so a call can fail over, but was " + o.readTimeoutMs);
        }

        List<String> policies = o.policies != null ? o.policies : new ArrayList<>(RoutingPolicies.providers().keySet());
        policies.forEach(RoutingPolicies::byName);
        String defaultPolicy = RoutingPolicies.poolEwma().name();
        double healthyCapacity = 3 * o.workers * 1000.0 / o.meanMs;

        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backends.add(new Backend(o.workers, o.meanMs));
        }
        TcpProxy hole = TcpProxy.builder("127.0.0.1", backends.get(3).port()).name("blackhole").start();
        hole.blackHole();
        Random shuffle = new Random(42);
        long began = System.nanoTime();
        System.err.printf(Locale.ROOT, "warm-up%n");
        run(backends, hole, new Spec("slow", defaultPolicy, false, 0, 0, 3), healthyCapacity * 0.4, o, 7);

        System.out.printf(Locale.ROOT, "Run: mean service %s ms, %d workers per backend, healthy capacity (3 backends)"
                + " %.0f calls/s, call timeout %d ms, read and connect timeout %d ms%n%n", o.meanMs, o.workers,
                healthyCapacity, CALL_TIMEOUT.toMillis(), o.readTimeoutMs);

        if (!o.only.equals("tables")) {
            // the criteria rows: the default (and the default hedged) on long runs of one router each, measured from
            // the router's start, so discovering a faulty node counts but is diluted as in a long-lived service
            List<Map<String, Tally>> byRound = new ArrayList<>();
            for (int round = 1; round <= o.criteriaRounds; round++) {
                List<Spec> runs = new ArrayList<>();
                for (int l : o.loads) {
                    for (String scenario : o.scenarios) {
                        runs.add(new Spec(scenario, defaultPolicy, false, l, 0, o.criteriaSeconds));
                    }
                    runs.add(new Spec(BASELINE, defaultPolicy, false, l, 0, o.criteriaSeconds));
                    if (o.scenarios.contains("pause")) {
                        runs.add(new Spec("pause", defaultPolicy, true, l, 0, o.criteriaSeconds));
                        runs.add(new Spec(BASELINE, defaultPolicy, true, l, 0, o.criteriaSeconds));
                    }
                }
                Collections.shuffle(runs, shuffle);
                Map<String, Tally> results = new LinkedHashMap<>();
                for (Spec r : runs) {
                    results.put(r.key(), run(backends, hole, r, healthyCapacity * LOADS[r.load()], o,
                            round * 1000L + r.load()));
                }
                byRound.add(results);
                System.err.printf(Locale.ROOT, "criteria round %d done after %.0f s%n", round,
                        (System.nanoTime() - began) / 1e9);
            }
            criteria(byRound, o, defaultPolicy, healthyCapacity);
        }

        if (!o.only.equals("criteria")) {
            Map<String, Tally> totals = new LinkedHashMap<>();
            for (int round = 1; round <= o.tableRounds; round++) {
                List<Spec> runs = new ArrayList<>();
                for (int l : o.loads) {
                    for (String scenario : o.scenarios) {
                        for (String policy : policies) {
                            runs.add(new Spec(scenario, policy, false, l, o.tableWarmup, o.tableSeconds));
                        }
                    }
                    runs.add(new Spec(BASELINE, defaultPolicy, false, l, o.tableWarmup, o.tableSeconds));
                }
                Collections.shuffle(runs, shuffle);
                for (Spec r : runs) {
                    Tally t = run(backends, hole, r, healthyCapacity * LOADS[r.load()], o, round * 1000L + r.load());
                    totals.computeIfAbsent(r.key(), k -> new Tally()).addAll(t);
                }
                System.err.printf(Locale.ROOT, "table round %d done after %.0f s%n", round,
                        (System.nanoTime() - began) / 1e9);
            }
            System.out.printf(Locale.ROOT, "All policies: %s s per run after a %s s warm-up that is not measured,"
                    + " %d round(s) pooled%n%n", o.tableSeconds, o.tableWarmup, o.tableRounds);
            List<String> order = new ArrayList<>();
            if (policies.contains(defaultPolicy)) {
                order.add(defaultPolicy);
            }
            policies.stream().filter(p -> !p.equals(defaultPolicy)).forEach(order::add);
            for (String scenario : o.scenarios) {
                for (int l : o.loads) {
                    System.out.printf(Locale.ROOT, "### %s, %s (%.0f calls/s)%n%n", scenario, LOAD_NAMES[l],
                            healthyCapacity * LOADS[l]);
                    header();
                    for (String policy : order) {
                        row(policy.equals(defaultPolicy) ? "**" + policy + "** (default)" : policy,
                                totals.get(scenario + "|" + l + "|" + policy));
                    }
                    row(defaultPolicy + ", without the faulty node", totals.get(BASELINE + "|" + l + "|" + defaultPolicy));
                    System.out.println();
                }
            }
        }
        hole.close();
        backends.forEach(Backend::close);
    }

    /** Prints the criteria rows: per round and pooled, the default against the same round's run without the node. */
    private static void criteria(List<Map<String, Tally>> byRound, Options o, String policy, double capacity) {
        System.out.printf(Locale.ROOT, "Criteria: %s, one router per run, %s s per run measured from the router's"
                + " start, %d round(s)%n%n", policy, o.criteriaSeconds, byRound.size());
        Map<String, Tally> pooled = new LinkedHashMap<>();
        for (Map<String, Tally> round : byRound) {
            round.forEach((k, t) -> pooled.computeIfAbsent(k, x -> new Tally()).addAll(t));
        }
        for (int l : o.loads) {
            System.out.printf(Locale.ROOT, "#### criteria, %s (%.0f calls/s)%n%n", LOAD_NAMES[l], capacity * LOADS[l]);
            System.out.println("| run | p99.9 ms per round | p99.9 / without the node, per round | pooled p99.9 ms |"
                    + " pooled ratio | share to faulty node per round (attempts there, of which waited the read timeout)"
                    + " | calls over 100 ms % | failed % |");
            System.out.println("|---|---|---|---:|---:|---|---:|---:|");
            for (String hedge : new String[] {"", "+hedge"}) {
                String baseKey = BASELINE + "|" + l + "|" + policy + hedge;
                if (!pooled.containsKey(baseKey)) {
                    continue;
                }
                List<String> scenarios = new ArrayList<>(List.of(BASELINE));
                scenarios.addAll(o.scenarios);
                for (String scenario : scenarios) {
                    String key = scenario + "|" + l + "|" + policy + hedge;
                    Tally all = pooled.get(key);
                    if (all == null) {
                        continue;
                    }
                    StringBuilder p = new StringBuilder();
                    StringBuilder ratio = new StringBuilder();
                    StringBuilder share = new StringBuilder();
                    for (Map<String, Tally> round : byRound) {
                        Tally t = round.get(key);
                        Tally base = round.get(baseKey);
                        String sep = p.length() == 0 ? "" : " / ";
                        p.append(sep).append(String.format(Locale.ROOT, "%.1f", t.p999()));
                        ratio.append(sep).append(String.format(Locale.ROOT, "%.2f", t.p999() / base.p999()));
                        share.append(sep).append(String.format(Locale.ROOT, "%.2f%% (%d, %d)", t.faultyShare(),
                                t.faultyAttempts.get(), t.faultyFullWaits.get()));
                    }
                    System.out.printf(Locale.ROOT, "| %s%s | %s | %s | %.1f | %.2f | %s | %.2f | %.2f |%n", scenario,
                            hedge.isEmpty() ? "" : ", hedged", p, ratio, all.p999(), all.p999() / pooled.get(baseKey).p999(),
                            share, all.overPercent(100), 100.0 * all.failed.get() / Math.max(1, all.latencies.size()));
                }
            }
            System.out.println();
            for (String hedge : new String[] {"", "+hedge"}) {
                String key = BASELINE + "|" + l + "|" + policy + hedge;
                if (pooled.containsKey(key)) {
                    header();
                    for (String scenario : o.scenarios) {
                        row(scenario + (hedge.isEmpty() ? "" : ", hedged"), pooled.get(scenario + "|" + l + "|" + policy + hedge));
                    }
                    row("without the faulty node" + (hedge.isEmpty() ? "" : ", hedged"), pooled.get(key));
                    System.out.println();
                }
            }
        }
    }

    private static void header() {
        System.out.println("| policy | calls | failed % | p50 ms | p99 ms | p99.9 ms | attempts/call |"
                + " share to faulty node |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    }

    private static void row(String name, Tally t) {
        if (t == null) {
            return;
        }
        long[] sorted = t.sorted();
        long calls = sorted.length;
        System.out.printf(Locale.ROOT, "| %s | %d | %.2f | %.1f | %.1f | %.1f | %.3f | %.1f%% |%n", name, calls,
                100.0 * t.failed.get() / Math.max(1, calls), pct(sorted, 0.5), pct(sorted, 0.99), pct(sorted, 0.999),
                (double) t.attempts.get() / Math.max(1, calls),
                100.0 * t.faultyAttempts.get() / Math.max(1, t.attempts.get()));
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static double positive(String field, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v > 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(field + " must be a positive number, got '" + value + "'");
    }

    static double nonNegative(String field, String value) {
        try {
            double v = Double.parseDouble(value);
            if (v >= 0 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(field + " must be a number >= 0, got '" + value + "'");
    }

    /**
     * One open-loop run: a fresh router and client, Poisson arrivals for the warm-up and measured
     * seconds; only the calls scheduled after the warm-up (and the attempts begun after it) count.
     */
    private static Tally run(List<Backend> backends, TcpProxy hole, Spec spec, double rate, Options o, long seed)
            throws InterruptedException {
        String scenario = spec.scenario();
        Fault fault = switch (scenario) {
            case "slow" -> Fault.SLOW;
            case "pause" -> Fault.PAUSE;
            case "503" -> Fault.FAIL_503;
            default -> Fault.NONE;
        };
        backends.get(3).fault = fault;
        var builder = Router.<HttpUrl>builder("orders").policy(RoutingPolicies.byName(spec.policy()));
        if (spec.hedged()) {
            builder.hedge(HedgePolicy.afterPercentile(0.95));
        }
        int faultyPort;
        for (int i = 0; i < 3; i++) {
            builder.node(Node.of("n" + i, HttpUrl.get("http://127.0.0.1:" + backends.get(i).port() + "/")));
        }
        if (scenario.equals("blackhole")) {
            faultyPort = hole.port();
        } else if (scenario.equals(BASELINE)) {
            faultyPort = -1;
        } else {
            faultyPort = backends.get(3).port();
        }
        if (faultyPort > 0) {
            builder.node(Node.of("faulty", HttpUrl.get("http://127.0.0.1:" + faultyPort + "/")));
        }
        Tally tally = new Tally();
        long fullWaitNanos = TimeUnit.MILLISECONDS.toNanos(o.readTimeoutMs) * 9 / 10;
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(10_000);
        dispatcher.setMaxRequestsPerHost(10_000);
        ConnectionPool pool = new ConnectionPool(200, 1, TimeUnit.MINUTES);
        long start = System.nanoTime();
        long measureFrom = start + (long) (spec.warmupSeconds() * 1e9);
        builder.listener(new RouterListener() {
            @Override
            public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
                // an attempt that waited out (about) the read timeout on the faulty node: discovery, or a trial
                if (node.id().equals("faulty") && latencyNanos >= fullWaitNanos && System.nanoTime() - measureFrom >= 0) {
                    tally.faultyFullWaits.incrementAndGet();
                }
            }
        });
        try (Router<HttpUrl> router = builder.build();
                RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", router).build()) {
            Duration readTimeout = Duration.ofMillis(o.readTimeoutMs);
            OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher).connectionPool(pool)
                    .callTimeout(CALL_TIMEOUT).readTimeout(readTimeout).connectTimeout(readTimeout)
                    .writeTimeout(readTimeout)
                    .addInterceptor(interceptor)
                    .addNetworkInterceptor(chain -> {
                        if (System.nanoTime() - measureFrom >= 0) {
                            tally.attempts.incrementAndGet();
                            if (chain.request().url().port() == faultyPort) {
                                tally.faultyAttempts.incrementAndGet();
                            }
                        }
                        return chain.proceed(chain.request());
                    })
                    .build();
            Call.Factory calls = spec.hedged() ? interceptor.hedging(client) : client;
            Request request = new Request.Builder().url("http://orders/work").build();
            long total = (long) (rate * (spec.warmupSeconds() + spec.seconds()));
            CountDownLatch done = new CountDownLatch((int) total);
            Random arrivals = new Random(seed);
            long next = start;
            for (long i = 0; i < total; i++) {
                next += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                final long sendAt = next;
                final boolean measured = sendAt - measureFrom >= 0;
                calls.newCall(request).enqueue(new Callback() {
                    @Override
                    public void onFailure(Call call, IOException e) {
                        record(false, System.nanoTime() - sendAt);
                    }

                    @Override
                    public void onResponse(Call call, Response response) {
                        try (response) {
                            response.body().bytes();
                            record(response.isSuccessful(), System.nanoTime() - sendAt);
                        } catch (IOException e) {
                            record(false, System.nanoTime() - sendAt);
                        }
                    }

                    private void record(boolean ok, long took) {
                        if (measured) {
                            if (!ok) {
                                tally.failed.incrementAndGet();
                            }
                            tally.latencies.add(ok ? took : Math.max(CALL_TIMEOUT.toNanos(), took));
                        }
                        done.countDown();
                    }
                });
            }
            if (!done.await(CALL_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)) {
                System.err.printf(Locale.ROOT, "%s: %d calls still open at the end%n", spec.key(), done.getCount());
            }
            dispatcher.cancelAll();
            dispatcher.executorService().shutdown();
            pool.evictAll();
        }
        // a backend still works through requests whose callers gave up (a herding policy can queue thousands):
        // wait until every backend is idle, so the next run does not inherit this one's backlog
        long drainFrom = System.nanoTime();
        long deadline = drainFrom + TimeUnit.SECONDS.toNanos(120);
        while (!backends.stream().allMatch(Backend::idle) && System.nanoTime() - deadline < 0) {
            sleepNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        double drained = (System.nanoTime() - drainFrom) / 1e9;
        if (drained > 1) {
            System.err.printf(Locale.ROOT, "%s: backends drained in %.1f s%n", spec.key(), drained);
        }
        return tally;
    }
}
