package io.smartqueryrouter.examples;

import com.sun.net.httpserver.HttpServer;
import io.smartqueryrouter.core.AttemptsFailedException;
import io.smartqueryrouter.core.HealthCheck;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.NodeSnapshot;
import io.smartqueryrouter.core.RetryPolicy;
import io.smartqueryrouter.core.Router;
import io.smartqueryrouter.core.RouterSnapshot;
import io.smartqueryrouter.core.RoutingPolicies;
import io.smartqueryrouter.core.TcpProbe;
import io.smartqueryrouter.core.spi.RoutingPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The core-only demo: three HTTP backends in this process, one of which degrades and another of
 * which dies and comes back, called through two routers side by side: the default
 * {@code p2c-peak-ewma} and plain {@code round-robin}. Every second it prints where the traffic
 * went; at the end it compares the two on the same backends.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests install exec:java}; options
 * {@code --duration 20s}, {@code --clients 4}, {@code --policy p2c-peak-ewma}.
 */
public final class CoreDemo {
    private static final List<String> NODES = List.of("a", "b", "c");

    private final Duration duration;
    private final int clients;
    private final String policy;
    private final PrintStream out;
    private final long startNanos = System.nanoTime();
    private final Map<String, Backend> backends = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> lastRequests = new HashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    CoreDemo(Duration duration, int clients, String policy, PrintStream out) {
        this.duration = duration;
        this.clients = clients;
        this.policy = policy;
        this.out = out;
    }

