package io.smartqueryrouter.examples;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeSnapshot;
import io.smartqueryrouter.core.Outcome;
import io.smartqueryrouter.core.OutlierEjection;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterBuilder;
import io.smartqueryrouter.core.RouterListener;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import io.smartqueryrouter.micrometer.RouterMetrics;
import io.smartqueryrouter.okhttp.HttpHealthProbe;
import io.smartqueryrouter.okhttp.RoutingInterceptor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The demo: four HTTP backends in this process with different latencies, called through an
 * {@link OkHttpClient} with the routing interceptor, by the chosen policy and by round-robin side
 * by side on the same backends. After a sixth of the run (10 s of the default 60 s) backend c
 * degrades step by step; at a third (20 s) backend b dies; at 35/60 (35 s) b comes back. Outlier
 * ejection and health checks are scaled to the run, so b is back in rotation well before the end
 * of a run of any allowed length. Every second it prints a table per router; at the end it
 * compares the two.
 *
 * <p>While it runs, both routers' meters ({@code router-micrometer}) are served in the Prometheus
 * format at {@code http://localhost:9464/metrics}.
 *
 * <p>Options: {@code --duration 60s}, {@code --policy pool-ewma}, {@code --clients 4},
 * {@code --metrics-port 9464} (0 picks a free port); {@code --help} lists them.
 */
public final class DemoMain {
    private static final Map<String, Long> BACKENDS = Map.of("a", 5L, "b", 8L, "c", 10L, "d", 12L);
    /** The shortest run in which each phase (c degrading, b down, b back) lasts at least a second or two. */
    static final Duration MIN_DURATION = Duration.ofSeconds(6);
    static final Duration MAX_DURATION = Duration.ofHours(24);
    static final String HELP = """
            DemoMain: four local HTTP backends; c degrades, b dies and comes back. The chosen policy and
            round-robin route the same calls side by side; a table per router every second, a summary at the end.

              --duration 60s          how long to run, from 6s to 24h; every phase scales with it
              --policy pool-ewma      any registered policy: %s
              --clients 4             callers per router, 1 to 64
              --metrics-port 9464     where Prometheus metrics are served (0: any free port)
              --help                  this text

            mvn -B -q -pl examples -am compile exec:java@demo -Dexec.args="--duration 30s --policy lowest-latency"
            """;

    private final Duration duration;
    private final String policy;
    private final int clients;
    private final PrintStream out;
    private final int metricsPort;
    private final Map<String, DemoBackend> backends = new LinkedHashMap<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile HttpServer metricsServer;
    private long startNanos;

    DemoMain(Duration duration, String policy, int clients, int metricsPort, PrintStream out) {
        this.duration = duration;
        this.policy = policy;
        this.clients = clients;
        this.metricsPort = metricsPort;
        this.out = out;
    }

    /**
     * Runs the demo; see the class comment for the options.
     *
     * @param args the options
     * @throws Exception if the demo fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %5$s%6$s%n");
        String help = String.format(Locale.ROOT, HELP, String.join(", ", new java.util.TreeSet<>(RoutingPolicies.providers().keySet())));
        CommandLine.main("DemoMain", help, OPTIONS, args, o -> fromOptions(o, System.out).run());
    }

    static final java.util.Set<String> OPTIONS = new java.util.LinkedHashSet<>(
            List.of("--duration", "--policy", "--clients", "--metrics-port"));

    /** Builds the demo from parsed options, refusing bad values in one line. */
    static DemoMain fromOptions(CommandLine o, PrintStream out) throws CommandLine.UsageException {
        Duration duration = o.duration("--duration", Duration.ofSeconds(60), MIN_DURATION, MAX_DURATION);
        String policy = o.string("--policy", "pool-ewma");
        java.util.Set<String> policies = new java.util.TreeSet<>(RoutingPolicies.providers().keySet());
        if (!policies.contains(policy)) {
            throw new CommandLine.UsageException("--policy '" + policy + "' is not a registered policy; registered: "
                    + String.join(", ", policies));
        }
        int clients = o.integer("--clients", 4, 1, 64);
        int metricsPort = o.integer("--metrics-port", 9464, 0, 65535);
        return new DemoMain(duration, policy, clients, metricsPort, out);
    }

    /** What one router achieved over the run. */
    record Result(String router, String policy, long calls, long failed, double p50Millis, double p99Millis,
            double shareOnDegradedSecondHalf, Map<String, Long> failures) {
    }

    /** Per-node latencies of the current one-second window, and ejections, fed by the router's events. */
    private static final class Window implements RouterListener {
        private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
        private final Map<String, AtomicLong> ejections = new ConcurrentHashMap<>();

        @Override
        public void onAttemptCompleted(String router, Node<?> node, Outcome outcome, long latencyNanos, int attempt) {
            List<Long> list = latencies.computeIfAbsent(node.id(), k -> new ArrayList<>());
            synchronized (list) {
                list.add(latencyNanos);
            }
        }

        @Override
        public void onEjected(String router, Node<?> node, Duration d) {
            ejections.computeIfAbsent(node.id(), k -> new AtomicLong()).incrementAndGet();
        }

        /** Returns and clears the window of one node, sorted. */
        long[] drain(String node) {
            List<Long> list = latencies.computeIfAbsent(node, k -> new ArrayList<>());
            synchronized (list) {
                long[] sorted = list.stream().mapToLong(Long::longValue).sorted().toArray();
                list.clear();
                return sorted;
            }
        }

        long ejections(String node) {
            AtomicLong n = ejections.get(node);
            return n == null ? 0 : n.get();
        }
    }

    /** Whole-run results of one router's callers. */
    private static final class Tally {
        private final List<Long> latencies = new ArrayList<>();
        private final Map<String, Long> secondHalf = new ConcurrentHashMap<>();
        private final AtomicLong failed = new AtomicLong();
        /** Why calls failed (an HTTP status, or the exception), and how often. */
        private final Map<String, Long> failures = new ConcurrentHashMap<>();

        void failed(String why) {
            failed.incrementAndGet();
            failures.merge(why, 1L, Long::sum);
        }

        synchronized void ok(String node, long nanos, boolean inSecondHalf) {
            latencies.add(nanos);
            if (inSecondHalf) {
                secondHalf.merge(node, 1L, Long::sum);
            }
        }

        synchronized long[] sorted() {
            return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    private Router<HttpUrl> router(String name, RoutingPolicy routingPolicy, Window window) {
        RouterBuilder<HttpUrl> b = Router.<HttpUrl>builder(name)
                .policy(routingPolicy)
                .outlierEjection(ejection())
                .healthCheck(HealthCheck.of(HttpHealthProbe.get("/health")).interval(Duration.ofMillis(500))
                        .timeout(Duration.ofMillis(250)).fall(2).rise(2))
                .listener(window);
        backends.values().forEach(be -> b.node(Node.of(be.id, HttpUrl.get(be.baseUrl()))));
        return b.build();
    }

    /**
     * Ejection scaled to the run: the default (30 s, growing to 300 s) would keep b out long after it
     * came back in any run shorter than a few minutes, while the header says b is up. b is down for a
     * quarter of the run; an ejection lasts at most a twelfth, so b is in rotation again for the last
     * sixth at least.
     */
    private OutlierEjection ejection() {
        Duration max = duration.dividedBy(12);
        Duration base = duration.dividedBy(60);
        return OutlierEjection.builder().baseEjection(base).maxEjection(max).build();
    }

    List<Result> run() throws Exception {
        // first: a port in use refuses the run before anything is started (and before it, the setting every
        // server of the JVM takes from the first: without it each call waited some 40 ms on delayed ACKs)
        DemoBackend.sendSmallResponsesAtOnce();
        metricsServer = serveMetrics();
        for (Map.Entry<String, Long> e : new java.util.TreeMap<>(BACKENDS).entrySet()) {
            backends.put(e.getKey(), new DemoBackend(e.getKey(), e.getValue()));
        }
        Window smartWindow = new Window();
        Window baselineWindow = new Window();
        Router<HttpUrl> smart = router("demo", RoutingPolicies.byName(policy), smartWindow);
        Router<HttpUrl> baseline = router("baseline", RoutingPolicies.roundRobin(), baselineWindow);
        // percentile histograms so dashboards can compute p99 per node across scrapes
        RouterMetrics metrics = RouterMetrics.builder().router(smart).router(baseline).percentileHistogram(true).build();
        metrics.bindTo(registry);
        OkHttpClient client = new OkHttpClient.Builder()
                .addInterceptor(RoutingInterceptor.builder().route("demo", smart).route("baseline", baseline).build())
                .callTimeout(Duration.ofSeconds(2))
                .build();
        Tally smartTally = new Tally();
        Tally baselineTally = new Tally();
        ExecutorService callers = Executors.newFixedThreadPool(clients * 2);
        startNanos = System.nanoTime();
        long end = startNanos + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            callers.execute(() -> callLoop(client, "demo", smartTally, end));
            callers.execute(() -> callLoop(client, "baseline", baselineTally, end));
        }
        out.printf(Locale.ROOT, "SmartQueryRouter demo: 4 local backends (a 5 ms, b 8 ms, c 10 ms, d 12 ms), %d clients "
                + "per router, %s, '%s' against round-robin on the same backends%n", clients, duration, policy);
        out.printf(Locale.ROOT, "  at %s c starts to degrade, at %s b dies, at %s b comes back%n",
                at(10), at(20), at(35));
        out.printf(Locale.ROOT, "  Prometheus metrics: http://localhost:%d/metrics%n", metricsServer.getAddress().getPort());
        try {
            // one table per second of the run, each at its own second from the start: printing takes time,
            // and sleeping a second after each table would drift and drop the last one on a busy machine
            long seconds = (duration.toNanos() + 999_999_999L) / 1_000_000_000L;
            for (int second = 1; second <= seconds; second++) {
                long tick = Math.min(end, startNanos + second * 1_000_000_000L);
                for (long left = tick - System.nanoTime(); left > 0; left = tick - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.sleep(left);
                }
                scenario();
                out.printf(Locale.ROOT, "%n-- t=%ds  c answers in %d ms, b is %s%n", second,
                        backends.get("c").delayMillis(), backends.get("b").isUp() ? "up" : "DOWN");
                printTable(smart.snapshot(), smartWindow);
                printTable(baseline.snapshot(), baselineWindow);
            }
        } finally {
            callers.shutdown();
            callers.awaitTermination(5, TimeUnit.SECONDS);
            metricsServer.stop(0);
            metrics.close();
            smart.close();
            baseline.close();
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
            backends.values().forEach(DemoBackend::close);
        }
        List<Result> results = List.of(summary("demo", policy, smartTally), summary("baseline", "round-robin", baselineTally));
        out.println();
        out.println("== summary (same backends, same time, side by side)");
        for (Result r : results) {
            out.printf(Locale.ROOT, "  %-15s calls %6d  failed %4d  p50 %7.1f ms  p99 %7.1f ms  share on c in the second half %5.1f%%%n",
                    r.policy(), r.calls(), r.failed(), r.p50Millis(), r.p99Millis(), r.shareOnDegradedSecondHalf());
            r.failures().forEach((why, n) -> out.printf(Locale.ROOT, "    %d failed: %s%n", n, why));
        }
        return results;
    }

    /** Serves the registry's Prometheus text at /metrics. */
    private HttpServer serveMetrics() throws IOException, CommandLine.UsageException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(metricsPort), 16);
        } catch (java.net.BindException e) {
            throw new CommandLine.UsageException("cannot serve metrics on port " + metricsPort + " (" + e.getMessage()
                    + "); choose another with --metrics-port, or 0 for any free port");
        }
        server.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    /** Returns the Prometheus text of the meters right now (for tests). */
    String scrape() {
        return registry.scrape();
    }

    /** Returns the port the metrics are served on while the demo runs. */
    int metricsPort() {
        return metricsServer.getAddress().getPort();
    }

    private String at(int secondsOf60) {
        return duration.multipliedBy(secondsOf60).dividedBy(60).toMillis() / 1000.0 + "s";
    }

    private void callLoop(OkHttpClient client, String host, Tally tally, long end) {
        Request request = new Request.Builder().url("http://" + host + "/work").build();
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
            long t0 = System.nanoTime();
            try (Response response = client.newCall(request).execute()) {
                String body = response.body().string();
                if (!response.isSuccessful()) {
                    tally.failed("HTTP " + response.code());
                    continue;
                }
                tally.ok(body.substring(body.lastIndexOf(' ') + 1), System.nanoTime() - t0,
                        t0 - startNanos > duration.toNanos() / 2);
            } catch (IOException e) {
                tally.failed(e.getCause() == null ? e.toString() : e + " (cause: " + e.getCause() + ")");
            }
        }
    }

    private void scenario() throws IOException {
        double progress = (System.nanoTime() - startNanos) / (double) duration.toNanos();
        DemoBackend c = backends.get("c");
        if (progress >= 10 / 60.0) {
            c.delayMillis(Math.min(400, c.delayMillis() + 25));
        }
        DemoBackend b = backends.get("b");
        if (progress >= 20 / 60.0 && progress < 35 / 60.0) {
            b.kill();
        } else if (progress >= 35 / 60.0) {
            b.revive();
        }
    }

    private void printTable(RouterSnapshot s, Window window) {
        Map<String, long[]> last = new LinkedHashMap<>();
        long total = 0;
        for (NodeSnapshot n : s.nodes()) {
            long[] sorted = window.drain(n.id());
            last.put(n.id(), sorted);
            total += sorted.length;
        }
        out.printf(Locale.ROOT, "  %-8s %-15s %-6s %-9s %6s %8s %8s %10s %9s%n", s.router(),
                s.policy(), "node", "state", "share", "p50", "p99", "peak-ewma", "ejections");
        for (NodeSnapshot n : s.nodes()) {
            long[] sorted = last.get(n.id());
            String state = !n.healthy() ? "UNHEALTHY" : n.ejected() ? "EJECTED" : n.coolingDown() ? "COOLING" : "up";
            out.printf(Locale.ROOT, "  %-24s %-6s %-9s %5.1f%% %6.1fms %6.1fms %8.1fms %9d%n", "", n.id(), state,
                    total == 0 ? 0.0 : 100.0 * sorted.length / total, millis(sorted, 0.50), millis(sorted, 0.99),
                    n.peakEwma().toNanos() / 1e6, window.ejections(n.id()));
        }
    }

    private static double millis(long[] sorted, double q) {
        return percentile(sorted, q) / 1e6;
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
    }

    private static Result summary(String router, String policy, Tally t) {
        long[] sorted = t.sorted();
        long late = t.secondHalf.values().stream().mapToLong(Long::longValue).sum();
        return new Result(router, policy, sorted.length + t.failed.get(), t.failed.get(), millis(sorted, 0.50),
                millis(sorted, 0.99), late == 0 ? 0.0 : 100.0 * t.secondHalf.getOrDefault("c", 0L) / late,
                Map.copyOf(t.failures));
    }

    @Override
    public String toString() {
        return "DemoMain" + Arrays.asList(duration, policy, clients);
    }
}
