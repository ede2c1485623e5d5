package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.HedgePolicy;
import java.time.Duration;
import java.util.List;

/**
 * The named scenarios of the suite. Each starts from the defaults of {@link Scenario#builder}
 * (5 servers x 4 workers, 10 clients, 70% utilisation, 2 minutes, log-normal service of mean
 * 10 ms, 0.5 ms network each way, 1 s timeout, seed 42) and changes only what it is about.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /** Five equal servers, nothing goes wrong. */
    public static Scenario homogeneous() {
        return Scenario.builder("homogeneous")
                .describe("Five equal servers and nothing goes wrong: what routing costs when there is nothing to win")
                .build();
    }

    /** One server five times slower than the rest, all the time. */
    public static Scenario oneSlow5x() {
        return Scenario.builder("one-slow-5x")
                .describe("s4 is 5x slower than the other four for the whole run")
                .server(4, ServerSpec.normal().slower(5))
                .worstServer(4)
                .build();
    }

    /** Servers of different speeds, all with weight 1: the router is not told. */
    public static Scenario heterogeneous() {
        return Scenario.builder("heterogeneous")
                .describe("Servers of speeds 1, 1, 2, 3, 4 (4 serves four times as fast), all with weight 1: the router is not told")
                .speeds(1, 1, 2, 3, 4)
                .worstServer(0)
                .build();
    }

    /** One server degrades slowly, then stays bad. */
    public static Scenario degradeRamp() {
        return Scenario.builder("degrade-ramp")
                .describe("s4's service time grows from 1x to 20x between t=20 s and t=80 s, then stays 20x")
                .server(4, ServerSpec.normal().slowdown(Slowdown.ramp(Duration.ofSeconds(20), Duration.ofSeconds(80), 20)))
                .worstServer(4)
                // 1x + 19x (t - 20 s) / 60 s reaches 5x at t = 20 s + 60 s x 4/19 = 32.6 s
                .focus(Duration.ofSeconds(20), Duration.ofMillis(32_600), "before it is 5x (20-32.6 s)")
                .build();
    }

    /** One server stops the world regularly. */
    public static Scenario gcPauses() {
        return Scenario.builder("gc-pauses")
                .describe("s4 freezes for 300 ms every 5 s (a stop-the-world pause): its work waits, nothing fails")
                .server(4, ServerSpec.normal().freezes(Duration.ofSeconds(5), Duration.ofMillis(300)))
                .worstServer(4)
                .build();
    }

    /** gc-pauses with hedged requests: what hedging buys in the tail, and what it costs in extra load. */
    public static Scenario gcPausesHedged() {
        return gcPauses().toBuilder()
                .name("gc-pauses-hedged")
                .describe("gc-pauses with hedging: a call unanswered after the router's recent p95 goes to a second "
                        + "node too (at most 5% extra calls); the first answer wins")
                .hedge(HedgePolicy.afterPercentile(0.95))
                .build();
    }

    /** Every server stops the world now and then, each on its own beat. */
    public static Scenario pausesEverywhere() {
        Scenario.Builder b = Scenario.builder("pauses-everywhere")
                .describe("every server freezes for 200 ms, each on its own period (3.1, 3.7, 4.3, 4.9 and 5.3 s): "
                        + "no server can be avoided for long");
        long[] periods = {3100, 3700, 4300, 4900, 5300};
        for (int i = 0; i < periods.length; i++) {
            b.server(i, ServerSpec.normal().freezes(Duration.ofMillis(periods[i]), Duration.ofMillis(200)));
        }
        return b.build();
    }

    /** pauses-everywhere with hedged requests. */
    public static Scenario pausesEverywhereHedged() {
        return pausesEverywhere().toBuilder()
                .name("pauses-everywhere-hedged")
                .describe("pauses-everywhere with hedging after the router's recent p95 (at most 5% extra calls)")
                .hedge(HedgePolicy.afterPercentile(0.95))
                .build();
    }

    /** One server crashes and comes back. */
    public static Scenario crashRecover() {
        return Scenario.builder("crash-recover")
                .describe("s4 is gone from t=20 s to t=40 s: connections are refused at once, requests it held are reset")
                .server(4, ServerSpec.normal().down(Duration.ofSeconds(20), Duration.ofSeconds(40)))
                .worstServer(4)
                .fault(Duration.ofSeconds(20), Duration.ofSeconds(40))
                .build();
    }

    /** crash-recover with the routers' active health checking. */
    public static Scenario crashRecoverHealth() {
        return withHealthCheck(crashRecover(), "crash-recover");
    }

    /** Half the cluster crashes under load the other half cannot carry, and comes back (issue 12). */
    public static Scenario capacityLoss() {
        return halfGone(Duration.ofSeconds(60)).name("capacity-loss")
                .describe("4 servers x 4 workers at 75%: s2 and s3 are gone from t=30 s to t=60 s, so the other two get "
                        + "150% of their capacity; capacity returns at 60 s")
                .build();
    }

    /**
     * capacity-loss for two minutes instead of 30 s: an overload that outlasts the concurrency
     * limit's 30 s memory of the no-load latency.
     */
    public static Scenario capacityLossLong() {
        return halfGone(Duration.ofSeconds(150)).name("capacity-loss-long")
                .describe("capacity-loss for 2 minutes: s2 and s3 are gone from t=30 s to t=150 s, so the other two get "
                        + "150% of their capacity for 2 minutes; capacity returns at 150 s; calls arrive for 210 s")
                .duration(Duration.ofSeconds(210))
                .build();
    }

    /** 4 servers x 4 workers at 75%, s2 and s3 gone from t = 30 s until {@code back}. */
    private static Scenario.Builder halfGone(Duration back) {
        Duration from = Duration.ofSeconds(30);
        return Scenario.builder("half-gone")
                .servers(4)
                .utilisation(0.75)
                .server(2, ServerSpec.normal().down(from, back))
                .server(3, ServerSpec.normal().down(from, back))
                .fault(from, back);
    }

    /** Every server slows down at once (issue 12). */
    public static Scenario correlated() {
        Duration from = Duration.ofSeconds(30);
        Duration to = Duration.ofSeconds(40);
        Scenario.Builder b = Scenario.builder("correlated")
                .describe("every server is 3x slower from t=30 s to t=40 s (a shared dependency is slow), at 70%: "
                        + "210% of capacity for 10 s; capacity returns at 40 s")
                .fault(from, to);
        for (int i = 0; i < 5; i++) {
            b.server(i, ServerSpec.normal().slowdown(Slowdown.window(from, to, 3)));
        }
        return b.build();
    }

    /** Every server refuses for a few seconds; the clients' retries come on top (issue 12). */
    public static Scenario retryStorm() {
        Duration from = Duration.ofSeconds(30);
        Duration to = Duration.ofSeconds(35);
        Scenario.Builder b = Scenario.builder("retry-storm")
                .describe("every server refuses connections (and resets what it held) from t=30 s to t=35 s, at 70%; "
                        + "capacity returns at 35 s")
                .fault(from, to);
        for (int i = 0; i < 5; i++) {
            b.server(i, ServerSpec.normal().down(from, to));
        }
        return b.build();
    }

    /** capacity-loss with the routers' active health checking. */
    public static Scenario capacityLossHealth() {
        return withHealthCheck(capacityLoss(), "capacity-loss");
    }

    /** retry-storm with the routers' active health checking. */
    public static Scenario retryStormHealth() {
        return withHealthCheck(retryStorm(), "retry-storm");
    }

    /** capacity-loss with servers that drop work whose caller gave up. */
    public static Scenario capacityLossDropping() {
        return dropping(capacityLoss(), "capacity-loss");
    }

    /** correlated with servers that drop work whose caller gave up. */
    public static Scenario correlatedDropping() {
        return dropping(correlated(), "correlated");
    }

    /** retry-storm with servers that drop work whose caller gave up. */
    public static Scenario retryStormDropping() {
        return dropping(retryStorm(), "retry-storm");
    }

    private static Scenario withHealthCheck(Scenario s, String base) {
        return s.toBuilder()
                .name(s.name() + "-health")
                .describe(base + " with active health checking (" + Scenario.Probing.defaults() + "; probes queue at "
                        + "the servers like calls)")
                .healthCheck(Scenario.Probing.defaults())
                .build();
    }

    private static Scenario dropping(Scenario s, String base) {
        return s.toBuilder()
                .name(s.name() + "-dropping")
                .describe(base + " with servers that drop work whose caller gave up (deadline propagation): a "
                        + "request still queued or in service at its attempt's timeout is dropped")
                .dropAbandoned(true)
                .build();
    }

    // ------------------------------------------------------------------ the kinds of cluster a fleet has (issue 13)

    /** Several slow nodes in a small cluster. */
    public static Scenario slow2of5() {
        return Scenario.builder("slow-2of5-3x")
                .describe("s3 and s4 are 3x slower than the other three for the whole run")
                .server(3, ServerSpec.normal().slower(3))
                .server(4, ServerSpec.normal().slower(3))
                .worstServer(4)
                .build();
    }

    /** A large cluster with a fifth of its nodes slow. */
    public static Scenario slow10of50() {
        Scenario.Builder b = Scenario.builder("slow-10of50-4x")
                .describe("50 servers, s40 to s49 4x slower than the other forty for the whole run")
                .servers(50)
                .worstServer(49);
        for (int i = 40; i < 50; i++) {
            b.server(i, ServerSpec.normal().slower(4));
        }
        return b.build();
    }

    /** heterogeneous, ten times over. */
    public static Scenario heterogeneous50() {
        double[] speeds = new double[50];
        for (int i = 0; i < 50; i++) {
            speeds[i] = new double[] {1, 1, 2, 3, 4}[i % 5];
        }
        return Scenario.builder("heterogeneous-50")
                .describe("50 servers of speeds 1, 1, 2, 3, 4 (ten of each pattern), all with weight 1")
                .speeds(speeds)
                .worstServer(0)
                .build();
    }

    /** Most calls are cheap, a few are expensive. */
    public static Scenario bimodal() {
        return Scenario.builder("bimodal")
                .describe("Five equal servers; 90% of calls are log-normal with mean 5 ms, 10% take 10x that "
                        + "(mean 9.5 ms over all)")
                .serviceTime(BIMODAL)
                .build();
    }

    /** bimodal over 50 servers. */
    public static Scenario bimodal50() {
        return bimodal().toBuilder()
                .name("bimodal-50")
                .describe("bimodal over 50 equal servers")
                .servers(50)
                .build();
    }

    /** A node flapping faster than Peak-EWMA's memory. */
    public static Scenario fastFlapping() {
        return Scenario.builder("fast-flapping")
                .describe("s4 alternates every 0.5 s between normal speed and 10x slower")
                .server(4, ServerSpec.normal().slowdown(
                        Slowdown.flapping(Duration.ofMillis(500), Duration.ofMillis(500), 10)))
                .worstServer(4)
                .build();
    }

    /** Five flapping nodes among 50, each on its own beat. */
    public static Scenario fastFlapping50() {
        Scenario.Builder b = Scenario.builder("fast-flapping-50")
                .describe("50 servers; s45 to s49 alternate between normal speed and 10x slower, every 0.5, 0.6, "
                        + "0.7, 0.8 and 0.9 s")
                .servers(50)
                .worstServer(49);
        for (int i = 0; i < 5; i++) {
            Duration half = Duration.ofMillis(500 + 100 * i);
            b.server(45 + i, ServerSpec.normal().slowdown(Slowdown.flapping(half, half, 10)));
        }
        return b.build();
    }

    /** Little load: every call a policy spends exploring a slow node shows. */
    public static Scenario lowLoad() {
        return Scenario.builder("low-load")
                .describe("s4 is 5x slower than the other four, at 15% utilisation")
                .utilisation(0.15)
                .server(4, ServerSpec.normal().slower(5))
                .worstServer(4)
                .build();
    }

    /** Little load on a large cluster with a fifth of its nodes slow. */
    public static Scenario lowLoad50() {
        return slow10of50().toBuilder()
                .name("low-load-50")
                .describe("50 servers, s40 to s49 4x slower, at 15% utilisation")
                .utilisation(0.15)
                .build();
    }

    private static final ServiceTime BIMODAL = ServiceTime.bimodal(Duration.ofMillis(5), 0.5, 0.1, 10);

    /** One server switches between fast and slow. */
    public static Scenario flapping() {
        return Scenario.builder("flapping")
                .describe("s4 alternates every 5 s between normal speed and 10x slower")
                .server(4, ServerSpec.normal().slowdown(Slowdown.flapping(Duration.ofSeconds(5), Duration.ofSeconds(5), 10)))
                .worstServer(4)
                .build();
    }

    /**
     * One client alone on servers of sixteen workers of different speeds: an application over database replicas of
     * different sizes, where a node with workers to spare is not made busy by the calls it already has.
     */
    public static Scenario oneClientWide() {
        return Scenario.builder("one-client-wide")
                .describe("One client alone at 70% over eight servers of 16 workers each, of speeds 1, 3, 10, 1, 3, 10, 1, 3"
                        + " (s0 the slowest), log-normal service (sigma 1): the fast servers serve many calls side by side")
                .servers(8)
                .workers(16)
                .clients(1)
                .serviceTime(ServiceTime.logNormal(Duration.ofMillis(10), 1.0))
                .speeds(1, 3, 10, 1, 3, 10, 1, 3)
                .worstServer(0)
                // 36,000 calls a second: a minute is plenty
                .duration(Duration.ofSeconds(60))
                .build();
    }

    /** One server stops answering for good: a black hole (issue 13). */
    public static Scenario blackHole() {
        return Scenario.builder("black-hole")
                .describe("s4 stops answering at t=20 s for the rest of the run (a black hole: it takes every request "
                        + "and answers none; its service time is 100,000x, 1000 s)")
                .server(4, ServerSpec.normal().slowdown(Slowdown.window(Duration.ofSeconds(20), Duration.ofDays(1), 100_000)))
                .worstServer(4)
                .build();
    }

    /** Equal servers at 90% utilisation. */
    public static Scenario overload90() {
        return Scenario.builder("overload-90")
                .describe("Five equal servers at 90% utilisation: little headroom, queues everywhere")
                .utilisation(0.9)
                .build();
    }

    /** Many independent clients over few servers. */
    public static Scenario herd() {
        return Scenario.builder("herd")
                .describe("50 independent clients over five equal servers at 70%: each client sees only its own share")
                .clients(50)
                .build();
    }

    /** Returns every scenario of the suite, in report order: the original twelve, then collapse and recovery, then fleet kinds. */
    public static List<Scenario> all() {
        List<Scenario> all = new java.util.ArrayList<>(original());
        all.addAll(recovery());
        all.addAll(fleet());
        return List.copyOf(all);
    }

    /** The suite's first twelve scenarios. */
    public static List<Scenario> original() {
        return List.of(homogeneous(), oneSlow5x(), heterogeneous(), degradeRamp(), gcPauses(), gcPausesHedged(),
                pausesEverywhere(), pausesEverywhereHedged(), crashRecover(), flapping(), overload90(), herd());
    }

    /** Collapse and recovery (issue 12): the faults, with health checking, with servers that drop abandoned work, and a long one. */
    public static List<Scenario> recovery() {
        return List.of(capacityLoss(), correlated(), retryStorm(), crashRecoverHealth(), capacityLossHealth(),
                retryStormHealth(), capacityLossDropping(), correlatedDropping(), retryStormDropping(), capacityLossLong());
    }

    /** The kinds of cluster a real fleet has (issue 13), on 5 and 50 servers, a black-holed node, and a lone client. */
    public static List<Scenario> fleet() {
        return List.of(slow2of5(), slow10of50(), heterogeneous50(), bimodal(), bimodal50(), fastFlapping(),
                fastFlapping50(), lowLoad(), lowLoad50(), blackHole(), oneClientWide());
    }

    /**
     * Returns the scenario with the given name.
     *
     * @throws IllegalArgumentException if there is none; the message lists the names
     */
    public static Scenario byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "'; known: "
                        + all().stream().map(Scenario::name).toList()));
    }
}
