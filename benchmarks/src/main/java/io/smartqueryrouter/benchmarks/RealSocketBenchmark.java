package io.smartqueryrouter.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.smartqueryrouter.core.Node;
import io.smartqueryrouter.core.Router;
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
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.RealSocketBenchmark \
 *     [secondsPerRun=3] [rounds=1] [meanServiceMs=20] [workers=4]
 * }</pre>
 * Prints one Markdown table per scenario and load level.
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

    /** The measurements of one run: one policy, one scenario, one load level, one round. */
    private static final class Tally {
        final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        final AtomicLong failed = new AtomicLong();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong faultyAttempts = new AtomicLong();

        void addAll(Tally other) {
            latencies.addAll(other.latencies);
            failed.addAndGet(other.failed.get());
            attempts.addAndGet(other.attempts.get());
            faultyAttempts.addAndGet(other.faultyAttempts.get());
        }
    }

    /**
     * Runs the benchmark and prints the tables.
     *
     * @param args optional: seconds per run (default 3), rounds (default 1), mean service time in ms
     *     (default 20), workers per backend (default 4)
     * @throws Exception if a backend cannot start
     */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? positive("secondsPerRun", args[0]) : 3;
        int rounds = args.length > 1 ? (int) positive("rounds", args[1]) : 1;
        double meanMs = args.length > 2 ? positive("meanServiceMs", args[2]) : 20;
        int workerCount = args.length > 3 ? (int) positive("workers", args[3]) : 4;
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // the JDK server writes headers and body apart: without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        QUIET.setLevel(java.util.logging.Level.WARNING);

        List<String> policies = new ArrayList<>(RoutingPolicies.providers().keySet());
        String defaultPolicy = RoutingPolicies.poolEwma().name();
        double healthyCapacity = 3 * workerCount * 1000.0 / meanMs;

        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            backends.add(new Backend(workerCount, meanMs));
        }
        TcpProxy hole = TcpProxy.builder("127.0.0.1", backends.get(3).port()).name("blackhole").start();
        hole.blackHole();

        // key: scenario|load|policy
        Map<String, Tally> totals = new LinkedHashMap<>();
        Random shuffle = new Random(42);
        long began = System.nanoTime();
        System.err.printf(Locale.ROOT, "warm-up%n");
        run(backends, hole, "slow", defaultPolicy, healthyCapacity * 0.4, Math.min(seconds, 3), 7);
        for (int round = 1; round <= rounds; round++) {
            for (int l = 0; l < LOADS.length; l++) {
                for (String[] r : shuffledRuns(SCENARIOS, policies, BASELINE, defaultPolicy, shuffle)) {
                    Tally t = run(backends, hole, r[0], r[1], healthyCapacity * LOADS[l], seconds,
                            round * 1000L + l);
                    totals.computeIfAbsent(r[0] + "|" + l + "|" + r[1], k -> new Tally()).addAll(t);
                }
                System.err.printf(Locale.ROOT, "round %d load %s done after %.0f s%n", round, LOAD_NAMES[l],
                        (System.nanoTime() - began) / 1e9);
            }
        }
        hole.close();
        backends.forEach(Backend::close);

        System.out.printf(Locale.ROOT, "Run: %s s per run, %d round(s), mean service %s ms, %d workers per backend,"
                + " healthy capacity (3 backends) %.0f calls/s, call timeout %d ms%n%n", seconds, rounds, meanMs,
                workerCount, healthyCapacity, CALL_TIMEOUT.toMillis());
        for (String scenario : SCENARIOS) {
            for (int l = 0; l < LOADS.length; l++) {
                System.out.printf(Locale.ROOT, "### %s, %s (%.0f calls/s)%n%n", scenario, LOAD_NAMES[l],
                        healthyCapacity * LOADS[l]);
                System.out.println("| policy | calls | failed % | p50 ms | p99 ms | p99.9 ms | attempts/call |"
                        + " share to faulty node |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
                List<String> order = new ArrayList<>();
                order.add(defaultPolicy);
                policies.stream().filter(p -> !p.equals(defaultPolicy)).forEach(order::add);
                for (String policy : order) {
                    row(policy.equals(defaultPolicy) ? "**" + policy + "** (default)" : policy,
                            totals.get(scenario + "|" + l + "|" + policy));
                }
                row(defaultPolicy + ", without the faulty node", totals.get(BASELINE + "|" + l + "|" + defaultPolicy));
                System.out.println();
            }
        }
    }

    private static void row(String name, Tally t) {
        if (t == null) {
            return;
        }
        long[] sorted = t.latencies.stream().mapToLong(Long::longValue).sorted().toArray();
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

    /** One open-loop run of one policy in one scenario: fresh router and client, Poisson arrivals. */
    private static Tally run(List<Backend> backends, TcpProxy hole, String scenario, String policy, double rate,
            double seconds, long seed) throws InterruptedException {
        Fault fault = switch (scenario) {
            case "slow" -> Fault.SLOW;
            case "pause" -> Fault.PAUSE;
            case "503" -> Fault.FAIL_503;
            default -> Fault.NONE;
        };
        backends.get(3).fault = fault;
        var builder = Router.<HttpUrl>builder("orders").policy(RoutingPolicies.byName(policy));
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
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(10_000);
        dispatcher.setMaxRequestsPerHost(10_000);
        ConnectionPool pool = new ConnectionPool(200, 1, TimeUnit.MINUTES);
        try (Router<HttpUrl> router = builder.build();
                RoutingInterceptor interceptor = RoutingInterceptor.builder().route("orders", router).build()) {
            OkHttpClient client = new OkHttpClient.Builder().dispatcher(dispatcher).connectionPool(pool)
                    .callTimeout(CALL_TIMEOUT).readTimeout(CALL_TIMEOUT).connectTimeout(CALL_TIMEOUT)
                    .addInterceptor(interceptor)
                    .addNetworkInterceptor(chain -> {
                        tally.attempts.incrementAndGet();
                        if (chain.request().url().port() == faultyPort) {
                            tally.faultyAttempts.incrementAndGet();
                        }
                        return chain.proceed(chain.request());
                    })
                    .build();
            Request request = new Request.Builder().url("http://orders/work").build();
            long total = (long) (rate * seconds);
            CountDownLatch done = new CountDownLatch((int) total);
            Random arrivals = new Random(seed);
            long start = System.nanoTime();
            long next = start;
            for (long i = 0; i < total; i++) {
                next += (long) (-Math.log(1 - arrivals.nextDouble()) / rate * 1e9);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    sleepNanos(wait);
                }
                final long sendAt = next;
                client.newCall(request).enqueue(new Callback() {
                    @Override
                    public void onFailure(Call call, IOException e) {
                        tally.failed.incrementAndGet();
                        tally.latencies.add(Math.max(CALL_TIMEOUT.toNanos(), System.nanoTime() - sendAt));
                        done.countDown();
                    }

                    @Override
                    public void onResponse(Call call, Response response) {
                        try (response) {
                            response.body().bytes();
                            long took = System.nanoTime() - sendAt;
                            if (response.isSuccessful()) {
                                tally.latencies.add(took);
                            } else {
                                tally.failed.incrementAndGet();
                                tally.latencies.add(Math.max(CALL_TIMEOUT.toNanos(), took));
                            }
                        } catch (IOException e) {
                            tally.failed.incrementAndGet();
                            tally.latencies.add(Math.max(CALL_TIMEOUT.toNanos(), System.nanoTime() - sendAt));
                        }
                        done.countDown();
                    }
                });
            }
            if (!done.await(CALL_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS)) {
                System.err.printf(Locale.ROOT, "%s/%s: %d calls still open at the end%n", scenario, policy,
                        done.getCount());
            }
            dispatcher.cancelAll();
            dispatcher.executorService().shutdown();
            pool.evictAll();
        }
        return tally;
    }
}