    /** Runs the demo; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %5$s%6$s%n");
        Duration duration = Duration.ofSeconds(20);
        int clients = 4;
        String policy = "p2c-peak-ewma";
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--duration" -> duration = Duration.parse("PT" + value.toUpperCase(Locale.ROOT));
                case "--clients" -> clients = Integer.parseInt(value);
                case "--policy" -> policy = value;
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "'; allowed: --duration 20s, --clients 4, --policy <name>");
            }
            i++;
        }
        new CoreDemo(duration, clients, policy, System.out).run();
    }

    /** A local HTTP backend whose latency and liveness the scenario changes while it runs. */
    private static final class Backend {
        final String id;
        final int port;
        volatile long delayMillis = 5;
        private HttpServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "demo-backend");
            t.setDaemon(true);
            return t;
        });

        Backend(String id) throws IOException {
            this.id = id;
            this.server = start(0);
            this.port = server.getAddress().getPort();
        }

        private HttpServer start(int p) throws IOException {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 64);
            s.createContext("/", exchange -> {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = ("hello from " + id).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            s.setExecutor(pool);
            s.start();
            return s;
        }

        synchronized void kill() {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }

        synchronized void revive() throws IOException {
            if (server == null) {
                server = start(port);
            }
        }

        void close() {
            kill();
            pool.shutdownNow();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + port + "/");
        }
    }

    /** Per-router results: latencies of successful calls, failures, and calls per node. */
    private static final class Tally {
        final List<Long> latenciesMicros = new ArrayList<>();
        final Map<String, Long> perNode = new HashMap<>();
        final Map<String, Long> perNodeSecondHalf = new HashMap<>();
        final AtomicLong failed = new AtomicLong();

        synchronized void ok(String node, long micros, boolean secondHalf) {
            latenciesMicros.add(micros);
            perNode.merge(node, 1L, Long::sum);
            if (secondHalf) {
                perNodeSecondHalf.merge(node, 1L, Long::sum);
            }
        }

        synchronized long[] sorted() {
            return latenciesMicros.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    private String fetch(URI endpoint) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(1)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 500) {
            throw new IOException("HTTP " + r.statusCode());
        }
        return r.body();
    }

    private Router<URI> router(String name, RoutingPolicy routingPolicy) {
        Router.Builder<URI> builder = Router.<URI>builder(name)
                .policy(routingPolicy)
                .healthCheck(HealthCheck.of(TcpProbe.forUri()).interval(Duration.ofMillis(500))
                        .timeout(Duration.ofMillis(200)).fall(2).rise(2))
                .retry(RetryPolicy.builder().maxAttempts(3).build());
        backends.values().forEach(b -> builder.node(Node.of(b.id, b.uri())));
        return builder.build();
    }

    /** What one router achieved over the run. */
    record Result(String policy, long calls, long failed, double p50Millis, double p99Millis, double shareOnDegraded,
            double shareOnDegradedSecondHalf) {
    }

    List<Result> run() throws Exception {
        // without TCP_NODELAY the JDK server's small responses wait ~40 ms on delayed ACKs
        System.setProperty("sun.net.httpserver.nodelay", "true");
        for (String id : NODES) {
            backends.put(id, new Backend(id));
        }
        Router<URI> smart = router("smart", RoutingPolicies.byName(policy));
        Router<URI> baseline = router("baseline", RoutingPolicies.roundRobin());
        Tally smartTally = new Tally();
        Tally baselineTally = new Tally();
        ExecutorService callers = Executors.newFixedThreadPool(clients * 2);
        long end = startNanos + duration.toNanos();
        for (int i = 0; i < clients; i++) {
            callers.execute(() -> callLoop(smart, smartTally, end));
            callers.execute(() -> callLoop(baseline, baselineTally, end));
        }
        out.printf(Locale.ROOT, "SmartQueryRouter core demo: 3 local backends, %d clients per router, %s; "
                + "'%s' against round-robin on the same backends%n", clients, duration, policy);
        out.println("  c degrades from 25% of the run, b dies at 50% and comes back at 75%");
        out.println("  each line: node[state] share of the last second's attempts, Peak-EWMA latency");
        try {
            int second = 0;
            while (System.nanoTime() < end) {
                TimeUnit.SECONDS.sleep(1);
                second++;
                scenario();
                out.printf(Locale.ROOT, "%n-- t=%ds  c delay %d ms, b %s%n", second, backends.get("c").delayMillis,
                        backends.get("b").server == null ? "DOWN" : "up");
                printShares(smart.snapshot());
                printShares(baseline.snapshot());
            }
        } finally {
            callers.shutdown();
            callers.awaitTermination(5, TimeUnit.SECONDS);
            smart.close();
            baseline.close();
            backends.values().forEach(Backend::close);
        }
        out.println();
        out.println("== summary (same backends, same time, side by side)");
        List<Result> results = List.of(summary(policy, smartTally), summary("round-robin", baselineTally));
        for (Result r : results) {
            out.printf(Locale.ROOT, "  %-15s calls %6d  failed %4d  p50 %7.1f ms  p99 %7.1f ms  share on c %5.1f%%"
                    + " (second half %5.1f%%)%n", r.policy(), r.calls(), r.failed(), r.p50Millis(), r.p99Millis(),
                    r.shareOnDegraded(), r.shareOnDegradedSecondHalf());
        }
        return results;
    }

    private void callLoop(Router<URI> router, Tally tally, long end) {
        while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
            long t0 = System.nanoTime();
            try {
                String body = router.execute(node -> fetch(node.endpoint()));   // picks, times, fails over
                tally.ok(body.substring(body.lastIndexOf(' ') + 1), (System.nanoTime() - t0) / 1000,
                        t0 - startNanos > duration.toNanos() / 2);
            } catch (AttemptsFailedException e) {
                tally.failed.incrementAndGet();
            }
        }
    }

    private void scenario() throws IOException {
        double progress = (System.nanoTime() - startNanos) / (double) duration.toNanos();
        Backend c = backends.get("c");
        if (progress >= 0.25) {
            c.delayMillis = Math.min(300, c.delayMillis + 40);
        }
        Backend b = backends.get("b");
        if (progress >= 0.5 && progress < 0.75) {
            b.kill();
        } else if (progress >= 0.75) {
            b.revive();
        }
    }

    /** Prints each node's share of the attempts since the previous line, its state and Peak-EWMA. */
    private void printShares(RouterSnapshot s) {
        Map<String, Long> before = lastRequests.computeIfAbsent(s.router(), k -> new HashMap<>());
        long total = s.nodes().stream().mapToLong(n -> n.requests() - before.getOrDefault(n.id(), 0L)).sum();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-8s %-15s", s.router(), s.policy()));
        for (NodeSnapshot n : s.nodes()) {
            String state = !n.healthy() ? "DOWN" : n.ejected() ? "EJECT" : "up";
            long delta = n.requests() - before.getOrDefault(n.id(), 0L);
            line.append(String.format(Locale.ROOT, "  %s[%-5s] %5.1f%% %6.1fms", n.id(), state,
                    total == 0 ? 0.0 : 100.0 * delta / total, n.peakEwma().toNanos() / 1e6));
            before.put(n.id(), n.requests());
        }
        out.println(line);
    }

    private static Result summary(String name, Tally t) {
        long[] sorted = t.sorted();
        long ok = sorted.length;
        long late = t.perNodeSecondHalf.values().stream().mapToLong(Long::longValue).sum();
        return new Result(name, ok + t.failed.get(), t.failed.get(), percentile(sorted, 0.50) / 1000.0,
                percentile(sorted, 0.99) / 1000.0, ok == 0 ? 0.0 : 100.0 * t.perNode.getOrDefault("c", 0L) / ok,
                late == 0 ? 0.0 : 100.0 * t.perNodeSecondHalf.getOrDefault("c", 0L) / late);
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    @Override
    public String toString() {
        return "CoreDemo" + Arrays.asList(duration, clients, policy);
    }
}
