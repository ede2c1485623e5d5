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
                .build();
    }

    /** One server switches between fast and slow. */
    public static Scenario flapping() {
        return Scenario.builder("flapping")
                .describe("s4 alternates every 5 s between normal speed and 10x slower")
                .server(4, ServerSpec.normal().slowdown(Slowdown.flapping(Duration.ofSeconds(5), Duration.ofSeconds(5), 10)))
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

    /** Returns every scenario of the suite, in report order. */
    public static List<Scenario> all() {
        return List.of(homogeneous(), oneSlow5x(), heterogeneous(), degradeRamp(), gcPauses(), gcPausesHedged(),
                pausesEverywhere(), pausesEverywhereHedged(), crashRecover(), flapping(), overload90(), herd());
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
