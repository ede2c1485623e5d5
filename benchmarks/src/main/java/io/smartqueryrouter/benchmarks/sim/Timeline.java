package io.smartqueryrouter.benchmarks.sim;

import io.smartqueryrouter.core.HedgePolicy;
import io.smartqueryrouter.core.Outcome;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Prints one run second by second: the calls that failed, the p99, and the attempts each server
 * got and how many of them failed. It shows how a fault and its end play out (an ejection that
 * moves load, a backlog that drains) where the suite's tables give only the totals.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.smartqueryrouter.benchmarks.sim.Timeline capacity-loss p2c-peak-ewma [seed=N] [ejection=off] [health-check=on] [drop-abandoned=on] [concurrency-limit=on|off] [hedge=on|off] [router-logs=info]
 * </pre>
 */
public final class Timeline {
    private static final long SECOND = 1_000_000_000L;

    private Timeline() {
    }

    /**
     * Runs one scenario under one policy and prints its timeline.
     *
     * @param args the scenario's name, the policy's name, then optionally {@code seed=N},
     *     {@code ejection=on|off}, {@code health-check=on|off}, {@code drop-abandoned=on|off},
     *     {@code concurrency-limit=on|off}, {@code hedge=on|off}, {@code router-logs=info} (the routers' own records: ejections,
     *     health changes, panic)
     */
    public static void main(String[] args) {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: Timeline SCENARIO POLICY [seed=N] [ejection=on|off] "
                    + "[health-check=on|off] [drop-abandoned=on|off] [concurrency-limit=on|off] [hedge=on|off] [router-logs=info]");
        }
        Logger.getLogger("io.smartqueryrouter").setLevel(Level.WARNING);
        Scenario.Builder b = Scenarios.byName(args[0]).toBuilder();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            switch (kv[0]) {
                case "seed" -> b.seed(Long.parseLong(kv[1]));
                case "ejection" -> b.outlierEjection(SimulationSuite.onOff("ejection", kv[1]));
                case "health-check" -> b.healthCheck(SimulationSuite.onOff("health-check", kv[1])
                        ? Scenario.Probing.defaults() : null);
                case "drop-abandoned" -> b.dropAbandoned(SimulationSuite.onOff("drop-abandoned", kv[1]));
                case "concurrency-limit" -> b.concurrencyLimit(SimulationSuite.concurrencyLimit(kv[1]));
                case "hedge" -> b.hedge(SimulationSuite.onOff("hedge", kv[1]) ? HedgePolicy.afterPercentile(0.95) : HedgePolicy.disabled());
                case "router-logs" -> Logger.getLogger("io.smartqueryrouter").setLevel(Level.parse(kv[1].toUpperCase()));
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        Scenario scenario = b.build();
        Map<Integer, Map<String, int[]>> perSecond = new TreeMap<>();
        Map<Long, String> current = new java.util.HashMap<>();
        Map<Integer, int[]> shed = new TreeMap<>();
        SimTrace trace = new SimTrace() {
            @Override
            public void begun(int client, long call, long nowNanos, String nodeId) {
                attempt(client, call, nowNanos, nodeId);
            }

            @Override
            public void completed(int client, long call, long nowNanos, Outcome outcome) {
                String node = current.get(key(client, call));
                if (node != null && outcome != Outcome.SUCCESS && outcome != Outcome.CANCELLED) {
                    perSecond.computeIfAbsent((int) (nowNanos / SECOND), k -> new TreeMap<>())
                            .computeIfAbsent(node, k -> new int[2])[1]++;
                }
            }

            @Override
            public void retried(int client, long call, long nowNanos, String nodeId) {
                if (nodeId != null) {
                    attempt(client, call, nowNanos, nodeId);
                }
            }

            @Override
            public void rejected(int client, long call, long nowNanos) {
                shed.computeIfAbsent((int) (nowNanos / SECOND), k -> new int[1])[0]++;
            }

            private void attempt(int client, long call, long nowNanos, String nodeId) {
                current.put(key(client, call), nodeId);
                perSecond.computeIfAbsent((int) (nowNanos / SECOND), k -> new TreeMap<>())
                        .computeIfAbsent(nodeId, k -> new int[2])[0]++;
            }

            private long key(int client, long call) {
                return call * 64 + client;
            }
        };
        RunResult r = Simulation.run(scenario, SimPolicy.byName(args[1]), trace);
        System.out.println(scenario.name() + " / " + args[1] + " (seed " + scenario.seed() + "): failed "
                + Format.number(100 * r.failedShare(), 1) + "%, recovery "
                + (Double.isNaN(r.recoveryNanos()) ? "- (no fault)" : Double.isInfinite(r.recoveryNanos()) ? "never"
                : Format.number(r.recoveryNanos() / 1e9, 0) + " s"));
        System.out.println("  s  failed%   p99 ms   shed  attempts/failed per server");
        for (int s = 0; s < r.failedPerSecond().length; s++) {
            StringBuilder line = new StringBuilder(String.format("%3d %7.1f %8.0f %6d ", s, 100 * r.failedPerSecond()[s],
                    r.p99PerSecond()[s] / 1e6, shed.getOrDefault(s, new int[1])[0]));
            perSecond.getOrDefault(s, Map.of()).forEach((node, c) -> line.append(' ').append(node).append('=')
                    .append(c[0]).append('/').append(c[1]));
            System.out.println(line);
        }
    }
}
